/**
 * How the fake API reads a request's parameters, rule by rule against telegram-bot-api's source
 * (docs/parameter-handling.md has the table, with each rule's function and test name). Includes
 * the regression tests of issue 9's findings 12 (bodies of GET requests), 13 (allowed_updates
 * that is not an array) and 14 (bytes counted on the socket).
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { deflateSync, gzipSync } from "node:zlib";
import { FakeApi, type Update } from "./index.ts";
import { decodeJson, parseJsonParameters } from "./json-parameters.ts";
import { Params, toBool, toInt32 } from "./params.ts";
import { apiFor, portOf, RawConnection, Receiver, rawRequest, waitFor } from "./socket-test-helpers.ts";
import { TOKEN } from "./test-helpers.ts";
import { parseUrlParameters, urlDecode } from "./url-encoding.ts";

const USER = { id: 1001 };
const api = new FakeApi();
after(() => api.close());
api.control.injectText(TOKEN, { text: "hello", from: USER });

interface Sent {
  method?: "GET" | "POST";
  url?: string;
  type?: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

/** sendMessage (by default) through inject(); returns status and envelope. */
async function send(options: Sent = {}) {
  const headers = {
    ...(options.type === undefined ? {} : { "content-type": options.type }),
    ...options.headers,
  };
  const response = await api.app.inject({
    method: options.method ?? "POST",
    url: options.url ?? `/bot${TOKEN}/sendMessage`,
    headers,
    ...(options.payload === undefined ? {} : { payload: options.payload }),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.json() as { ok: boolean; result?: Record<string, unknown>; description?: string },
  };
}

const lastCall = () => api.control.calls(TOKEN).at(-1)!;

describe("query strings and paths (HttpReader::parse_url, parse_parameters; HttpConnection::handle)", () => {
  test("query string: + is a space, a bad escape is kept, the first occurrence wins, and it wins over the body", async () => {
    const answer = await send({
      url: `/bot${TOKEN}/sendMessage?chat_id=1001&text=a+b%20c%zz&text=second`,
      type: "application/json",
      payload: JSON.stringify({ text: "from body" }),
    });
    assert.equal(answer.body.result?.text, "a b c%zz");
    assert.deepEqual({ ...parseUrlParameters("a=1&a=2&b&=e&&c=%4") }, { a: "1", b: "", "": "e", c: "%4" });
    assert.equal(urlDecode("%41%4a%zz%", false), "AJ%zz%");
    assert.equal(urlDecode("a+b", false), "a+b", "paths keep +");
  });

  test("path: the token runs to the next slash, /test/ is the test environment, and no method means the method parameter", async () => {
    assert.equal((await send({ method: "GET", url: `/bot${TOKEN}/test/getMe` })).status, 200);
    const byParameter = await send({ method: "GET", url: `/bot${TOKEN}/?method=GETME` });
    assert.equal(byParameter.status, 200);
    assert.equal((byParameter.body.result as { id: number }).id, 123456);
    const none = await send({ method: "GET", url: `/bot${TOKEN}/` });
    assert.deepEqual(none.body, { ok: false, error_code: 404, description: "Not Found: method not found" });
    assert.equal((await send({ method: "GET", url: `/bot${TOKEN}/getMe/x` })).status, 404);
    assert.equal((await send({ method: "GET", url: `/bot${TOKEN}` })).body.description, "Not Found");
  });
});

describe("bodies for every method (HttpReader::do_read_next) — finding 12", () => {
  test("a GET request's form body carries its parameters, as telegram-bot-api reads them", async (t) => {
    const server = new FakeApi();
    t.after(() => server.close());
    const token = "31337:get-body";
    const first = server.control.injectText(token, { text: "one", from: USER })!;
    server.control.injectText(token, { text: "two", from: USER });
    const get = (method: string, payload: string) =>
      server.app.inject({
        method: "GET",
        url: `/bot${token}/${method}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload,
      });
    // An async Python client polls like this: without the body, offset is 0 and update one comes back forever.
    const polled = (await get("getUpdates", `offset=${first.update_id + 1}&timeout=0`)).json()
      .result as Update[];
    assert.deepEqual(
      polled.map((u) => u.message?.text),
      ["two"],
    );
    assert.equal((await get("getMe", "")).statusCode, 200);
    const json = await server.app.inject({
      method: "GET",
      url: `/bot${token}/getUpdates`,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ offset: polled[0]!.update_id + 1 }),
    });
    assert.deepEqual(json.json().result, []);
  });

  test("the Content-Type is matched by substring in HttpReader's order; anything else is a file part named file", async () => {
    const cases: Array<[string, string, string]> = [
      ["text/plain; application/x-www-form-urlencoded", "chat_id=1001&text=urlencoded", "urlencoded"],
      ["APPLICATION/JSON; charset=utf-8", '{"chat_id":1001,"text":"json"}', "json"],
      ["application/json, application/x-www-form-urlencoded", "chat_id=1001&text=form-first", "form-first"],
    ];
    for (const [type, payload, text] of cases) {
      const answer = await send({ type, payload });
      assert.equal(answer.body.result?.text, text, type);
    }
    for (const type of ["text/plain", "garbage;;;", "image/png"]) {
      const answer = await send({
        url: `/bot${TOKEN}/sendMessage?chat_id=1001&text=q`,
        type,
        payload: "raw bytes",
      });
      assert.equal(answer.status, 200, type);
      assert.deepEqual(lastCall().files, [{ field: "file", filename: "", mimeType: type, sizeBytes: 9 }]);
    }
    for (const type of ["multipart/form-data; boundary=x", "application/json", "text/plain"]) {
      const bodiless = await send({ method: "GET", url: `/bot${TOKEN}/getMe`, type });
      assert.equal(bodiless.status, 200, `no body, so no parsing: ${type}`);
    }
    const untyped = await api.app.inject({
      method: "POST",
      url: `/bot${TOKEN}/getMe`,
      payload: "no type at all",
      headers: { "content-type": "" },
    });
    assert.equal(untyped.statusCode, 200);
  });

  test("gzip and deflate bodies are inflated (zlib's header detection, either way round); other encodings are 415", async () => {
    const json = JSON.stringify({ chat_id: 1001, text: "zipped" });
    for (const [encoding, payload] of [
      ["gzip", gzipSync(json)],
      ["deflate", deflateSync(json)],
      ["deflate", gzipSync(json)],
      ["GZIP", gzipSync(json)],
    ] as const) {
      const answer = await send({
        type: "application/json",
        headers: { "content-encoding": encoding },
        payload,
      });
      assert.equal(answer.body.result?.text, "zipped", encoding);
    }
    for (const encoding of ["br", "identity", "compress"]) {
      const answer = await send({
        type: "application/json",
        headers: { "content-encoding": encoding },
        payload: json,
      });
      assert.equal(answer.status, 415, encoding);
      assert.equal(answer.headers.connection, "close");
      assert.equal(answer.body.description, "Unsupported Media Type: unsupported content-encoding");
    }
  });
});

describe("JSON bodies (HttpReader::parse_json_parameters)", () => {
  test("values are text: strings decoded, anything else its JSON text as sent; a bare string body is `content`", () => {
    const { values, error } = parseJsonParameters(
      '{"s":"a\\"b\\u00e9\\ud83d\\ude00\\x","n":1.50,"o":{"k":[1, 2]},"t":true,"z":null}',
    );
    assert.equal(error, undefined);
    assert.deepEqual({ ...values }, { s: 'a"bé😀x', n: "1.50", o: '{"k":[1, 2]}', t: "true", z: "null" });
    assert.deepEqual({ ...parseJsonParameters('"just text"').values }, { content: "just text" });
    assert.deepEqual(
      { ...parseJsonParameters('{"a":1,"a":2,}').values },
      { a: "1" },
      "first wins, trailing comma ok",
    );
  });

  test("a syntax error ends the parse: the parameters before it are kept, the call goes on", async () => {
    assert.deepEqual({ ...parseJsonParameters('{"a":"1","b":tru,"c":"3"}').values }, { a: "1" });
    assert.deepEqual({ ...parseJsonParameters("[1,2]").values }, {});
    assert.deepEqual({ ...parseJsonParameters("{not json").values }, {});
    const answer = await send({ type: "application/json", payload: '{"chat_id":1001,"text":"cut",' });
    assert.equal(answer.body.result?.text, "cut");
  });

  test("nesting: a body value may be 100 levels deep, not 101 (do_json_skip's DEFAULT_MAX_DEPTH)", () => {
    const nested = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
    assert.deepEqual(Object.keys(parseJsonParameters(`{"a":${nested(100)},"b":"2"}`).values), ["a", "b"]);
    const refused = parseJsonParameters(`{"a":"1","b":${nested(101)},"c":"3"}`);
    assert.deepEqual({ ...refused.values }, { a: "1" });
    assert.match(refused.error ?? "", /Too big object depth/);
  });

  test("JSON parameters are decoded with the same depth limit (json_decode): deeper is can't parse, not a crash", async () => {
    const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
    assert.deepEqual(decodeJson(` ${nested(101)} `)?.value !== undefined, true);
    assert.equal(decodeJson(`[${nested(101)}]`), undefined);
    assert.equal(decodeJson('{"a":1} x'), undefined);
    const answer = await send({
      type: "application/x-www-form-urlencoded",
      payload: `chat_id=1001&text=x&reply_markup=${encodeURIComponent(`{"inline_keyboard":${nested(101)}}`)}`,
    });
    assert.equal(answer.body.description, "Bad Request: can't parse reply keyboard markup JSON object");
  });
});

describe("values (Client.cpp get_integer_arg, to_bool; Query::arg)", () => {
  test("integers are td::to_integer<int32>: optional minus, digits up to the first other character, int32 wrap-around", () => {
    const cases: Array<[string, number]> = [
      ["42", 42],
      ["-7", -7],
      ["12abc", 12],
      ["5.9", 5],
      ["+5", 0],
      [" 5", 0],
      ["abc", 0],
      ["-", 0],
      ["2147483647", 2147483647],
      ["2147483648", -2147483648],
      ["4294967295", -1],
      ["4294967297", 1],
      ["-2147483649", 2147483647],
    ];
    for (const [text, expected] of cases) assert.equal(toInt32(text), expected, text);
    assert.equal(Params.of({ limit: "500" }).int("limit", 100, 1, 100), 100);
    assert.equal(Params.of({ limit: "+5" }).int("limit", 100, 1, 100), 1);
    assert.equal(Params.of({}).int("limit", 100, 1, 100), 100);
  });

  test("booleans are to_bool: true, yes or 1 in any case with spaces around; anything else is false", () => {
    for (const text of ["true", "TRUE", "yes", "Yes", "1", " true\t", "\n1 "])
      assert.equal(toBool(text), true, text);
    for (const text of ["2", "on", "false", "0", "y", "truee", "-1"]) assert.equal(toBool(text), false, text);
  });

  test("an empty value counts as absent, and still shadows a later occurrence (Query::arg finds the first)", async () => {
    const shadowed = await send({
      url: `/bot${TOKEN}/sendMessage?chat_id=&text=x`,
      type: "application/json",
      payload: '{"chat_id":1001}',
    });
    assert.equal(shadowed.body.description, "Bad Request: chat_id is empty");
    const empty = await send({ type: "application/json", payload: '{"chat_id":"","text":"x"}' });
    assert.equal(empty.body.description, "Bad Request: chat_id is empty");
  });
});

describe("allowed_updates (Client.cpp get_allowed_update_types) — finding 13", () => {
  test("never fails the call: null, a string or bad JSON keep the previous setting; names are case-insensitive", async (t) => {
    // Same-offset short polls would each be held 3 s by the anti-busy-loop rule.
    const server = new FakeApi({ antiBusyLoop: false });
    t.after(() => server.close());
    const token = "31338:allowed";
    const poll = async (allowed: string) => {
      const response = await server.app.inject({
        method: "POST",
        url: `/bot${token}/getUpdates`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: `timeout=0&allowed_updates=${encodeURIComponent(allowed)}`,
      });
      assert.equal(response.statusCode, 200, `${allowed}: ${response.body}`);
      return server.control.webhookInfo(token).allowed_updates;
    };
    assert.deepEqual(await poll('["MESSAGE","callback_query"]'), ["message", "callback_query"]);
    for (const kept of [
      "null",
      '"message"',
      "[1,2",
      "{}",
      '["message",1]',
      "42",
      `${"[".repeat(102)}${"]".repeat(102)}`,
    ]) {
      assert.deepEqual(await poll(kept), ["message", "callback_query"], kept);
    }
    assert.equal(await poll('["no_such_type"]'), undefined, "nothing known: the default set");
    assert.deepEqual(await poll('["edited_message"]'), ["edited_message"]);
    assert.equal(await poll("[]"), undefined);
  });
});

describe("multipart/form-data (HttpReader::parse_multipart_form_data)", () => {
  const boundary = "Xy-Boundary";
  const part = (headers: string, value: string) => `--${boundary}\r\n${headers}\r\n\r\n${value}\r\n`;
  const field = (name: string, value: string, extra = "") =>
    part(`Content-Disposition: form-data; name="${name}"${extra}`, value);
  const multipart = (parts: string[]) => ({
    type: `multipart/form-data; boundary="${boundary}"`,
    payload: `${parts.join("")}--${boundary}--\r\n`,
  });

  test("fields are parameters (first wins), a filename makes a file part, an urlencoded part holds parameters", async () => {
    const answer = await send({
      url: `/bot${TOKEN}/sendDocument`,
      ...multipart([
        field("chat_id", "1001"),
        field("chat_id", "2"),
        part(
          'Content-Disposition: form-data; name="extra"\r\nContent-Type: application/x-www-form-urlencoded',
          "caption=from+part",
        ),
        part(
          'Content-Disposition: form-data; name="document"; filename="r.txt"\r\nContent-Type: text/plain',
          "12345",
        ),
        part(
          'Content-Disposition: form-data; name="blob"\r\nContent-Type: application/octet-stream',
          "not a file",
        ),
      ]),
    });
    assert.equal(answer.status, 200, answer.body.description);
    assert.equal(answer.body.result?.caption, "from part");
    const call = lastCall();
    assert.equal(call.params.chat_id, "1001");
    assert.equal(call.params.blob, "not a file");
    assert.deepEqual(call.files, [
      { field: "document", filename: "r.txt", mimeType: "text/plain", sizeBytes: 5 },
    ]);
  });

  test("limits: a boundary is needed, a part needs a name, at most 50 files, a field at most 1 MiB", async () => {
    const noBoundary = await send({ type: "multipart/form-data", payload: "x" });
    assert.deepEqual(
      [noBoundary.status, noBoundary.body.description],
      [400, "Bad Request: boundary not found"],
    );
    const noName = await send(multipart([part('Content-Disposition: form-data; filename="a"', "v")]));
    assert.equal(noName.body.description, "Bad Request: field name in multipart/form-data not found");
    const untyped = await send(multipart([part("Content-Type: text/plain", "v")]));
    assert.equal(untyped.body.description, "Bad Request: field name in multipart/form-data not found");
    const notFormData = await send(multipart([part('Content-Disposition: attachment; name="a"', "v")]));
    assert.equal(notFormData.body.description, "Bad Request: expected form-data content disposition");
    const empty = await send({
      type: `multipart/form-data; boundary=${boundary}`,
      payload: `--${boundary}\r\n\r\nv\r\n--${boundary}--`,
    });
    assert.equal(empty.body.description, "Bad Request: headers in multipart/form-data are empty");
    const files = Array.from({ length: 51 }, (_, i) => field(`f${i}`, "x", `; filename="${i}.bin"`));
    const tooMany = await send(multipart(files));
    assert.deepEqual(
      [tooMany.status, tooMany.body.description],
      [413, "Request Entity Too Large: too many files attached"],
    );
    const big = await send(multipart([field("text", "x".repeat(1024 * 1024 + 1))]));
    assert.deepEqual(
      [big.status, big.body.description],
      [413, "Request Entity Too Large: too many parameters in form data"],
    );
    assert.equal(big.headers.connection, "close");
  });
});

describe("size limits (HttpReader MAX_TOTAL_PARAMETERS_LENGTH; tgbench's bodyLimitBytes)", () => {
  test("the query string and an urlencoded or JSON body together may be 1 MiB; more is 413 too many parameters", async () => {
    const half = "x".repeat(600 * 1024);
    for (const type of ["application/x-www-form-urlencoded", "application/json"]) {
      const payload = type === "application/json" ? JSON.stringify({ a: half }) : `a=${half}`;
      const answer = await send({ url: `/bot${TOKEN}/getMe?b=${half}`, type, payload });
      assert.deepEqual(
        [answer.status, answer.body.description],
        [413, "Request Entity Too Large: too many parameters"],
        type,
      );
      assert.equal(answer.headers.connection, "close");
      assert.equal((await send({ url: `/bot${TOKEN}/getMe`, type, payload })).status, 200, type);
    }
  });

  test("a whole body over bodyLimitBytes after decompression is 413", async (t) => {
    const small = new FakeApi({ bodyLimitBytes: 4096 });
    t.after(() => small.close());
    const bomb = gzipSync(Buffer.alloc(64 * 1024, 0x61));
    assert.ok(bomb.length < 4096);
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/json"]) {
      const response = await small.app.inject({
        method: "POST",
        url: `/bot${TOKEN}/getMe`,
        headers: { "content-type": type, "content-encoding": "gzip" },
        payload: bomb,
      });
      assert.equal(response.statusCode, 413, type);
      assert.equal(response.json().error_code, 413, type);
    }
  });
});

describe("bytes on the socket, headers included (finding 14)", () => {
  test("a bot's bytes are what crossed its connection, both ways; body bytes are kept beside them", async (t) => {
    const server = await apiFor(t, { antiBusyLoop: false });
    const token = "31339:bytes";
    server.control.reset();
    const connection = await RawConnection.open(t, portOf(server));
    const exchanges = [
      rawRequest("GET", `/bot${token}/getMe?everything=in&the=query`),
      rawRequest(
        "POST",
        `/bot${token}/getUpdates`,
        { "content-type": "application/json", "transfer-encoding": "chunked" },
        '4\r\n{"ti\r\n9\r\nmeout":0}\r\n0\r\n\r\n',
      ),
      rawRequest(
        "POST",
        `/bot${token}/getUpdates`,
        { "content-type": "application/x-www-form-urlencoded" },
        "timeout=0",
      ),
    ];
    let sentBytes = 0;
    let receivedBytes = 0;
    let receivedBodyBytes = 0;
    for (const request of exchanges) {
      connection.send(request);
      sentBytes += request.length;
      const response = await connection.nextResponse();
      assert.equal(response.status, 200, response.body);
      receivedBytes += response.bytes;
      receivedBodyBytes += Buffer.byteLength(response.body);
    }
    const counters = server.control.counters(token);
    assert.equal(counters.bytesIn, sentBytes);
    assert.equal(counters.bytesOut, receivedBytes);
    assert.equal(counters.bodyBytesIn, 13 + 9, "the chunked body's data and the form");
    assert.equal(counters.bodyBytesOut, receivedBodyBytes);
    assert.equal(counters.emptyGetUpdates, 2);
    assert.ok(counters.bytesOut > 2 * counters.bodyBytesOut, "for empty polls the headers are most of it");
  });

  test("the webhook dispatcher's bytes are counted on its sockets, headers included", async (t) => {
    const server = await apiFor(t);
    const receiver = await Receiver.start(t, (_u, res) =>
      res.writeHead(200, { "content-type": "text/plain" }).end("ok"),
    );
    const token = "31340:webhook-bytes";
    const set = await fetch(
      `${server.apiRoot}/bot${token}/setWebhook?url=${encodeURIComponent(receiver.url())}`,
    );
    assert.equal(set.status, 200);
    for (let i = 0; i < 3; i++) server.control.injectText(token, { text: `m${i}`, from: { id: 2000 + i } });
    await waitFor(() => server.control.counters(token).updatesDeliveredByWebhook === 3, "three deliveries");
    const counters = server.control.counters(token);
    assert.equal(counters.webhookBodyBytesIn, 6);
    assert.ok(counters.webhookBodyBytesOut > 0);
    assert.ok(counters.webhookBytesOut > counters.webhookBodyBytesOut + 3 * 100, "request lines and headers");
    assert.ok(counters.webhookBytesIn > counters.webhookBodyBytesIn + 3 * 30, "status lines and headers");
  });
});

describe("webhook answers are read with the same rules (WebhookActor::handle, HttpReader)", () => {
  test("a JSON answer cut off after its method still runs the method; one malformed before it runs nothing", async (t) => {
    const server = await apiFor(t);
    const answers = [
      '{"method":"sendMessage","chat_id":5005,"text":"cut"',
      '{"method":sendMessage,"chat_id":5005}',
    ];
    let next = 0;
    const receiver = await Receiver.start(t, (_u, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(answers[next++ % answers.length]),
    );
    const token = "31341:webhook-json";
    const set = await fetch(
      `${server.apiRoot}/bot${token}/setWebhook?url=${encodeURIComponent(receiver.url())}`,
    );
    assert.equal(set.status, 200);
    server.control.injectText(token, { text: "one", from: { id: 5005 } });
    server.control.injectText(token, { text: "two", from: { id: 5005 } });
    await waitFor(() => server.control.counters(token).updatesDeliveredByWebhook === 2, "two deliveries");
    const replies = server.control.calls(token).filter((c) => c.via === "webhook-reply");
    assert.deepEqual(
      replies.map((c) => [c.method, c.status, c.params.text]),
      [["sendmessage", 200, "cut"]],
    );
  });
});
