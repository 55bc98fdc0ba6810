import { badRequest } from "./errors.ts";
import { decodeJson } from "./json-parameters.ts";
import { newParamRecord, type ParamRecord, setParam } from "./url-encoding.ts";

/** A file part of a multipart request, recorded but not kept. */
export interface UploadedFile {
  field: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
}

/**
 * A parsed request body: text values by name (first occurrence wins; see {@link ParamRecord}: no
 * name is special) and file parts. Every value is text, as telegram-bot-api keeps it: a JSON
 * body's non-string values are their JSON text as sent.
 */
export interface ParsedBody {
  values: ParamRecord;
  files: UploadedFile[];
}

export const EMPTY_BODY: ParsedBody = Object.freeze({
  values: Object.freeze(newParamRecord()),
  files: Object.freeze([]) as unknown as UploadedFile[],
});

/**
 * The parameters of one Bot API call, as telegram-bot-api reads them (Query::arg and Client.cpp's
 * `get_integer_arg`, `to_bool`, `json_decode`):
 * - the query string wins over the body for the same key (the first occurrence wins);
 * - an empty value counts as absent.
 */
export class Params {
  readonly files: readonly UploadedFile[];
  readonly #query: ParamRecord;
  readonly #body: ParamRecord;

  /** `query` and `body.values` are {@link ParamRecord}s (read here only through `Object.hasOwn`). */
  constructor(query: ParamRecord | undefined, body: ParsedBody = EMPTY_BODY) {
    this.#query = query ?? EMPTY_BODY.values;
    this.#body = body.values;
    this.files = body.files;
  }

  /** Parameters from a plain object (tests, the control API): values as text, JSON for non-strings. */
  static of(values: Record<string, unknown>): Params {
    const record = newParamRecord();
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined)
        setParam(record, key, typeof value === "string" ? value : JSON.stringify(value));
    }
    return new Params(undefined, { values: record, files: [] });
  }

  /** The raw text of a parameter, or undefined when absent or empty. */
  get(name: string): string | undefined {
    const text = Object.hasOwn(this.#query, name)
      ? this.#query[name]
      : Object.hasOwn(this.#body, name)
        ? this.#body[name]
        : undefined;
    return text === "" ? undefined : text;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** `get_integer_arg`: absent → default; otherwise td::to_integer<int32>, then clamped. */
  int(name: string, defaultValue: number, min = INT32_MIN, max = INT32_MAX): number {
    const text = this.get(name);
    const value = text === undefined ? defaultValue : toInt32(text);
    return Math.min(max, Math.max(min, value));
  }

  /** An integer parameter (td::to_integer<int32>), or undefined when absent. */
  optionalInt(name: string): number | undefined {
    const text = this.get(name);
    return text === undefined ? undefined : toInt32(text);
  }

  /** Client::to_bool: `true`, `yes` or `1`, any case, spaces around ignored; anything else is false. */
  bool(name: string): boolean {
    const text = this.get(name);
    return text !== undefined && toBool(text);
  }

  /**
   * A JSON-encoded parameter, or undefined when absent. What td::json_decode refuses (bad syntax,
   * nesting over 100 levels) is 400 `can't parse <what> JSON object`.
   */
  json<T = unknown>(name: string, what: string): T | undefined {
    const text = this.get(name);
    if (text === undefined) return undefined;
    const decoded = decodeJson(text);
    if (decoded === undefined) throw badRequest(`can't parse ${what} JSON object`);
    return decoded.value as T;
  }

  /**
   * What keeping these parameters costs, counting two bytes a character (names, values, file
   * names), and whether any value is longer than `valueMaxBytes`. A loop, not {@link entries}:
   * the call log asks this for every call.
   */
  footprint(valueMaxBytes: number): { bytes: number; tooLong: boolean } {
    let bytes = 0;
    let tooLong = false;
    for (const record of [this.#query, this.#body]) {
      for (const key in record) {
        const valueBytes = record[key]!.length * 2;
        bytes += key.length * 2 + valueBytes;
        if (valueBytes > valueMaxBytes || key.length * 2 > valueMaxBytes) tooLong = true;
      }
    }
    for (const file of this.files) bytes += 100 + (file.field.length + file.filename.length) * 2;
    return { bytes, tooLong };
  }

  /** Every parameter, query string first, each name once (empty values left out). */
  *entries(): IterableIterator<[string, string]> {
    for (const key in this.#query) {
      const value = this.#query[key]!;
      if (value !== "") yield [key, value];
    }
    for (const key in this.#body) {
      const value = this.#body[key]!;
      if (value !== "" && !Object.hasOwn(this.#query, key)) yield [key, value];
    }
  }

  /** Every parameter as text, query string first; for the call log. */
  toRecord(): Record<string, string> {
    // Object.fromEntries defines own properties, so even `__proto__` is just a key here.
    return Object.fromEntries(this.entries());
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * td::to_integer<int32>: an optional `-`, then digits up to the first non-digit (no spaces, no
 * `+`; nothing parsed is 0), accumulated modulo 2^32 the way the C++ does, overflow included.
 */
export function toInt32(text: string): number {
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 0x2d) {
    negative = true;
    i = 1;
  }
  let value = 0;
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) break;
    value = (value * 10 + digit) % 2 ** 32;
  }
  if (value > INT32_MAX) {
    value = 2 ** 32 - value;
    negative = !negative;
    if (value > INT32_MAX) return INT32_MIN;
  }
  return negative && value !== 0 ? -value : value;
}

/** Leading and trailing td::is_space characters (td::trim). */
const TD_SPACES = /^[ \t\r\n\v\0]+|[ \t\r\n\v\0]+$/g;

/** Client::to_bool. */
export function toBool(text: string): boolean {
  const value = text.toLowerCase().replace(TD_SPACES, "");
  return value === "true" || value === "yes" || value === "1";
}
