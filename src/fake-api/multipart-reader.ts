import { type RequestError, requestErrors } from "./errors.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { ParsedBody, UploadedFile } from "./params.ts";
import { newParamRecord, parseUrlParameters, setParam, urlDecode } from "./url-encoding.ts";

const CRLFCRLF = Buffer.from("\r\n\r\n");

type State = "prologue" | "headers" | "value" | "file" | "last-boundary" | "epilogue";

/**
 * multipart/form-data read incrementally, state for state as telegram-bot-api's HttpReader does it
 * (`parse_multipart_form_data`: SkipPrologue, ReadPartHeaders, ReadPartValue, ReadFile,
 * CheckForLastBoundary, SkipEpilogue), with its rules and its words for every error. Memory is
 * bounded: a field is held up to 1 MiB, part headers up to 256 KiB, and a file part only counted.
 * (Hand-written because @fastify/busboy hangs, neither finishing nor failing, on a part without
 * Content-Disposition over 16 KiB, and its rules differ from telegram-bot-api's.)
 */
export class MultipartReader {
  readonly #boundary: Buffer;
  readonly #delimiter: Buffer;
  readonly #values = newParamRecord();
  readonly #files: UploadedFile[] = [];
  #state: State = "prologue";
  #pending: Buffer = Buffer.alloc(0);
  /** Bytes of #pending already searched for the current delimiter without a match. */
  #searched = 0;
  #headersBytes: number;
  #urlencodedBytes = 0;
  #part: { name: string; filename: string | undefined; type: string; sizeBytes: number } | undefined;

  /** @param requestHeadersBytes the request's own headers, which count towards the 256 KiB too. */
  constructor(boundary: string, requestHeadersBytes = 0) {
    this.#boundary = Buffer.from(`--${boundary}`);
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
    this.#headersBytes = requestHeadersBytes;
  }

  /** Feeds a chunk; returns the request's error as soon as there is one. */
  write(chunk: Buffer): RequestError | undefined {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    return this.#run();
  }

