import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { FakeApi, METHOD_NAMES, parseBotPath } from "./index.ts";
import { call, OTHER_TOKEN, ok, TOKEN } from "./test-helpers.ts";

const USER = { id: 1001 };

describe("envelopes and routing", () => {
  const api = new FakeApi();
  after(() => api.close());

  test("a success is {ok:true,result} with status 200 and Content-Type exactly application/json", async () => {
    const answer = await call(api, "getMe");
    assert.equal(answer.status, 200);
    assert.equal(answer.contentType, "application/json");
    assert.deepEqual(Object.keys(answer.body), ["ok", "result"]);
  });

  test("an error is {ok:false,error_code,description} with the HTTP status equal to error_code", async () => {
    const answer = await call(api, "sendMessage", { text: "x" });
    assert.equal(answer.status, 400);
    assert.equal(answer.contentType, "application/json");
    assert.deepEqual(answer.body, {
      ok: false,
      error_code: 400,
      description: "Bad Request: chat_id is empty",
    });
  });

  test("an unknown method answers 404 Not Found: method not found", async () => {
    const answer = await call(api, "sendTelepathy");
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.body, { ok: false, error_code: 404, description: "Not Found: method not found" });
  });

  test("a path that is not /bot<token>/<method> answers 404 Not Found", async () => {
    for (const url of ["/", "/getMe", "/bot123:abc", "/file/bot123:abc/x"]) {
      const response = await api.app.inject({ method: "GET", url });
      assert.equal(response.statusCode, 404, url);
      assert.deepEqual(response.json(), { ok: false, error_code: 404, description: "Not Found" }, url);
    }
  });

  test("verbs other than GET and POST answer 501 with an empty body", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"] as const) {
      const response = await api.app.inject({ method, url: `/bot${TOKEN}/getMe` });
      assert.equal(response.statusCode, 501, method);
      assert.equal(response.body, "", method);
    }
  });

  test("method names are case-insensitive and GET works like POST", async () => {
    for (const name of ["getMe", "getme", "GETME", "GeTmE"]) {
      const response = await api.app.inject({ method: "GET", url: `/bot${TOKEN}/${name}` });
      assert.equal(response.statusCode, 200, name);
      assert.equal(response.json().result.id, 123456, name);
    }
  });

  test("the test environment path /bot<token>/test/<method> is served too", async () => {
    const response = await api.app.inject({ method: "GET", url: `/bot${TOKEN}/test/getMe` });
    assert.equal(response.json().result.id, 123456);
  });

  test("every method the issue lists is implemented, so none answers 404", async () => {
    const required = [
      "getMe",
      "getUpdates",
      "setWebhook",
      "deleteWebhook",
      "getWebhookInfo",
      "sendMessage",
      "forwardMessage",
      "copyMessage",
      "sendPhoto",
      "sendDocument",
      "sendChatAction",
      "editMessageText",
      "editMessageReplyMarkup",
      "deleteMessage",
      "answerCallbackQuery",
      "setMyCommands",
      "getMyCommands",
      "getChat",
      "logOut",
      "close",
    ];
    for (const name of required) {
      assert.ok(METHOD_NAMES.includes(name), `${name} is registered`);
      const answer = await call(api, name, {}, "777:registry");
      assert.notEqual(answer.status, 404, `${name}: ${answer.body.description}`);
    }
  });

  test("parseBotPath splits token and method as HttpConnection::handle does and rejects other shapes", () => {
    const route = (token: string, method: string, testEnvironment = false) => ({
      token,
      method,
      testEnvironment,
    });
    assert.deepEqual(parseBotPath("/bot1:a/getMe?x=1"), route("1:a", "getme"));
    assert.deepEqual(parseBotPath("/bot1:a/test/getMe"), route("1:a", "getme", true));
    // No method in the path: telegram-bot-api takes it from the `method` parameter.
    assert.deepEqual(parseBotPath("/bot1:a/"), route("1:a", ""));
    // Everything after the token's slash is the method name (an unknown one: 404 method not found).
    assert.deepEqual(parseBotPath("/bot1:a/a/b"), route("1:a", "a/b"));
    assert.equal(parseBotPath("/bot1:a"), undefined);
    assert.equal(parseBotPath("/bot1:a/testgetMe"), undefined);
    assert.equal(parseBotPath("/api/bot1:a/getMe"), undefined);
  });
});

