import type { IncomingHttpHeaders } from "node:http";
import type { ParsedBody, UploadedFile } from "./params.ts";

/**
 * Reads a webhook response body the way telegram-bot-api does (TD HttpReader): only JSON,
 * urlencoded and multipart bodies are parsed; anything else carries no call. Returns undefined when
 * the body has no parameters.
 */
export async function parseWebhookReply(
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<ParsedBody | undefined> {
  if (body.length === 0) return undefined;
  const contentTypeHeader = String(headers["content-type"] ?? "");
  // Lower-cased only to compare the type: a multipart boundary is case-sensitive (aiogram's has
  // capitals), so the header goes to the parser as it was sent.
  const contentType = contentTypeHeader.toLowerCase();
  if (contentType.startsWith("application/json")) {
    try {
      const value: unknown = JSON.parse(body.toString("utf8"));
      if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
      return { values: value as Record<string, unknown>, files: [] };
    } catch {
      return undefined;
    }
  }
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    return { values: firstValues(new URLSearchParams(body.toString("utf8"))), files: [] };
  }
  if (contentType.startsWith("multipart/form-data")) {
    try {
      const form = await new Response(body, { headers: { "content-type": contentTypeHeader } }).formData();
      const values: Record<string, unknown> = {};
      const files: UploadedFile[] = [];
      for (const [name, value] of form) {
        if (typeof value === "string") {
          if (!(name in values)) values[name] = value;
        } else {
          files.push({ field: name, filename: value.name, mimeType: value.type, sizeBytes: value.size });
        }
      }
      return { values, files };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** URLSearchParams → record, first occurrence of a key wins (HttpQuery::arg). */
export function firstValues(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of search) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * Methods a webhook reply may not carry (WebhookActor.cpp): `get*`, setWebhook, deleteWebhook,
 * close and logOut are ignored there.
 */
export function allowedInWebhookReply(lowerCaseMethod: string): boolean {
  return (
    !lowerCaseMethod.startsWith("get") &&
    lowerCaseMethod !== "setwebhook" &&
    lowerCaseMethod !== "deletewebhook" &&
    lowerCaseMethod !== "close" &&
    lowerCaseMethod !== "logout"
  );
}