  /** The body ended: the parameters and files, or the error (a form must end with its last boundary). */
  end(): ParsedBody | RequestError {
    if (this.#state !== "epilogue") return requestErrors.unexpectedEnd();
    return { values: this.#values, files: this.#files };
  }

  #run(): RequestError | undefined {
    for (;;) {
      const progressed = this.#step();
      if (progressed !== true) return progressed === false ? undefined : progressed;
    }
  }

  /** One state's work: true to go on, false to wait for more data, or the error. */
  #step(): boolean | RequestError {
    switch (this.#state) {
      case "prologue":
        return this.#skipTo(this.#boundary, () => {
          this.#state = "headers";
        });
      case "headers":
        return this.#readHeaders();
      case "value":
      case "file":
        return this.#readPart();
      case "last-boundary": {
        if (this.#pending.length < 2) return false;
        const last = this.#pending[0] === 0x2d && this.#pending[1] === 0x2d;
        if (last) this.#pending = this.#pending.subarray(2);
        this.#state = last ? "epilogue" : "headers";
        return true;
      }
      case "epilogue":
        this.#pending = Buffer.alloc(0);
        return false;
    }
  }

  /** Finds `marker`, drops everything up to and including it; keeps only a marker's length meanwhile. */
  #skipTo(marker: Buffer, then: () => void): boolean {
    const at = this.#find(marker);
    if (at === -1) {
      const keep = Math.min(this.#pending.length, marker.length - 1);
      this.#pending = this.#pending.subarray(this.#pending.length - keep);
      this.#searched = 0;
      return false;
    }
    this.#pending = this.#pending.subarray(at + marker.length);
    this.#searched = 0;
    then();
    return true;
  }

  #find(marker: Buffer): number {
    const from = Math.max(0, this.#searched - marker.length + 1);
    const at = this.#pending.indexOf(marker, from);
    if (at === -1) this.#searched = this.#pending.length;
    return at;
  }

  #readHeaders(): boolean | RequestError {
    const at = this.#find(CRLFCRLF);
    if (at === -1) {
      if (this.#headersBytes + this.#pending.length > TELEGRAM_LIMITS.maxHeadersBytes)
        return requestErrors.headersTooLarge();
      return false;
    }
    this.#headersBytes += at;
    if (this.#headersBytes > TELEGRAM_LIMITS.maxHeadersBytes) return requestErrors.headersTooLarge();
    if (at === 0) return requestErrors.badRequest("headers in multipart/form-data are empty");
    const headers = this.#pending.toString("utf8", 2, at + 2);
    this.#pending = this.#pending.subarray(at + 4);
    this.#searched = 0;
    const part = parsePartHeaders(headers);
    if (typeof part === "string") return requestErrors.badRequest(part);
    if (part.filename !== undefined) {
      if (this.#files.length === TELEGRAM_LIMITS.maxFilesPerRequest) return requestErrors.tooManyFiles();
      this.#state = "file";
    } else {
      this.#state = "value";
    }
    this.#part = { ...part, sizeBytes: 0 };
    return true;
  }

  /** A part's content up to the next delimiter: a field's value is kept, a file's only counted. */
  #readPart(): boolean | RequestError {
    const part = this.#part!;
    const at = this.#find(this.#delimiter);
    if (at === -1) {
      if (this.#state === "value") {
        return this.#pending.length > TELEGRAM_LIMITS.maxParametersBytes
          ? requestErrors.tooManyFormParameters()
          : false;
      }
      const counted = Math.max(0, this.#pending.length - (this.#delimiter.length - 1));
      part.sizeBytes += counted;
      this.#pending = this.#pending.subarray(counted);
      this.#searched = Math.max(0, this.#searched - counted);
      return false;
    }
    if (this.#state === "value") {
      if (at > TELEGRAM_LIMITS.maxParametersBytes) return requestErrors.tooManyFormParameters();
      const value = this.#pending.toString("utf8", 0, at);
      if (part.type.startsWith("application/x-www-form-urlencoded")) {
        this.#urlencodedBytes += at;
        if (this.#urlencodedBytes > TELEGRAM_LIMITS.maxParametersBytes)
          return requestErrors.tooManyParameters();
        parseUrlParameters(value, this.#values);
      } else if (!Object.hasOwn(this.#values, part.name)) {
        setParam(this.#values, part.name, value);
      }
    } else {
      const { name, filename, type } = part;
      this.#files.push({
        field: name,
        filename: filename ?? "",
        mimeType: type,
        sizeBytes: part.sizeBytes + at,
      });
    }
    this.#pending = this.#pending.subarray(at + this.#delimiter.length);
    this.#searched = 0;
    this.#part = undefined;
    this.#state = "last-boundary";
    return true;
  }
}

/**
 * A part's headers (CRLF-terminated lines, continuation lines allowed) as HttpReader reads them:
 * Content-Disposition must start with `form-data;` and name the field; `filename` (even empty)
 * makes the part a file; names and filenames are url-decoded; Content-Type defaults to
 * application/octet-stream. Returns the part or telegram-bot-api's complaint.
 */
function parsePartHeaders(
  block: string,
): { name: string; filename: string | undefined; type: string } | string {
  let name = "";
  let filename: string | undefined;
  let type = "application/octet-stream";
  for (const line of block.split(/\r\n(?![ \t])/)) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon === -1) return "can't parse form data headers";
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .replace(/\r\n/g, "")
      .trim();
    if (header === "content-type") type = value;
    if (header !== "content-disposition") continue;
    if (!value.startsWith("form-data;")) return "expected form-data content disposition";
    const parameters = dispositionParameters(value.slice(10));
    if (typeof parameters === "string") return parameters;
    for (const [key, text] of parameters) {
      if (key === "name") name = text;
      else if (key === "filename") filename = text;
    }
  }
  if (name === "") return "field name in multipart/form-data not found";
  return { name, filename, type };
}

/** `key=value; key="quoted \"value\""` pairs of Content-Disposition, values url-decoded. */
function dispositionParameters(text: string): Array<[string, string]> | string {
  const out: Array<[string, string]> = [];
  let rest = text;
  for (;;) {
    rest = rest.trim();
    const equals = rest.indexOf("=");
    if (equals === -1) return out;
    const key = rest.slice(0, equals).trim();
    rest = rest.slice(equals + 1).trimStart();
    let value: string;
    if (rest.startsWith('"')) {
      let i = 1;
      value = "";
      for (;;) {
        if (i >= rest.length) return "unclosed quoted string in Content-Disposition header";
        let c = rest[i++]!;
        if (c === '"') break;
        if (c === "\\") {
          if (i >= rest.length) return "wrong escape sequence in Content-Disposition header";
          c = rest[i++]!;
        }
        value += c;
      }
      rest = rest.slice(i).trimStart();
      if (rest !== "") {
        if (!rest.startsWith(";")) return "expected ';' in Content-Disposition header";
        rest = rest.slice(1);
      }
    } else {
      const semicolon = rest.indexOf(";");
      value = (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim();
      rest = semicolon === -1 ? "" : rest.slice(semicolon + 1);
    }
    out.push([key, urlDecode(value, false)]);
  }
}