describe("tokens and bots", () => {
  const api = new FakeApi();
  after(() => api.close());

  const malformed = [
    ["no colon", "123456"],
    ["leading zero", "0123:abc"],
    ["non-digit id", "12a4:abc"],
    ["empty secret", "123:"],
    ["empty id", ":abc"],
    ["longer than 80", `1:${"a".repeat(80)}`],
    ["id of 2^54", `${2 ** 54}:abc`],
  ] as const;
  for (const [why, token] of malformed) {
    test(`a token with ${why} gets 401 Unauthorized: invalid token specified`, async () => {
      const answer = await call(api, "getMe", {}, token);
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, {
        ok: false,
        error_code: 401,
        description: "Unauthorized: invalid token specified",
      });
    });
  }

  test("a well-formed token is a bot whose getMe.id is the token's digits", async () => {
    const me = await ok<{ id: number; is_bot: boolean; username: string }>(
      api,
      "getMe",
      {},
      "987654321:x-y_z",
    );
    assert.equal(me.id, 987654321);
    assert.equal(me.is_bot, true);
    assert.match(me.username, /_bot$/);
  });

  test("getMe has every field pydantic-validating frameworks require", async () => {
    const me = await ok<Record<string, unknown>>(api, "getMe");
    for (const field of [
      "id",
      "is_bot",
      "first_name",
      "username",
      "can_join_groups",
      "can_read_all_group_messages",
      "supports_inline_queries",
    ]) {
      assert.ok(field in me, field);
    }
  });

  test("bots are isolated: one bot's updates and chats are not another's", async () => {
    api.control.injectText(TOKEN, { text: "for the first bot", from: USER });
    const other = await ok<unknown[]>(api, "getUpdates", {}, OTHER_TOKEN);
    assert.deepEqual(other, []);
    const mine = await ok<unknown[]>(api, "getUpdates", {}, TOKEN);
    assert.equal(mine.length, 1);
    const answer = await call(api, "sendMessage", { chat_id: USER.id, text: "hi" }, OTHER_TOKEN);
    assert.equal(answer.body.description, "Bad Request: chat not found");
  });
});

