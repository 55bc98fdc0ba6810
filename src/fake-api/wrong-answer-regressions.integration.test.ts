/**
 * Regression tests for answers telegram-bot-api would not give (issue 9, findings 6–11): bad
 * %-escapes, method names that are Object.prototype's, deeply nested JSON, oversized headers on
 * a keep-alive connection, a webhook URL with odd user info, and a bot that drips its answer.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Pool } from "undici";
import { FakeApi, UNKNOWN_METHOD } from "./index.ts";
import {
  apiFor,
  callOverHttp,
  portOf,
  RawConnection,
  Receiver,
  rawRequest,
  waitFor,
} from "./socket-test-helpers.ts";
import { TOKEN } from "./test-helpers.ts";

const USER = { id: 1001 };

async function inject(
  api: FakeApi,
  url: string,
  init: { method?: "GET" | "POST"; type?: string; payload?: string } = {},
) {
  const response = await api.app.inject({
    method: init.method ?? "POST",
    url,
    ...(init.type === undefined ? {} : { headers: { "content-type": init.type } }),
    ...(init.payload === undefined ? {} : { payload: init.payload }),
  });
  return {
    status: response.statusCode,
    contentType: response.headers["content-type"],
    body: response.json() as { ok: boolean; error_code?: number; description?: string; result?: unknown },
  };
}

describe("finding 6: a bad %-escape in a /bot path", () => {
  const api = new FakeApi();

  test("is decoded as telegram-bot-api decodes it (kept as is) and answered in Telegram's envelope", async (t) => {
    t.after(() => api.close());
    // The escape stays part of the token, which is still well-formed: bot 123456.
    const kept = await inject(api, `/bot${TOKEN}%zz/getMe`, { method: "GET" });
    assert.equal(kept.status, 200);
    assert.equal((kept.body.result as { id: number }).id, 123456);
    const cases: Array<[string, number, string]> = [
      ["/bot%zz/getMe", 401, "Unauthorized: invalid token specified"],
      [`/bot${TOKEN}/get%zzMe`, 404, "Not Found: method not found"],
      [`/bot${TOKEN}/%`, 404, "Not Found: method not found"],
      ["/%zz/getMe", 404, "Not Found"],
      [`/bot${TOKEN}%/sendMessage?text=%%`, 400, "Bad Request: chat_id is empty"],
    ];
    for (const [url, status, description] of cases) {
      const answer = await inject(api, url, { method: "GET" });
      assert.equal(answer.contentType, "application/json", url);
      assert.deepEqual(answer.body, { ok: false, error_code: status, description }, url);
      assert.equal(answer.status, status, url);
    }
  });
});

describe("finding 7: method names are looked up in one Map", () => {
  test("Object.prototype's names are unknown methods, counted together, with no internal state in the answer", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const names = ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf", "__defineGetter__"];
    for (const name of names) {
      for (const method of ["GET", "POST"] as const) {
        const answer = await inject(api, `/bot${TOKEN}/${name}`, { method });
        assert.equal(answer.status, 404, name);
        assert.deepEqual(answer.body, {
          ok: false,
          error_code: 404,
          description: "Not Found: method not found",
        });
      }
    }
    const counters = api.control.counters(TOKEN);
    assert.deepEqual(Object.keys(counters.requestsByMethod), [UNKNOWN_METHOD]);
    assert.equal(counters.requestsByMethod[UNKNOWN_METHOD], names.length * 2);
    assert.equal(
      Object.getPrototypeOf(counters.requestsByMethod),
      Object.prototype,
      "a plain record, unpolluted",
    );
  });

  test("a parameter named __proto__ or constructor is a parameter like any other, in every encoding", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    api.control.injectText(TOKEN, { text: "hi", from: USER });
    const bodies: Array<[string, string]> = [
      ["application/json", `{"__proto__":{"x":1},"constructor":"c","chat_id":1001,"text":"json"}`],
      ["application/x-www-form-urlencoded", "__proto__=p&constructor=c&chat_id=1001&text=form"],
    ];
    for (const [type, payload] of bodies) {
      const answer = await inject(api, `/bot${TOKEN}/sendMessage`, { type, payload });
      assert.equal(answer.status, 200, type);
    }
    const [json, form] = api.control.calls(TOKEN).filter((c) => c.method === "sendmessage");
    const own = (record: Record<string, string>, key: string) =>
      Object.getOwnPropertyDescriptor(record, key)?.value;
    assert.equal(own(json!.params, "__proto__"), '{"x":1}');
    assert.equal(own(json!.params, "constructor"), "c");
    assert.equal(own(form!.params, "__proto__"), "p");
    // And a parameter that was not sent is absent, whatever its name.
    const missing = await inject(api, `/bot${TOKEN}/sendMessage`, {
      type: "application/json",
      payload: `{"text":"x"}`,
    });
    assert.equal(missing.body.description, "Bad Request: chat_id is empty");
  });
});

describe("finding 8: deeply nested JSON in a parameter", () => {
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;

  test("a deep reply_markup is 400 can't parse, nothing is stored or counted, and the call log still reads", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    api.control.injectText(TOKEN, { text: "hi", from: USER });
    const answer = await inject(api, `/bot${TOKEN}/sendMessage`, {
      type: "application/x-www-form-urlencoded",
      payload: `chat_id=1001&text=x&reply_markup=${deep}`,
    });
    assert.deepEqual(answer.body, {
      ok: false,
      error_code: 400,
      description: "Bad Request: can't parse reply keyboard markup JSON object",
    });
    assert.equal(api.control.counters(TOKEN).messagesSent, 0);
    assert.equal(api.control.message(TOKEN, USER.id, 2), undefined);
    const listing = await api.app.inject({
      method: "GET",
      url: `/__tgbench/bots/${TOKEN}/calls`,
      headers: { "x-tgbench-control-token": api.controlToken },
    });
    assert.equal(listing.statusCode, 200);
    const calls = listing.json().result as Array<{ method: string; params: Record<string, string> }>;
    assert.equal(calls.at(-1)!.method, "sendmessage");
  });

  test("a deep value in a JSON body ends the parse there, as in telegram-bot-api: earlier parameters count", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    api.control.injectText(TOKEN, { text: "hi", from: USER });
    const answer = await inject(api, `/bot${TOKEN}/sendMessage`, {
      type: "application/json",
      payload: `{"chat_id":1001,"text":"kept","reply_markup":${deep},"parse_mode":"bogus"}`,
    });
    assert.equal(answer.status, 200);
    const message = answer.body.result as { text: string; reply_markup?: unknown };
    assert.equal(message.text, "kept");
    assert.equal(message.reply_markup, undefined);
    for (const name of ["getUpdates", "setMyCommands", "getMyCommands"]) {
      const other = await inject(api, `/bot${TOKEN}/${name}`, {
        type: "application/x-www-form-urlencoded",
        payload: `allowed_updates=${deep}&commands=${deep}&scope=${deep}`,
      });
      assert.notEqual(other.status, 500, `${name}: ${other.body.description}`);
    }
  });
});

describe("finding 9: request headers over the limit on a keep-alive connection", () => {
  test("get 431 in Telegram's envelope with Connection: close, and the server closes the connection", async (t) => {
    const api = await apiFor(t);
    const connection = await RawConnection.open(t, portOf(api));
    connection.send(rawRequest("GET", `/bot${TOKEN}/getMe`, { "x-big": "a".repeat(300 * 1024) }));
    const response = await connection.nextResponse();
    assert.equal(response.status, 431);
    assert.equal(response.headers.connection, "close");
    assert.equal(response.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(response.body), {
      ok: false,
      error_code: 431,
      description: "Request Header Fields Too Large: total headers size exceeded",
    });
    await connection.untilClosed();
  });

  test("a keep-alive client's next request goes through after a 431", async (t) => {
    const api = await apiFor(t);
    const pool = new Pool(api.apiRoot, { connections: 1 });
    t.after(() => pool.destroy());
    const big = await pool.request({
      method: "GET",
      path: `/bot${TOKEN}/getMe`,
      headers: { "x-big": "a".repeat(300 * 1024) },
    });
    assert.equal(big.statusCode, 431);
    await big.body.text();
    for (let i = 0; i < 3; i++) {
      const next = await pool.request({ method: "GET", path: `/bot${TOKEN}/getMe` });
      assert.equal(next.statusCode, 200);
      await next.body.text();
    }
  });

  test("a URL of 200 KiB is within telegram-bot-api's 256 KiB of headers (Node's own limit is 16 KiB)", async (t) => {
    const api = await apiFor(t);
    api.control.injectText(TOKEN, { text: "hi", from: USER });
    const text = "t".repeat(4000);
    const padding = "p".repeat(200 * 1024);
    const response = await fetch(
      `${api.apiRoot}/bot${TOKEN}/sendMessage?chat_id=1001&text=${text}&pad=${padding}`,
    );
    assert.equal(response.status, 200);
  });
});

describe("finding 10: setWebhook with a bad %-escape in the URL's user info", () => {
  test("sets the webhook and delivers, with the user info as written in Basic auth", async (t) => {
    const api = await apiFor(t);
    const receiver = await Receiver.start(t, (_u, res) => res.end());
    const token = "9200001:userinfo";
    const userinfo = "us%zzer:p%ss";
    const set = await callOverHttp(api, token, "setWebhook", { url: receiver.url(userinfo) });
    assert.deepEqual(set.body, { ok: true, result: true, description: "Webhook was set" });
    api.control.injectText(token, { text: "hi", from: USER });
    // The receiver sees the POST before the dispatcher has its answer: wait for the dispatcher.
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 1, "the delivery");
    assert.equal(receiver.deliveries.length, 1);
    assert.equal(
      receiver.deliveries[0]!.headers.authorization,
      `Basic ${Buffer.from(userinfo).toString("base64")}`,
    );
  });
});

describe("finding 11: the webhook delivery timeout covers the whole delivery", () => {
  test("a bot that drips its answer a byte at a time is cut off at the timeout (5 s, the sweep's range)", async (t) => {
    const timeoutMs = 5_000;
    const api = await apiFor(t, { webhookDeliveryTimeoutMs: timeoutMs, webhookRetryTimeScale: 1 });
    const receiver = await Receiver.start(t, (_u, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write("x")), 200);
      res.on("close", () => clearInterval(drip));
    });
    const token = "9200002:drip";
    assert.equal((await callOverHttp(api, token, "setWebhook", { url: receiver.url() })).status, 200);
    const attempts: number[] = [];
    const failures: Array<{ error: string; atMs: number }> = [];
    api.events.on("webhookAttempt", (a) => attempts.push(a.atMs));
    api.events.on("webhookFailure", (f) => failures.push({ error: f.error, atMs: f.atMs }));
    api.control.injectText(token, { text: "hi", from: USER });
    // Without a total timeout the drip (1 000 bytes at 5/s) would hold the delivery for 200 s.
    await waitFor(() => failures.length >= 1, "the timeout", 60_000);
    assert.equal(failures[0]!.error, "Read timeout expired");
    assert.ok(
      failures[0]!.atMs - attempts[0]! >= timeoutMs - 5,
      `failed after ${failures[0]!.atMs - attempts[0]!} ms`,
    );
    assert.equal(api.control.webhookInfo(token).last_error_message, "Read timeout expired");
  });
});
