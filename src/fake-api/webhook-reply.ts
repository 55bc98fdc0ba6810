import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { createUnzip } from "node:zlib";
import { RequestError, requestErrors } from "./errors.ts";
import { parseJsonParameters } from "./json-parameters.ts";
import { drain, parseMultipart, streamError } from "./multipart.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { ParsedBody } from "./params.ts";
import { parseUrlParameters } from "./url-encoding.ts";

/** What reading a 2xx webhook answer gave: its parameters (if any), or why it failed. */
export type WebhookReply = { ok: true; body: ParsedBody | undefined } | { ok: false; message: string };

/** Signals that the caller should stop reading and drop the connection. */
class Stop extends Error {}

/**
 * Reads a 2xx webhook answer the way telegram-bot-api's HTTP reader reads it (WebhookActor
 * `handle`, HttpReader): gzip/deflate decoded; a JSON, urlencoded or multipart body parsed into
 * parameters; anything else read and ignored. It never reads more than a call could use:
 * JSON/urlencoded bodies up to 1 MiB (beyond is a failed delivery, "Request Entity Too Large: too
 * many parameters", as telegram-bot-api's reader fails it), multipart up to `bodyLimitBytes` with
 * file parts counted and discarded, other bodies up to 1 MiB and then the connection is dropped
 * (the delivery still succeeded). `onBodyBytes` is told the body bytes as they arrive on the wire.
 */
export async function readWebhookReply(
  headers: IncomingHttpHeaders,
  body: Readable,
  bodyLimitBytes: number,
  onBodyBytes: (bytes: number) => void,
): Promise<WebhookReply> {
  body.on("data", (chunk: Buffer) => onBodyBytes(chunk.length));
  const encoding = String(headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  if (encoding !== "" && encoding !== "none" && encoding !== "gzip" && encoding !== "deflate") {
    body.destroy();
    return { ok: false, message: requestErrors.unsupportedEncoding().description };
  }
  const decoded: Readable = encoding === "gzip" || encoding === "deflate" ? body.pipe(createUnzip()) : body;
  if (decoded !== body) {
    decoded.on("error", () => {});
    body.on("error", (error) => decoded.destroy(error));
  }
  const contentType = String(headers["content-type"] ?? "");
  const lower = contentType.toLowerCase();
  try {
    if (lower.includes("multipart/form-data")) {
      return { ok: true, body: await parseMultipart(decoded, contentType, bodyLimitBytes) };
    }
    const urlencoded = lower.includes("application/x-www-form-urlencoded");
    if (urlencoded || lower.includes("application/json")) {
      const text = await readText(decoded, () => requestErrors.tooManyParameters());
      const values = urlencoded ? parseUrlParameters(text) : parseJsonParameters(text).values;
      return { ok: true, body: { values, files: [] } };
    }
    await readText(decoded, () => new Stop());
    return { ok: true, body: undefined };
  } catch (error: unknown) {
    if (!body.readableEnded) body.destroy();
    if (decoded !== body) decoded.destroy();
    if (error instanceof Stop) return { ok: true, body: undefined };
    // A body cut short is the connection closing under the reader (the dispatcher words a timeout).
    const reason = error instanceof RequestError ? error : streamError(error);
    const cutShort = reason.description === requestErrors.unexpectedEnd().description;
    return { ok: false, message: cutShort ? "Webhook connection closed" : reason.description };
  }
}

/** Up to 1 MiB of a stream as UTF-8; beyond it throws `tooLong()`. */
async function readText(stream: Readable, tooLong: () => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      length += (chunk as Buffer).length;
      if (length > TELEGRAM_LIMITS.maxParametersBytes) throw tooLong();
      chunks.push(chunk as Buffer);
    }
  } catch (error: unknown) {
    drain(stream);
    throw error;
  }
  return Buffer.concat(chunks, length).toString("utf8");
}

/**
 * Methods a webhook reply may not carry (WebhookActor::handle): `get*`, setWebhook, deleteWebhook,
 * close and logOut are ignored there, as is an empty name.
 */
export function allowedInWebhookReply(lowerCaseMethod: string): boolean {
  return (
    lowerCaseMethod !== "" &&
    !lowerCaseMethod.startsWith("get") &&
    lowerCaseMethod !== "setwebhook" &&
    lowerCaseMethod !== "deletewebhook" &&
    lowerCaseMethod !== "close" &&
    lowerCaseMethod !== "logout"
  );
}
