import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { EMPTY_BODY, type ParsedBody, type UploadedFile } from "./params.ts";
import { firstValues } from "./webhook-reply.ts";

/**
 * Request bodies as telegram-bot-api reads them (TD HttpReader): JSON objects, urlencoded forms
 * and multipart (registered in server.ts); malformed JSON and unknown content types simply carry
 * no parameters; gzip/deflate bodies are inflated. Every parser yields a {@link ParsedBody}.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
    done(null, parseJsonBody(text as string));
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, text, done) => {
    done(null, { values: firstValues(new URLSearchParams(text as string)), files: [] } satisfies ParsedBody);
  });
  // Anything else is read (so the size limit applies) and ignored, as Telegram ignores it.
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, _body, done) => done(null, EMPTY_BODY));

  app.addHook("preParsing", async (req, _reply, payload) => {
    const encoding = req.headers["content-encoding"];
    if (encoding !== "gzip" && encoding !== "deflate") return payload;
    // fastify compares Content-Length with the bytes received on the wire, read from this property.
    let receivedEncodedLength = 0;
    payload.on("data", (chunk: Buffer) => {
      receivedEncodedLength += chunk.length;
    });
    const inflated: Readable = payload.pipe(encoding === "gzip" ? createGunzip() : createInflate());
    Object.defineProperty(inflated, "receivedEncodedLength", { get: () => receivedEncodedLength });
    return inflated;
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

/** Reads a multipart body: fields by name (first wins), file parts counted and recorded. */
export async function readMultipart(req: FastifyRequest): Promise<ParsedBody> {
  const values: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for await (const part of req.parts()) {
    if (part.type === "file") {
      let sizeBytes = 0;
      for await (const chunk of part.file) sizeBytes += (chunk as Buffer).length;
      if (part.file.truncated) throw Object.assign(new Error("file too large"), { statusCode: 413 });
      files.push({ field: part.fieldname, filename: part.filename, mimeType: part.mimetype, sizeBytes });
    } else if (!(part.fieldname in values)) {
      const value = part.value;
      values[part.fieldname] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { values, files };
}
