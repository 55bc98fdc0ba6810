import { badRequest } from "./errors.ts";

/** A file part of a multipart request, recorded but not kept. */
export interface UploadedFile {
  field: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
}

/** A parsed request body: text values by name (first occurrence wins) and file parts. */
export interface ParsedBody {
  values: Record<string, unknown>;
  files: UploadedFile[];
}

export const EMPTY_BODY: ParsedBody = Object.freeze({ values: Object.freeze({}), files: [] }) as ParsedBody;

/**
 * The parameters of one Bot API call, as telegram-bot-api reads them (TD HttpReader, HttpQuery::arg):
 * - the query string wins over the body for the same key (first occurrence wins);
 * - a JSON body's non-string values count as their JSON text (`"chat_id":123` equals `"123"`);
 * - an empty value counts as absent.
 * Values are converted lazily, so a call that reads two parameters pays for two.
 */
export class Params {
  readonly files: readonly UploadedFile[];
  readonly #query: Record<string, unknown>;
  readonly #body: Record<string, unknown>;

  constructor(query: Record<string, unknown> | undefined, body: ParsedBody = EMPTY_BODY) {
    this.#query = query ?? {};
    this.#body = body.values;
    this.files = body.files;
  }

  /** The raw text of a parameter, or undefined when absent or empty. */
  get(name: string): string | undefined {
    const text = queryText(this.#query[name]) ?? asText(this.#body[name]);
    return text === "" ? undefined : text;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Integer parameter like `get_integer_arg`: absent → default; non-numeric → 0 (as td::to_integer). */
  int(
    name: string,
    defaultValue: number,
    min = Number.MIN_SAFE_INTEGER,
    max = Number.MAX_SAFE_INTEGER,
  ): number {
    const text = this.get(name);
    const value = text === undefined ? defaultValue : toInteger(text);
    return Math.min(max, Math.max(min, value));
  }

  /** Optional integer: undefined when absent. */
  optionalInt(name: string): number | undefined {
    const text = this.get(name);
    return text === undefined ? undefined : toInteger(text);
  }

  /** Telegram's `to_bool`: "true" (any case) or a non-zero number. */
  bool(name: string): boolean {
    const text = this.get(name);
    if (text === undefined) return false;
    const lower = text.toLowerCase();
    return lower === "true" || (lower !== "false" && toInteger(text) !== 0);
  }

  /** A JSON-encoded parameter, or undefined when absent; bad JSON → 400 `can't parse <what> JSON object`. */
  json<T = unknown>(name: string, what: string): T | undefined {
    const text = this.get(name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw badRequest(`can't parse ${what} JSON object`);
    }
  }

  /** Every parameter as text, query string first; for the call log. */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [source, read] of [
      [this.#query, queryText],
      [this.#body, asText],
    ] as const) {
      for (const key of Object.keys(source)) {
        if (key in out) continue;
        const text = read(source[key]);
        if (text !== undefined && text !== "") out[key] = text;
      }
    }
    return out;
  }
}

/** A body value: strings as they are, anything else (numbers, objects from JSON) as its JSON text. */
function asText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A query-string value: a repeated key arrives as an array, and the first occurrence wins. */
function queryText(value: unknown): string | undefined {
  if (Array.isArray(value)) return value[0] as string | undefined;
  return value as string | undefined;
}

/** Like td::to_integer: leading sign and digits, anything else stops the parse; garbage → 0. */
function toInteger(text: string): number {
  const value = Number.parseInt(text.trim(), 10);
  return Number.isNaN(value) ? 0 : value;
}
