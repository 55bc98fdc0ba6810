/**
 * JSON as telegram-bot-api reads it (tdnet HttpReader.cpp `parse_json_parameters`, tdutils
 * JsonBuilder.cpp `json_string_decode`, `do_json_skip`, `json_decode`):
 * - a JSON body is an object whose values become parameters: strings decoded, anything else kept
 *   as its JSON text exactly as sent (`1.0` stays `1.0`); a bare string body is one parameter
 *   named `content`;
 * - a value nested deeper than 100 levels, or any syntax error, ends the parse: the parameters
 *   read before it are kept and the call goes on (telegram-bot-api only logs the error);
 * - a JSON-valued parameter (reply_markup …) is decoded with the same depth limit, so a deep value
 *   is "can't parse … JSON object", never a stack overflow.
 * Everything here is iterative: no input can exhaust the stack.
 */
import { TELEGRAM_LIMITS } from "./options.ts";
import { newParamRecord, type ParamRecord, setParam } from "./url-encoding.ts";

/** `DEFAULT_MAX_DEPTH` of `do_json_skip` and `json_decode`. */
const JSON_MAX_DEPTH = TELEGRAM_LIMITS.jsonMaxDepth;

/**
 * Above this many characters a body's values are copied out of it: a slice of a string keeps the
 * whole string alive in V8, and a short `text` must not pin a 1 MiB body in the chat store or the
 * call log.
 */
const COPY_VALUES_ABOVE_CHARS = 64 * 1024;

/** The parameters of a JSON body, and why the parse stopped early (telegram-bot-api logs it). */
export interface JsonParameters {
  values: ParamRecord;
  error: string | undefined;
}

/** HttpReader::parse_json_parameters on a decoded body. */
export function parseJsonParameters(text: string): JsonParameters {
  const values = newParamRecord();
  // Written without inner closures: this runs on every JSON request, and under tsx each closure
  // created per call costs a defineProperty (its name).
  const copy = text.length > COPY_VALUES_ABOVE_CHARS;
  if (text.length === 0) return { values, error: undefined };
  let i = skipSpaces(text, 0);
  if (text.charCodeAt(i) === QUOTE) {
    const decoded = decodeString(text, i);
    if (typeof decoded === "string") return { values, error: `can't parse string content: ${decoded}` };
    if (decoded.end !== text.length) return { values, error: "extra data after string" };
    keep(values, "content", decoded.value, copy);
    return { values, error: undefined };
  }
  if (text.charCodeAt(i) !== OPEN_BRACE) return { values, error: "JSON object expected" };
  i++;
  for (;;) {
    i = skipSpaces(text, i);
    if (text.charCodeAt(i) === CLOSE_BRACE) {
      i = skipSpaces(text, i + 1);
      return { values, error: i === text.length ? undefined : "unexpected data after object end" };
    }
    if (i >= text.length) return { values, error: "expected parameter name" };
    const key = decodeString(text, i);
    if (typeof key === "string") return { values, error: `can't parse parameter name: ${key}` };
    i = skipSpaces(text, key.end);
    if (text.charCodeAt(i) !== COLON) return { values, error: "can't parse object, ':' expected" };
    i = skipSpaces(text, i + 1);
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      const decoded = decodeString(text, i);
      if (typeof decoded === "string") return { values, error: `can't parse parameter value: ${decoded}` };
      value = decoded.value;
      i = decoded.end;
    } else {
      const end = skipJsonValue(text, i, JSON_MAX_DEPTH);
      if (typeof end === "string") return { values, error: `can't parse parameter value: ${end}` };
      value = text.slice(i, end);
      i = end;
    }
    keep(values, key.value, value, copy);
    i = skipSpaces(text, i);
    const next = text.charCodeAt(i);
    if (next === COMMA) i++;
    else if (next !== CLOSE_BRACE) return { values, error: "expected next field or object end" };
  }
}

