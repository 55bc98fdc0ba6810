/**
 * Helpers for the fake API's own tests: call a method through `inject()` and get the parsed
 * envelope with the status and content type.
 */
import type { FakeApi } from "./server.ts";

export const TOKEN = "123456:TEST-token_abc";
export const OTHER_TOKEN = "654321:other";

export interface Answer {
  status: number;
  contentType: string | undefined;
  body: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: unknown };
  headers: Record<string, unknown>;
}

/** POSTs JSON (default), or sends `payload` as given with `headers`, to /bot<token>/<method>. */
export async function call(
  api: FakeApi,
  method: string,
  params: Record<string, unknown> = {},
  token = TOKEN,
): Promise<Answer> {
  const response = await api.app.inject({
    method: "POST",
    url: `/bot${token}/${method}`,
    headers: { "content-type": "application/json" },
    payload: JSON.stringify(params),
  });
  return {
    status: response.statusCode,
    contentType: response.headers["content-type"] as string | undefined,
    body: response.json(),
    headers: response.headers,
  };
}

/** The result of a successful call; fails the test with the description otherwise. */
export async function ok<T = unknown>(
  api: FakeApi,
  method: string,
  params: Record<string, unknown> = {},
  token = TOKEN,
): Promise<T> {
  const answer = await call(api, method, params, token);
  if (!answer.body.ok) throw new Error(`${method} failed: ${answer.status} ${answer.body.description}`);
  return answer.body.result as T;
}
