/**
 * Test support for the fuzz suites: fast-check arbitraries of Bot API requests, well-formed and
 * not — random and mangled methods and tokens, parameters in the query string, JSON, urlencoded
 * and multipart bodies, wrong and missing content types, truncated and corrupt bodies, gzip and
 * deflate, huge and deeply nested values, wrong types, invalid UTF-8, other HTTP verbs — and the
 * invariant every answer must meet. Used by fuzz.integration.test.ts (inject) and fuzz-sockets.integration.test.ts.
 */
import assert from "node:assert/strict";
import { deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { anyText, method, type Parameter, parameters } from "./fuzz-values.ts";

/** One request, ready to send. */
export interface FuzzRequest {
  verb: string;
  /** Request target: path and query string. */
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** What the suites must know to keep the fuzz on loopback and quick. */
export interface FuzzSetting {
  /** Tokens of this run's bots (fresh per run, so no state leaks between runs). */
  tokens: string[];
  /** The only URLs setWebhook may be given: the suite's own receivers and a closed port. */
  webhookUrls: string[];
}

function token(setting: FuzzSetting) {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...setting.tokens), weight: 8 },
    {
      arbitrary: fc.oneof(
        fc.constantFrom(
          "",
          ":",
          "0:x",
          "012:x",
          "123",
          "123:",
          ":abc",
          `${2 ** 54}:x`,
          "1:a/b",
          "12%3A34",
          "1:%zz",
          "٣:x",
        ),
        fc.tuple(fc.bigInt({ min: -1n, max: 2n ** 60n }), anyText).map(([id, secret]) => `${id}:${secret}`),
        anyText,
      ),
      weight: 2,
    },
  );
}

/** setWebhook only ever gets a URL of the suite's own (a random one could reach a real service). */
function safeUrl(setting: FuzzSetting) {
  return fc.constantFrom(
    ...setting.webhookUrls,
    "",
    "ftp://x",
    "http://example.org/hook",
    "http://[::1",
    "%zz",
  );
}

/** Percent-encodes every UTF-8 byte outside `keep` (lone surrogates become U+FFFD's bytes, never an exception). */
function percentEncode(text: string, keep = /[A-Za-z0-9_.~-]/): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
/** For parameters: encodeURIComponent, made safe for lone surrogates. */
const encode = (text: string) => encodeURIComponent(text.replace(LONE_SURROGATE, "\ufffd"));
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const form = (list: Parameter[]) => list.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");

/** JSON with values typed where they look like it (as frameworks send them) or as strings. */
function jsonBody(list: Parameter[], typed: boolean): string {
  const members = list.map(([k, v]) => {
    const raw = typed && /^(-?\d{1,15}|true|false|null|\[.*\]|\{.*\})$/s.test(v) ? v : JSON.stringify(v);
    return `${JSON.stringify(k)}:${raw}`;
  });
  return `{${members.join(",")}}`;
}

function multipartBody(list: Parameter[], boundary: string, files: number): string {
  const parts = list.map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  for (let i = 0; i < files; i++) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="f${i}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${"\u0000\u00ff".repeat(i * 50)}\r\n`,
    );
  }
  return `${parts.join("")}--${boundary}--\r\n`;
}

/** Damage to a body: cut it, flip bytes, splice in invalid UTF-8. */
const damage = fc.oneof(
  { arbitrary: fc.constant((b: Buffer) => b), weight: 10 },
  {
    arbitrary: fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((at) => (b: Buffer) => b.subarray(0, Math.floor(b.length * at))),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 0, max: 1_000_000 }).map((seed) => (b: Buffer) => {
      const copy = Buffer.from(b);
      for (let i = seed % 7; i < copy.length; i += 13 + (seed % 17)) copy[i] = copy[i]! ^ 0xa5;
      return copy;
    }),
    weight: 1,
  },
  {
    arbitrary: fc.constant((b: Buffer) =>
      Buffer.concat([
        b.subarray(0, b.length >> 1),
        Buffer.from([0xff, 0xfe, 0x80, 0xc3]),
        b.subarray(b.length >> 1),
      ]),
    ),
    weight: 1,
  },
);

const compression = fc.constantFrom<"none" | "gzip" | "deflate" | "bogus">(
  "none",
  "none",
  "none",
  "gzip",
  "deflate",
  "bogus",
);