/** Keeps the first occurrence of a key; copies out of a big body (see COPY_VALUES_ABOVE_CHARS). */
function keep(values: ParamRecord, key: string, value: string, copy: boolean): void {
  if (Object.hasOwn(values, key)) return;
  setParam(values, copy ? flat(key) : key, copy ? flat(value) : value);
}

/**
 * td::json_decode: the whole text is one JSON value within the depth limit (trailing spaces
 * allowed). Returns undefined when telegram-bot-api would fail to decode it. Values are then built
 * by JSON.parse, which is stricter than tdutils about number syntax (`+1`, `.5`) and escapes
 * (`\x`): those are refused here and accepted there.
 */
export function decodeJson(text: string): { value: unknown } | undefined {
  const end = skipJsonValue(text, 0, JSON_MAX_DEPTH);
  if (typeof end === "string" || skipSpaces(text, end) !== text.length) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** td::is_space: what Parser::skip_whitespaces skips. */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

const isNumberChar = (code: number) =>
  (code >= 0x30 && code <= 0x39) ||
  code === 0x2d ||
  code === 0x2b ||
  code === 0x2e ||
  code === 0x65 ||
  code === 0x45;

/** A copy that does not share memory with the string it was sliced from. */
const flat = (value: string): string => (value.length < 13 ? value : ` ${value}`.slice(1));

/**
 * json_string_decode at `start` (a `"`): the decoded text and the index after the closing quote,
 * or the error message. Escapes as tdutils reads them: \b \f \n \r \t, \uXXXX (two surrogates in
 * a row are joined), and any other escaped character stands for itself.
 */
function decodeString(text: string, start: number): { value: string; end: number } | string {
  const first = nextQuoteOrBackslash(text, start + 1);
  if (first >= text.length) return "Closing '\"' not found";
  if (text.charCodeAt(first) === QUOTE) return { value: text.slice(start + 1, first), end: first + 1 };
  let out = text.slice(start + 1, first);
  let i = first;
  for (;;) {
    if (i >= text.length) return "Closing '\"' not found";
    const code = text.charCodeAt(i);
    if (code === QUOTE) return { value: out, end: i + 1 };
    if (code !== BACKSLASH) {
      const nextSpecial = nextQuoteOrBackslash(text, i);
      out += text.slice(i, nextSpecial);
      i = nextSpecial;
      continue;
    }
    i++;
    if (i >= text.length) return "Closing '\"' not found";
    const escaped = text[i]!;
    i++;
    if (escaped === "u") {
      const unit = readHex4(text, i);
      if (typeof unit === "string") return unit;
      i += 4;
      let codePoint = unit;
      if (unit > 0xd7ff && unit < 0xe000 && text.charCodeAt(i) === BACKSLASH && text[i + 1] === "u") {
        const second = readHex4(text, i + 2);
        if (typeof second === "string") return second;
        if (second > 0xd7ff && second < 0xe000) {
          codePoint = (((unit & 0x3ff) << 10) | (second & 0x3ff)) + 0x10000;
          i += 6;
        }
      }
      out += String.fromCodePoint(codePoint);
    } else {
      out += ESCAPES[escaped] ?? escaped;
    }
  }
}

const ESCAPES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
  }),
);

function nextQuoteOrBackslash(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE || code === BACKSLASH) return i;
  }
  return text.length;
}

function readHex4(text: string, at: number): number | string {
  if (at + 4 > text.length) return "\\u has less than 4 symbols";
  let value = 0;
  for (let k = 0; k < 4; k++) {
    const digit = Number.parseInt(text[at + k]!, 16);
    if (Number.isNaN(digit)) return "Invalid \\u -- not hex digit";
    value = value * 16 + digit;
  }
  return value;
}