describe("parameter encodings", () => {
  const api = new FakeApi();
  before(() => {
    api.control.injectText(TOKEN, { text: "hello", from: USER });
  });
  after(() => api.close());

  const send = (options: { url?: string; headers?: Record<string, string>; payload?: string | Buffer }) =>
    api.app.inject({ method: "POST", url: options.url ?? `/bot${TOKEN}/sendMessage`, ...options });

  test("parameters come from the query string, for GET and for POST", async () => {
    for (const method of ["GET", "POST"] as const) {
      const response = await api.app.inject({ method, url: `/bot${TOKEN}/sendMessage?chat_id=1001&text=q` });
      assert.equal(response.json().result.text, "q", method);
    }
  });

  test("application/json: non-string values behave like their text", async () => {
    const response = await send({
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({
        chat_id: 1001,
        text: "json",
        reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "b" }]] },
      }),
    });
    const result = response.json().result;
    assert.equal(result.chat.id, 1001);
    assert.deepEqual(result.reply_markup, { inline_keyboard: [[{ text: "a", callback_data: "b" }]] });
  });

  test("application/x-www-form-urlencoded, with nested fields as JSON strings", async () => {
    const form = new URLSearchParams({
      chat_id: "1001",
      text: "form",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "x", callback_data: "y" }]] }),
    });
    const response = await send({
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: form.toString(),
    });
    assert.equal(response.json().result.text, "form");
    assert.equal(response.json().result.reply_markup.inline_keyboard[0][0].callback_data, "y");
  });

  test("multipart/form-data: fields are parameters and file parts are accepted and recorded", async () => {
    const form = new FormData();
    form.set("chat_id", "1001");
    form.set("caption", "a cat");
    form.set("photo", new Blob([Buffer.alloc(2048, 7)], { type: "image/jpeg" }), "cat.jpg");
    const request = new Request("http://x/", { method: "POST", body: form });
    const response = await api.app.inject({
      method: "POST",
      url: `/bot${TOKEN}/sendPhoto`,
      headers: { "content-type": request.headers.get("content-type")! },
      payload: Buffer.from(await request.arrayBuffer()),
    });
    assert.equal(response.statusCode, 200, response.body);
    const message = response.json().result;
    assert.equal(message.caption, "a cat");
    assert.equal(message.photo.length, 3);
    const record = api.control.calls(TOKEN).at(-1)!;
    assert.equal(record.method, "sendphoto");
    assert.deepEqual(record.files, [
      { field: "photo", filename: "cat.jpg", mimeType: "image/jpeg", sizeBytes: 2048 },
    ]);
  });

  test("the query string wins over the body for the same key", async () => {
    const response = await send({
      url: `/bot${TOKEN}/sendMessage?text=from-query`,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ chat_id: 1001, text: "from-body" }),
    });
    assert.equal(response.json().result.text, "from-query");
  });

  test("an empty value counts as absent", async () => {
    const response = await send({
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ chat_id: "", text: "x" }),
    });
    assert.equal(response.json().description, "Bad Request: chat_id is empty");
  });

  test("malformed JSON does not crash the server: the call simply has no parameters", async () => {
    const response = await send({ headers: { "content-type": "application/json" }, payload: "{not json" });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().description, "Bad Request: chat_id is empty");
    assert.equal((await call(api, "getMe")).status, 200);
  });

  test("gzip-compressed bodies are accepted", async () => {
    const response = await send({
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      payload: gzipSync(JSON.stringify({ chat_id: 1001, text: "zipped" })),
    });
    assert.equal(response.json().result.text, "zipped");
  });

  test("an unknown content type is ignored, query parameters still apply", async () => {
    const response = await send({
      url: `/bot${TOKEN}/sendMessage?chat_id=1001&text=q2`,
      headers: { "content-type": "text/plain" },
      payload: "whatever",
    });
    assert.equal(response.json().result.text, "q2");
  });
});

describe("oversized bodies", () => {
  const api = new FakeApi({ bodyLimitBytes: 1024 });
  after(() => api.close());

  test("a body over the limit gets 413 in Telegram's envelope and the server keeps serving", async () => {
    for (const [contentType, payload] of [
      ["application/json", JSON.stringify({ chat_id: 1, text: "x".repeat(5000) })],
      ["application/x-www-form-urlencoded", `text=${"x".repeat(5000)}`],
    ] as const) {
      const response = await api.app.inject({
        method: "POST",
        url: `/bot${TOKEN}/sendMessage`,
        headers: { "content-type": contentType },
        payload,
      });
      assert.equal(response.statusCode, 413, contentType);
      assert.equal(response.headers["content-type"], "application/json");
      assert.deepEqual(response.json(), {
        ok: false,
        error_code: 413,
        description: "Request Entity Too Large",
      });
    }
    assert.equal((await call(api, "getMe")).status, 200);
  });

  test("a multipart file over the limit gets 413", async () => {
    const form = new FormData();
    form.set("chat_id", "1");
    form.set("document", new Blob([Buffer.alloc(4096)]), "big.bin");
    const request = new Request("http://x/", { method: "POST", body: form });
    const response = await api.app.inject({
      method: "POST",
      url: `/bot${TOKEN}/sendDocument`,
      headers: { "content-type": request.headers.get("content-type")! },
      payload: Buffer.from(await request.arrayBuffer()),
    });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().error_code, 413);
  });
});
