import { finished, type Readable } from "node:stream";
import { RequestError, requestErrors } from "./errors.ts";
import { MultipartReader } from "./multipart-reader.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { ParsedBody, UploadedFile } from "./params.ts";
import { newParamRecord } from "./url-encoding.ts";

/**
 * The boundary of a multipart body as HttpReader finds it: the first `boundary` in the
 * lower-cased Content-Type, the value after its `=` up to a `;`, quotes removed; 1..70 characters.
 * Returns the boundary or the RequestError telegram-bot-api answers with.
 */
export function multipartBoundary(contentType: string): string | RequestError {
  const at = contentType.toLowerCase().indexOf("boundary");
  if (at === -1) return requestErrors.badRequest("boundary not found");
  const equals = contentType.indexOf("=", at + 8);
  if (equals === -1) return requestErrors.badRequest("boundary value not found");
  const semicolon = contentType.indexOf(";", equals + 1);
  let boundary = contentType.slice(equals + 1, semicolon === -1 ? contentType.length : semicolon);
  if (boundary.length >= 2 && boundary.startsWith('"') && boundary.endsWith('"'))
    boundary = boundary.slice(1, -1);
  if (boundary === "" || boundary.length > TELEGRAM_LIMITS.multipartBoundaryMaxLength) {
    return requestErrors.badRequest("boundary too big or empty");
  }
  return boundary;
}

/**
 * Reads multipart/form-data from `payload` with {@link MultipartReader}, under telegram-bot-api's
 * rules: fields are parameters (the first of a name wins), a part with a filename is a file
 * (counted and recorded, never kept), a part typed application/x-www-form-urlencoded holds
 * `key=value` parameters. Limits: a field over 1 MiB, more than 50 files, or a body over
 * `bodyLimitBytes` is 413; a body that ends before the last boundary is 400 "unexpected end of
 * request content". Never throws and never leaves an error unheard: every failure rejects with a
 * {@link RequestError}, and the rest of the payload is drained.
 */
export function parseMultipart(
  payload: Readable,
  contentType: string,
  bodyLimitBytes: number,
): Promise<ParsedBody> {
  return new Promise((resolve, reject) => {
    const boundary = multipartBoundary(contentType);
    if (boundary instanceof RequestError) {
      drain(payload);
      reject(boundary);
      return;
    }
    const reader = new MultipartReader(boundary);
    let settled = false;
    let receivedBytes = 0;
    const fail = (error: RequestError) => {
      if (settled) return;
      settled = true;
      drain(payload);
      reject(error);
    };
    // Any end but a complete one (a corrupt compressed stream, a client that hung up) fails.
    finished(payload, (error) => {
      if (error) fail(streamError(error));
    });
    payload.on("data", (chunk: Buffer) => {
      if (settled) return;
      receivedBytes += chunk.length;
      if (receivedBytes > bodyLimitBytes) return fail(requestErrors.bodyTooLarge());
      const error = reader.write(chunk);
      if (error !== undefined) fail(error);
    });
    payload.on("end", () => {
      if (settled) return;
      const result = reader.end();
      if (result instanceof RequestError) return fail(result);
      settled = true;
      resolve(result);
    });
  });
}

/**
 * A body that is neither a form nor JSON: telegram-bot-api stores it as a file part named `file`
 * (HttpReader ReadContentToFile, since `max_post_size` is 0). Counted, never kept.
 */
export function countOtherBody(
  payload: Readable,
  contentType: string,
  bodyLimitBytes: number,
): Promise<ParsedBody> {
  return new Promise((resolve, reject) => {
    let sizeBytes = 0;
    let settled = false;
    const fail = (error: RequestError) => {
      if (settled) return;
      settled = true;
      drain(payload);
      reject(error);
    };
    payload.on("data", (chunk: Buffer) => {
      sizeBytes += chunk.length;
      if (sizeBytes > bodyLimitBytes) fail(requestErrors.bodyTooLarge());
    });
    finished(payload, (error) => {
      if (error) fail(streamError(error));
    });
    payload.on("end", () => {
      if (settled) return;
      settled = true;
      const files: UploadedFile[] =
        sizeBytes === 0 ? [] : [{ field: "file", filename: "", mimeType: contentType, sizeBytes }];
      resolve({ values: newParamRecord(), files });
    });
  });
}

/** An error of the body stream: a corrupt compressed body, or a connection that went away. */
export function streamError(error: unknown): RequestError {
  if (error instanceof RequestError) return error;
  const errno = (error as { errno?: unknown }).errno;
  if (typeof errno === "number" && (error as { code?: string }).code?.startsWith("Z_")) {
    return requestErrors.zlib(errno);
  }
  return requestErrors.unexpectedEnd();
}

/** Reads and discards the rest of a body, errors included, so nothing is left unheard. */
export function drain(payload: Readable): void {
  payload.on("error", () => {});
  payload.resume();
}