/** json_string_skip at `start`: the index after the closing quote, or the error. */
function skipString(text: string, start: number): number | string {
  if (text.charCodeAt(start) !== QUOTE) return "Opening '\"' expected";
  let i = start + 1;
  for (;;) {
    i = nextQuoteOrBackslash(text, i);
    if (i >= text.length) return "Closing '\"' not found";
    if (text.charCodeAt(i) === QUOTE) return i + 1;
    i++;
    if (i >= text.length) return "Closing '\"' not found";
    if (text[i] !== "u") {
      i++;
      continue;
    }
    const unit = readHex4(text, i + 1);
    if (typeof unit === "string") return unit;
    i += 5;
    if (unit > 0xd7ff && unit < 0xe000 && text.charCodeAt(i) === BACKSLASH && text[i + 1] === "u") {
      const second = readHex4(text, i + 2);
      if (typeof second === "string") return second;
      if (second > 0xd7ff && second < 0xe000) i += 6;
    }
  }
}

const ARRAY = 0;
const OBJECT = 1;

/**
 * do_json_skip without recursion: the index after the JSON value starting at `start` (spaces
 * before it skipped), or the error. A value at nesting level L (the value itself is level 0) is
 * refused when L > maxDepth.
 */
export function skipJsonValue(text: string, start: number, maxDepth: number): number | string {
  const stack: number[] = [];
  let i = start;
  for (;;) {
    // A value is expected at i, at level stack.length.
    if (stack.length > maxDepth) return "Too big object depth";
    i = skipSpaces(text, i);
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if (code === 0x66 /* f */ || code === 0x74 /* t */ || code === 0x6e /* n */) {
      const word = code === 0x66 ? "false" : code === 0x74 ? "true" : "null";
      if (!text.startsWith(word, i)) return `Starts with '${text[i]}' -- ${word} expected`;
      i += word.length;
    } else if (code === QUOTE) {
      const end = skipString(text, i);
      if (typeof end === "string") return end;
      i = end;
    } else if (code === OPEN_BRACKET) {
      i = skipSpaces(text, i + 1);
      if (text.charCodeAt(i) !== CLOSE_BRACKET) {
        if (i >= text.length) return "Unexpected end";
        stack.push(ARRAY);
        continue;
      }
      i++;
    } else if (code === OPEN_BRACE) {
      i = skipSpaces(text, i + 1);
      if (text.charCodeAt(i) !== CLOSE_BRACE) {
        const afterKey = skipKey(text, i);
        if (typeof afterKey === "string") return afterKey;
        i = afterKey;
        stack.push(OBJECT);
        continue;
      }
      i++;
    } else if (isNumberChar(code)) {
      while (i < text.length && isNumberChar(text.charCodeAt(i))) i++;
    } else if (code === 0) {
      return "Unexpected end";
    } else {
      return code > 0 && code < 127 ? `Unexpected symbol '${text[i]}'` : "Unexpected symbol";
    }
    // A value ended at i: close the containers it completes, or move to their next element.
    let expectValue = false;
    while (stack.length > 0 && !expectValue) {
      i = skipSpaces(text, i);
      const next = text.charCodeAt(i);
      const inArray = stack[stack.length - 1] === ARRAY;
      if (next === (inArray ? CLOSE_BRACKET : CLOSE_BRACE)) {
        stack.pop();
        i++;
      } else if (next === COMMA) {
        i = skipSpaces(text, i + 1);
        if (i >= text.length) return "Unexpected end";
        if (!inArray) {
          const afterKey = skipKey(text, i);
          if (typeof afterKey === "string") return afterKey;
          i = afterKey;
        }
        expectValue = true;
      } else {
        return "Unexpected symbol";
      }
    }
    if (!expectValue) return i;
  }
}

/** An object member's `"key" :` at `start`; the index after the colon, or the error. */
function skipKey(text: string, start: number): number | string {
  if (start >= text.length) return "Unexpected end";
  const end = skipString(text, start);
  if (typeof end === "string") return end;
  const colon = skipSpaces(text, end);
  if (text.charCodeAt(colon) !== COLON) return "':' expected";
  return colon + 1;
}