/** A whole request against the bots of `setting`. */
export function fuzzRequest(setting: FuzzSetting): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      verb: fc.oneof(
        { arbitrary: fc.constantFrom("GET", "POST"), weight: 12 },
        { arbitrary: fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"), weight: 1 },
      ),
      shape: fc.constantFrom("bot", "bot", "bot", "bot", "test", "no-method", "no-slash", "other"),
      token: token(setting),
      method: method,
      params: parameters,
      url: safeUrl(setting),
      encoding: fc.constantFrom("query", "json", "json-typed", "urlencoded", "multipart", "raw", "none"),
      contentType: fc.constantFrom("right", "right", "right", "wrong", "missing", "garbage"),
      compression,
      damage,
      rawBody: fc.uint8Array({ maxLength: 300 }),
      boundary: fc.oneof(
        fc.constantFrom("b0undary", "WebKitFormBoundaryAbC", '"quoted"', "x".repeat(71), ""),
        fc.string({ minLength: 1, maxLength: 8 }),
      ),
      files: fc.integer({ min: 0, max: 2 }),
    })
    .map((r) => buildRequest(r));
}

interface Drawn {
  verb: string;
  shape: string;
  token: string;
  method: string;
  params: Parameter[];
  url: string;
  encoding: string;
  contentType: string;
  compression: "none" | "gzip" | "deflate" | "bogus";
  damage: (b: Buffer) => Buffer;
  rawBody: Uint8Array;
  boundary: string;
  files: number;
}

function buildRequest(r: Drawn): FuzzRequest {
  // A `url` is always one of the suite's own: setWebhook must never reach anything else.
  const params = r.params.map(([k, v]): Parameter => [k, k === "url" ? r.url : v]);
  // Percent-encoded except for deliberate `%` mangling: inject() resolves a target like a URL, so
  // a raw `\` or `..` would not arrive as sent (the socket suite sends those raw).
  const pathToken = percentEncode(r.token, /[A-Za-z0-9_.~:%-]/);
  const pathMethod = percentEncode(r.method, /[A-Za-z0-9_~%/-]/);
  const path =
    r.shape === "test"
      ? `/bot${pathToken}/test/${pathMethod}`
      : r.shape === "no-method"
        ? `/bot${pathToken}/`
        : r.shape === "no-slash"
          ? `/bot${pathToken}`
          : r.shape === "other"
            ? `/${pathMethod}`
            : `/bot${pathToken}/${pathMethod}`;
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  let type: string | undefined;
  let query = "";
  switch (r.encoding) {
    case "query":
      query = form(params);
      break;
    case "json":
    case "json-typed":
      body = Buffer.from(jsonBody(params, r.encoding === "json-typed"));
      type = "application/json";
      break;
    case "urlencoded":
      body = Buffer.from(form(params));
      type = "application/x-www-form-urlencoded";
      break;
    case "multipart":
      body = Buffer.from(multipartBody(params, r.boundary.replace(/^"|"$/g, ""), r.files));
      type = `multipart/form-data; boundary=${r.boundary}`;
      break;
    case "raw":
      body = Buffer.from(r.rawBody);
      type = "application/octet-stream";
      break;
    default:
      break;
  }
  if (body !== undefined) {
    body = r.damage(body);
    if (r.compression === "gzip") body = r.damage(gzipSync(body));
    if (r.compression === "deflate") body = r.damage(deflateSync(body));
    if (r.compression !== "none")
      headers["content-encoding"] = r.compression === "bogus" ? "br" : r.compression;
  }
  if (type !== undefined) {
    if (r.contentType === "right") headers["content-type"] = type;
    else if (r.contentType === "wrong")
      headers["content-type"] = type.startsWith("application/json") ? "text/plain" : "application/json";
    else if (r.contentType === "garbage") headers["content-type"] = `;;${type.slice(3)}=`;
  }
  return { verb: r.verb, url: query === "" ? path : `${path}?${query}`, headers, body };
}

/** The answer a Bot API request may get: Telegram's envelope, or 501 for another verb. */
export function assertTelegramAnswer(
  request: Pick<FuzzRequest, "verb" | "url">,
  status: number,
  contentType: string | undefined,
  body: string,
): void {
  const what = `${request.verb} ${request.url.slice(0, 200)}`;
  if (request.verb !== "GET" && request.verb !== "POST" && status !== 431) {
    // telegram-bot-api answers any other verb 501 with an empty body (HttpReader::parse_head),
    // unless its head is over 256 KiB: that is 431 before the verb is read (split_header).
    assert.equal(status, 501, what);
    assert.equal(body, "", what);
    return;
  }
  assert.equal(contentType, "application/json", `${what}: content type`);
  const envelope = JSON.parse(body) as Record<string, unknown>;
  if (envelope.ok === true) {
    assert.equal(status, 200, what);
    assert.ok("result" in envelope, `${what}: result`);
    return;
  }
  assert.equal(envelope.ok, false, what);
  assert.equal(envelope.error_code, status, `${what}: status = error_code`);
  assert.equal(typeof envelope.description, "string", what);
  for (const key of Object.keys(envelope))
    assert.ok(["ok", "error_code", "description", "parameters"].includes(key), key);
  // No 5xx: telegram-bot-api sends none for these requests (its 500s are its own disk failures).
  assert.ok(status >= 400 && status < 500, `${what}: ${status} ${envelope.description}`);
}
