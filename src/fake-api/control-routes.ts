import type { FastifyInstance, FastifyReply } from "fastify";
import { ControlError, type FakeApiControl } from "./control.ts";
import { ApiError } from "./errors.ts";
import type { ParsedBody } from "./params.ts";

/** Prefix of the harness routes; no bot route starts with it. */
export const CONTROL_PREFIX = "/__tgbench";

/**
 * The control API over HTTP, for `tgbench serve` and tools in other languages. JSON in, JSON out,
 * errors in the same `{ok:false,error_code,description}` shape as the Bot API.
 *
 *   POST {prefix}/bots/:token/messages   {text, from?, chat?, replyToMessageId?}
 *   POST {prefix}/bots/:token/commands   {command, args?, from?, chat?}
 *   POST {prefix}/bots/:token/callbacks  {messageId, data, from?, chat?}
 *   GET  {prefix}/bots/:token/calls?since=N
 *   GET  {prefix}/bots/:token/counters
 *   GET  {prefix}/bots/:token/webhook
 *   POST {prefix}/reset
 */
export function registerControlRoutes(app: FastifyInstance, control: FakeApiControl): void {
  type TokenParams = { Params: { token: string } };
  // Bodies go through the Bot API parsers, which yield a ParsedBody; JSON values stay as sent.
  const body = (value: unknown) => (value as ParsedBody | undefined)?.values ?? {};

  app.post<TokenParams>(`${CONTROL_PREFIX}/bots/:token/messages`, async (req, reply) =>
    answer(reply, () => control.injectText(req.params.token, body(req.body) as never)),
  );
  app.post<TokenParams>(`${CONTROL_PREFIX}/bots/:token/commands`, async (req, reply) =>
    answer(reply, () => control.injectCommand(req.params.token, body(req.body) as never)),
  );
  app.post<TokenParams>(`${CONTROL_PREFIX}/bots/:token/callbacks`, async (req, reply) =>
    answer(reply, () => control.injectCallback(req.params.token, body(req.body) as never)),
  );
  app.get<TokenParams & { Querystring: { since?: string } }>(
    `${CONTROL_PREFIX}/bots/:token/calls`,
    async (req, reply) =>
      answer(reply, () => control.calls(req.params.token, Number(req.query.since ?? 0) || 0)),
  );
  app.get<TokenParams>(`${CONTROL_PREFIX}/bots/:token/counters`, async (req, reply) =>
    answer(reply, () => control.counters(req.params.token)),
  );
  app.get<TokenParams>(`${CONTROL_PREFIX}/bots/:token/webhook`, async (req, reply) =>
    answer(reply, () => control.webhookInfo(req.params.token)),
  );
  app.post(`${CONTROL_PREFIX}/reset`, async (_req, reply) =>
    answer(reply, () => {
      control.reset();
      return true;
    }),
  );
}

function answer(reply: FastifyReply, run: () => unknown): FastifyReply {
  let status = 200;
  let payload: unknown;
  try {
    payload = { ok: true, result: run() };
  } catch (error: unknown) {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError(400, `Bad Request: ${error instanceof ControlError ? error.message : String(error)}`);
    status = apiError.errorCode;
    payload = apiError.toEnvelope();
  }
  return reply
    .code(status)
    .header("content-type", "application/json")
    .send(Buffer.from(JSON.stringify(payload)));
}
