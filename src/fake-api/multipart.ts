import { finished, type Readable } from "node:stream";
import { Busboy, type BusboyInstance } from "@fastify/busboy";
import { RequestError, requestErrors } from "./errors.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { ParsedBody, UploadedFile } from "./params.ts";
import { newParamRecord, parseUrlParameters } from "./url-encoding.ts";

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
 * Reads multipart/form-data from `payload` with @fastify/busboy, under telegram-bot-api's rules
 * (HttpReader::parse_multipart_form_data): fields are parameters (the first of a name wins), a part
 * with a filename is a file (counted and recorded, never kept), a part typed
 * application/x-www-form-urlencoded holds `key=value` parameters. Limits: a field over 1 MiB, more
 * than 50 files, or a body over `bodyLimitBytes` is 413; a body that ends inside a part is 400
 * "unexpected end of request content". Never throws and never leaves an error unheard: every
 * failure rejects with a {@link RequestError}, and the rest of the payload is drained.
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
    const values = newParamRecord();
    const files: UploadedFile[] = [];
    let settled = false;
    let busboy: BusboyInstance | undefined;
    const fail = (error: RequestError) => {
      if (settled) return;
      settled = true;
      if (busboy !== undefined) payload.unpipe(busboy);
      drain(payload);
      reject(error);
    };
    try {
      busboy = new Busboy({
        headers: { "content-type": `multipart/form-data; boundary="${boundary.replace(/["\\]/g, "\\$&")}"` },
        // A part is a file when it has a filename, whatever its type (HttpReader `has_file_name_`).
        isPartAFile: (_field, _type, filename) => filename !== undefined,
        preservePath: true,
        limits: {
          fieldSize: TELEGRAM_LIMITS.maxParametersBytes,
          fieldNameSize: TELEGRAM_LIMITS.maxParametersBytes,
          fileSize: bodyLimitBytes,
          files: TELEGRAM_LIMITS.maxFilesPerRequest,
          fields: Number.POSITIVE_INFINITY,
          parts: Number.POSITIVE_INFINITY,
        },
      });
    } catch {
      fail(requestErrors.badRequest("boundary too big or empty"));
      return;
    }
    let receivedBytes = 0;
    payload.on("data", (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes > bodyLimitBytes) fail(requestErrors.bodyTooLarge());
    });
    // Any end but a complete one (a corrupt compressed stream, a client that hung up) fails.
    finished(payload, (error) => {
      if (error) fail(streamError(error));
    });
    busboy.on("field", (name, value, _nameTruncated, valueTruncated, _encoding, mimeType) => {
      if (valueTruncated) return fail(requestErrors.tooManyFormParameters());
      if (!name) return fail(noFieldName());
      if (mimeType.toLowerCase().startsWith("application/x-www-form-urlencoded"))
        parseUrlParameters(value, values);
      else if (!Object.hasOwn(values, name)) values[name] = value;
    });
    busboy.on("file", (field, stream, filename, _encoding, mimeType) => {
      // Listen before anything else: a part cut off by the end of the body errors on its stream.
      stream.on("error", () => fail(requestErrors.unexpectedEnd()));
      if (!field) {
        stream.resume();
        return fail(noFieldName());
      }
      let sizeBytes = 0;
      stream.on("data", (chunk: Buffer) => {
        sizeBytes += chunk.length;
      });
      stream.on("limit", () => fail(requestErrors.bodyTooLarge()));
      stream.on("end", () => {
        if (!(stream as { truncated?: boolean }).truncated)
          files.push({ field, filename: filename ?? "", mimeType, sizeBytes });
      });
    });
    busboy.on("filesLimit", () => fail(requestErrors.tooManyFiles()));
    busboy.on("error", (error) => fail(busboyError(error)));
    busboy.on("finish", () => {
      if (settled) return;
      settled = true;
      resolve({ values, files });
    });
    payload.pipe(busboy);
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

const noFieldName = () => requestErrors.badRequest("field name in multipart/form-data not found");

function busboyError(error: unknown): RequestError {
  return /end|terminated early/i.test(String((error as Error | undefined)?.message))
    ? requestErrors.unexpectedEnd()
    : requestErrors.badRequest("can't parse form data headers");
}

/** Reads and discards the rest of a body, errors included, so nothing is left unheard. */
export function drain(payload: Readable): void {
  payload.on("error", () => {});
  payload.resume();
}
