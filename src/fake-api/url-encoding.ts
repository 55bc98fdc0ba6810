/**
 * Percent-decoding and `key=value&…` parameters exactly as telegram-bot-api reads them (tdutils
 * misc.cpp `url_decode`, tdnet HttpReader.cpp `parse_url` and `parse_parameters`). Unlike
 * `decodeURIComponent`, nothing here throws: a `%` that is not followed by two hex digits is
 * kept as it is, and bytes that are not UTF-8 become U+FFFD.
 */

/**
 * Parameters by name. Written only through {@link setParam} and read only through `Object.hasOwn`,
 * so any name, `__proto__` and `constructor` included, is plain data. (A plain object rather than
 * a null-prototype one: V8 keeps those in its slow dictionary mode, which costs every request.)
 */
export type ParamRecord = Record<string, string>;

/** A new, empty {@link ParamRecord}. */
export const newParamRecord = (): ParamRecord => ({});

/** Sets a parameter; `__proto__` becomes an own property like any other name. */
export function setParam(record: ParamRecord, key: string, value: string): void {
  if (key === "__proto__")
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

const PERCENT = 0x25;
const PLUS = 0x2b;

/**
 * td::url_decode: `%XY` with two hex digits becomes that byte; anything else (a lone `%`, `%zz`)
 * stays; with `plusAsSpace`, `+` becomes a space (query strings and urlencoded bodies, not paths).
 */
export function urlDecode(text: string, plusAsSpace: boolean): string {
  const percentAt = text.indexOf("%");
  if (percentAt === -1) return plusAsSpace && text.includes("+") ? text.replaceAll("+", " ") : text;
  const bytes = Buffer.from(text, "utf8");
  let out = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === PERCENT && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1]!);
      const low = hexValue(bytes[i + 2]!);
      if (high < 16 && low < 16) {
        bytes[out++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    bytes[out++] = plusAsSpace && byte === PLUS ? 0x20 : byte;
  }
  return bytes.toString("utf8", 0, out);
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return 16;
}

/**
 * HttpReader::parse_parameters: `&`-separated `key=value` pairs, both sides url-decoded with `+`
 * as a space; a pair without `=` has an empty value; the first occurrence of a key wins (Query::arg
 * returns the first). Adds to `into` (keys already there are kept) and returns it.
 */
export function parseUrlParameters(text: string, into: ParamRecord = newParamRecord()): ParamRecord {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("&", start);
    if (end === -1) end = text.length;
    if (end > start) {
      const equals = text.indexOf("=", start);
      const keyEnd = equals === -1 || equals > end ? end : equals;
      const key = urlDecode(text.slice(start, keyEnd), true);
      if (!Object.hasOwn(into, key)) {
        setParam(into, key, keyEnd === end ? "" : urlDecode(text.slice(keyEnd + 1, end), true));
      }
    }
    start = end + 1;
  }
  return into;
}

/**
 * Rewrites a request target so fastify's router can decode it (it refuses a bad escape, or one
 * that decodes to invalid UTF-8): then every `%` of the path becomes `%25`. The bot route reads the
 * original target (fastify keeps it as `originalUrl`) with telegram-bot-api's decoding, so this
 * only decides the route. A fragment before the query ends the path, as in HttpReader::parse_url
 * (then there are no parameters).
 */
export function routableUrl(url: string): string {
  const hashAt = url.indexOf("#");
  const queryAt = url.indexOf("?");
  let target = url;
  if (hashAt !== -1 && (queryAt === -1 || hashAt < queryAt)) target = url.slice(0, hashAt);
  if (!target.includes("%")) return target;
  const pathEnd = queryAt === -1 || queryAt > target.length ? target.length : queryAt;
  const path = target.slice(0, pathEnd);
  try {
    decodeURIComponent(path);
    return target;
  } catch {
    return path.replaceAll("%", "%25") + target.slice(pathEnd);
  }
}

/**
 * The user info of a URL as written (before the last `@` of the authority), which
 * telegram-bot-api sends base64-encoded as Basic auth without percent-decoding it (td::parse_url).
 */
export function rawUserinfo(url: string): string {
  const schemeEnd = url.indexOf("://");
  if (schemeEnd === -1) return "";
  const authorityStart = schemeEnd + 3;
  let authorityEnd = url.length;
  for (const stop of ["/", "?", "#"]) {
    const at = url.indexOf(stop, authorityStart);
    if (at !== -1 && at < authorityEnd) authorityEnd = at;
  }
  const at = url.lastIndexOf("@", authorityEnd - 1);
  return at < authorityStart ? "" : url.slice(authorityStart, at);
}
