import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { createUnzip } from "node:zlib";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { requestErrors } from "./errors.ts";
import { parseJsonParameters } from "./json-parameters.ts";
import { countOtherBody, parseMultipart } from "./multipart.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { ParsedBody } from "./params.ts";
import { parseUrlParameters } from "./url-encoding.ts";

/** The Content-Type a request was sent with, when {@link normaliseContentType} replaced it. */
const ORIGINAL_CONTENT_TYPE = Symbol("tgbench.originalContentType");
/** Body bytes counted on the wire for a chunked request (no Content-Length to read). */
const CHUNKED_BODY_BYTES = Symbol("tgbench.chunkedBodyBytes");

type MarkedRequest = IncomingMessage & { [ORIGINAL_CONTENT_TYPE]?: string; [CHUNKED_BODY_BYTES]?: number };

/**
 * Picks the parser the way HttpReader does, by substring of the lower-cased Content-Type, in its
 * order: multipart/form-data, then application/x-www-form-urlencoded, then application/json;
 * anything else (a missing, unknown or malformed type) is a file part. Fastify then sees one of
 * four clean types, so no Content-Type makes it answer on its own (415); the original header is
 * kept for the multipart boundary and the file part's type. Runs before routing, on every request.
 */
export function normaliseContentType(req: IncomingMessage): void {
  const header = req.headers["content-type"];
  if (header === "application/json") return;
  const length = req.headers["content-length"];
  if (req.headers["transfer-encoding"] === undefined && (length === undefined || Number(length) <= 0)) {
    // No body: HttpReader parses nothing, whatever the type says (an empty multipart is no error).
    if (header !== undefined) {
      (req as MarkedRequest)[ORIGINAL_CONTENT_TYPE] = header;
      delete req.headers["content-type"];
    }
    return;
  }
  let kind: string;
  if (header === undefined) {
    kind = "application/octet-stream";
  } else {
    const lower = header.toLowerCase();
    kind = lower.includes("multipart/form-data")
      ? "multipart/form-data"
      : lower.includes("application/x-www-form-urlencoded")
        ? "application/x-www-form-urlencoded"
        : lower.includes("application/json")
          ? "application/json"
          : "application/octet-stream";
  }
  if (kind === header) return;
  if (header !== undefined) (req as MarkedRequest)[ORIGINAL_CONTENT_TYPE] = header;
  req.headers["content-type"] = kind;
}

/** The Content-Type as the client sent it (HttpReader's default when it sent none). */
function originalContentType(req: FastifyRequest): string {
  return (
    (req.raw as MarkedRequest)[ORIGINAL_CONTENT_TYPE] ??
    req.headers["content-type"] ??
    "application/octet-stream"
  );
}

/** Body bytes of the request as they crossed the wire (before decompression). */
export function wireBodyBytes(req: FastifyRequest): number {
  const length = req.headers["content-length"];
  if (length !== undefined) return Number(length) || 0;
  return (req.raw as MarkedRequest)[CHUNKED_BODY_BYTES] ?? 0;
}

/** Length of the raw query string: it counts towards telegram-bot-api's 1 MiB of parameters. */
function queryLength(req: FastifyRequest): number {
  const at = req.url.indexOf("?");
  return at === -1 ? 0 : req.url.length - at - 1;
}

/**
 * Request bodies as telegram-bot-api reads them (tdnet HttpReader.cpp), for every HTTP method:
 * JSON objects (values as their JSON text), urlencoded forms, multipart forms (file parts recorded,
 * never kept), any other body as a file part named `file`; gzip/deflate bodies inflated. Limits
 * are those of HttpReader (1 MiB of parameters with the query string, 50 files) plus
 * `bodyLimitBytes` on a whole body after decompression; each breach is a {@link RequestError}.
 */
export function registerBodyParsers(app: FastifyInstance, bodyLimitBytes: number): void {
  const parametersLimitBytes = Math.min(bodyLimitBytes, TELEGRAM_LIMITS.maxParametersBytes);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("multipart/form-data", (req: FastifyRequest, payload: Readable) =>
    parseMultipart(payload, originalContentType(req), bodyLimitBytes),
  );
  app.addContentTypeParser(
    "application/json",
    { parseAs: "string", bodyLimit: parametersLimitBytes },
    (req, text, done) => {
      const error = checkParametersSize(req, text as string);
      if (error !== undefined) done(error, undefined);
      else done(null, { values: parseJsonParameters(text as string).values, files: [] } satisfies ParsedBody);
    },
  );
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: parametersLimitBytes },
    (req, text, done) => {
      const error = checkParametersSize(req, text as string);
      if (error !== undefined) done(error, undefined);
      else done(null, { values: parseUrlParameters(text as string), files: [] } satisfies ParsedBody);
    },
  );
  app.addContentTypeParser("*", (req: FastifyRequest, payload: Readable) =>
    countOtherBody(payload, originalContentType(req), bodyLimitBytes),
  );

  // A callback hook, not an async one: it runs on every request and a promise each is measurable.
  app.addHook("preParsing", (req, reply, payload, done) => {
    if (req.method !== "GET" && req.method !== "POST") {
      done(null, payload); // other verbs are answered 501 unread
      return;
    }
    // A body declared over the limit is refused before it is read (fastify does this itself only
    // for the parsers that buffer); inflating never makes a body much smaller than it was sent.
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > bodyLimitBytes) {
      done(requestErrors.bodyTooLarge(), undefined);
      return;
    }
    if (req.headers["transfer-encoding"] !== undefined) countChunkedBody(req.raw as MarkedRequest, payload);
    const encoding = req.headers["content-encoding"];
    if (encoding === undefined) {
      done(null, payload);
      return;
    }
    const name = encoding.trim().toLowerCase();
    if (name === "" || name === "none") done(null, payload);
    else if (name === "gzip" || name === "deflate") done(null, inflate(reply.raw, payload));
    else done(requestErrors.unsupportedEncoding(), undefined);
  });
}

/** HttpReader's ReadArgs limit: query string and body together at most 1 MiB. */
function checkParametersSize(req: FastifyRequest, text: string) {
  const query = queryLength(req);
  if (query + text.length * 3 <= TELEGRAM_LIMITS.maxParametersBytes) return undefined;
  if (query + Buffer.byteLength(text) <= TELEGRAM_LIMITS.maxParametersBytes) return undefined;
  return requestErrors.tooManyParameters();
}

function countChunkedBody(req: MarkedRequest, payload: Readable): void {
  req[CHUNKED_BODY_BYTES] = 0;
  payload.on("data", (chunk: Buffer) => {
    req[CHUNKED_BODY_BYTES] = (req[CHUNKED_BODY_BYTES] ?? 0) + chunk.length;
  });
}

/**
 * gzip or deflate, detected from the data as td::Gzip does (zlib's automatic header detection).
 * The inflate stream always has an error listener (a corrupt body must never take the process
 * down, even when nobody reads it because the request was refused first) and dies with the request.
 */
function inflate(response: ServerResponse, payload: Readable): Readable {
  // fastify compares Content-Length with the bytes received on the wire, read from this property.
  let receivedEncodedLength = 0;
  payload.on("data", (chunk: Buffer) => {
    receivedEncodedLength += chunk.length;
  });
  const inflated = payload.pipe(createUnzip());
  inflated.on("error", () => {});
  response.once("close", () => inflated.destroy());
  Object.defineProperty(inflated, "receivedEncodedLength", { get: () => receivedEncodedLength });
  return inflated;
}
