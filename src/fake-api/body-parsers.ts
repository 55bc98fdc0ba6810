import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { Busboy, type BusboyHeaders, type BusboyInstance } from "@fastify/busboy";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { EMPTY_BODY, type ParsedBody, type UploadedFile } from "./params.ts";
import { firstValues } from "./webhook-reply.ts";

/**
 * Request bodies as telegram-bot-api reads them (TD HttpReader): JSON objects, urlencoded forms
 * and multipart; malformed JSON and unknown content types simply carry
 * no parameters; gzip/deflate bodies are inflated. Every parser yields a {@link ParsedBody}.
 */
export function registerBodyParsers(app: FastifyInstance, bodyLimitBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("multipart/form-data", (req: FastifyRequest, payload: Readable) =>
    parseMultipart(req, payload, bodyLimitBytes),
  );
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
    done(null, parseJsonBody(text as string));
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, text, done) => {
    done(null, { values: firstValues(new URLSearchParams(text as string)), files: [] } satisfies ParsedBody);
  });
  // Anything else is read (so the size limit applies) and ignored, as Telegram ignores it.
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, _body, done) => done(null, EMPTY_BODY));

  // A callback hook, not an async one: it runs on every request and a promise each is measurable.
  app.addHook("preParsing", (req, _reply, payload, done) => {
    const encoding = req.headers["content-encoding"];
    if (encoding !== "gzip" && encoding !== "deflate") {
      done(null, payload);
      return;
    }
    // fastify compares Content-Length with the bytes received on the wire, read from this property.
    let receivedEncodedLength = 0;
    payload.on("data", (chunk: Buffer) => {
      receivedEncodedLength += chunk.length;
    });
    const inflated: Readable = payload.pipe(encoding === "gzip" ? createGunzip() : createInflate());
    Object.defineProperty(inflated, "receivedEncodedLength", { get: () => receivedEncodedLength });
    done(null, inflated);
  });
}

function parseJsonBody(text: string): ParsedBody {
  if (text === "") return EMPTY_BODY;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return { values: value as Record<string, unknown>, files: [] };
    }
  } catch {
    // Telegram only logs malformed JSON; the call goes on without parameters.
  }
  return EMPTY_BODY;
}

/** A body over the limit; the error handler turns it into Telegram's 413. */
const tooLarge = () => Object.assign(new Error("Request Entity Too Large"), { statusCode: 413 });

/**
 * multipart/form-data with @fastify/busboy: fields by name (first occurrence wins), file parts
 * counted and recorded, never kept. A part whose content type is urlencoded holds parameters, as
 * telegram-bot-api reads it. Parsed here rather than with @fastify/multipart, whose async
 * onResponse hook would run on every request, multipart or not (the fake API's hot path).
 */
function parseMultipart(req: FastifyRequest, payload: Readable, bodyLimitBytes: number): Promise<ParsedBody> {
  return new Promise((resolve, reject) => {
    const values: Record<string, unknown> = {};
    const files: UploadedFile[] = [];
    let busboy: BusboyInstance;
    try {
      busboy = new Busboy({
        headers: req.headers as BusboyHeaders,
        limits: { fileSize: bodyLimitBytes, fieldSize: bodyLimitBytes, files: 100, fields: 1000 },
      });
    } catch {
      resolve(EMPTY_BODY); // a malformed boundary carries no parameters
      return;
    }
    let receivedBytes = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      payload.unpipe(busboy);
      payload.resume();
      reject(error);
    };
    payload.on("data", (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes > bodyLimitBytes) fail(tooLarge());
    });
    busboy.on(
      "field",
      (
        name: string,
        value: string,
        _nameTruncated: boolean,
        _valueTruncated: boolean,
        _enc: string,
        mime: string,
      ) => {
        if (mime.startsWith("application/x-www-form-urlencoded")) {
          for (const [key, inner] of Object.entries(firstValues(new URLSearchParams(value)))) {
            if (!(key in values)) values[key] = inner;
          }
        } else if (!(name in values)) {
          values[name] = value;
        }
      },
    );
    busboy.on(
      "file",
      (
        field: string,
        stream: Readable & { truncated?: boolean },
        filename: string,
        _enc: string,
        mimeType: string,
      ) => {
        let sizeBytes = 0;
        stream.on("data", (chunk: Buffer) => {
          sizeBytes += chunk.length;
        });
        stream.on("limit", () => fail(tooLarge()));
        stream.on("end", () => {
          if (!stream.truncated) files.push({ field, filename, mimeType, sizeBytes });
        });
      },
    );
    busboy.on("error", () => {
      if (!failed) resolve({ values, files }); // malformed multipart: keep what was read
    });
    busboy.on("finish", () => {
      if (!failed) resolve({ values, files });
    });
    payload.pipe(busboy);
  });
}
