/**
 * The harness's control API over HTTP (/__tgbench/…), through `inject()`: creating updates,
 * reading calls, counters and webhook info, resetting, and Telegram-shaped JSON errors for bad
 * input instead of crashes.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { CONTROL_PREFIX, FakeApi, type Message, type Update } from "./index.ts";

const api = new FakeApi();
after(() => api.close());

const nextToken = (() => {
  let botId = 9_000_000;
  return () => `${botId++}:control-test`;
})();

const USER = { id: 3131 };

interface Envelope<T = unknown> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
}

/** A control request; `body` is sent as JSON unless it is a string (then as text/plain). */
async function control<T = unknown>(method: "GET" | "POST", path: string, body?: unknown) {
  const auth = { "x-tgbench-control-token": api.controlToken };
  const response = await api.app.inject({
    method,
    url: `${CONTROL_PREFIX}${path}`,
    ...(body === undefined
      ? { headers: auth }
      : typeof body === "string"
        ? { headers: { ...auth, "content-type": "text/plain" }, payload: body }
        : { headers: { ...auth, "content-type": "application/json" }, payload: JSON.stringify(body) }),
  });
  return {
    status: response.statusCode,
    contentType: response.headers["content-type"],
    body: response.json() as Envelope<T>,
  };
}

/** A control request that must succeed; returns its result. */
async function controlOk<T = unknown>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const answer = await control<T>(method, path, body);
  assert.equal(answer.status, 200, answer.body.description);
  assert.equal(answer.body.ok, true);
  return answer.body.result as T;
}

/** A Bot API call the bot makes. */
async function botCall<T = unknown>(token: string, method: string, params: Record<string, unknown> = {}) {
  const response = await api.app.inject({
    method: "POST",
    url: `/bot${token}/${method}`,
    headers: { "content-type": "application/json" },
    payload: JSON.stringify(params),
  });
  return { status: response.statusCode, body: response.json() as Envelope<T> };
}

describe("control routes that create updates", () => {
  test("POST messages queues a text message from the user in their private chat", async () => {
    const token = nextToken();
    const update = await controlOk<Update>("POST", `/bots/${token}/messages`, { text: "hello", from: USER });
    const message = update.message!;
    assert.equal(message.text, "hello");
    assert.equal(message.from!.id, USER.id);
    assert.deepEqual([message.chat.id, message.chat.type], [USER.id, "private"]);
    assert.equal(message.entities, undefined);
    const polled = await botCall<Update[]>(token, "getUpdates");
    assert.deepEqual(polled.body.result, [update]);
  });

  test("POST messages into a group chat", async () => {
    const token = nextToken();
    const update = await controlOk<Update>("POST", `/bots/${token}/messages`, {
      text: "hi all",
      from: USER,
      chat: { id: -100_123, type: "supergroup", title: "Bench" },
    });
    assert.deepEqual(update.message!.chat, { id: -100_123, type: "supergroup", title: "Bench" });
  });

  const commands = [
    { input: { command: "start" }, text: "/start", length: 6 },
    { input: { command: "/help", args: "me please" }, text: "/help me please", length: 5 },
    { input: { command: "/start@tgbench_bot", args: "ref42" }, text: "/start@tgbench_bot ref42", length: 18 },
  ];
  for (const c of commands) {
    test(`POST commands ${JSON.stringify(c.input)} gives "${c.text}" with a bot_command entity of length ${c.length}`, async () => {
      const token = nextToken();
      const update = await controlOk<Update>("POST", `/bots/${token}/commands`, { ...c.input, from: USER });
      assert.equal(update.message!.text, c.text);
      assert.deepEqual(update.message!.entities, [{ type: "bot_command", offset: 0, length: c.length }]);
    });
  }

  test("POST callbacks presses a button on a bot message; the query can be answered exactly once", async () => {
    const token = nextToken();
    await controlOk("POST", `/bots/${token}/messages`, { text: "menu", from: USER });
    const sent = await botCall<Message>(token, "sendMessage", {
      chat_id: USER.id,
      text: "pick one",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    const botMessage = sent.body.result!;
    const update = await controlOk<Update>("POST", `/bots/${token}/callbacks`, {
      messageId: botMessage.message_id,
      data: "a",
      from: USER,
    });
    const query = update.callback_query!;
    assert.equal(query.data, "a");
    assert.equal(query.from.id, USER.id);
    assert.deepEqual(query.message, botMessage);

    const first = await botCall(token, "answerCallbackQuery", { callback_query_id: query.id });
    assert.deepEqual(first.body, { ok: true, result: true });
    const second = await botCall(token, "answerCallbackQuery", { callback_query_id: query.id });
    assert.equal(second.status, 400);
    assert.deepEqual(second.body, {
      ok: false,
      error_code: 400,
      description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    });
  });
});

describe("control routes that read state", () => {
  test("GET calls?since=N returns only calls newer than N, oldest first", async () => {
    const token = nextToken();
    await botCall(token, "getMe");
    await botCall(token, "getMe");
    await botCall(token, "sendMessage", { chat_id: 1, text: "x" });
    const all = await controlOk<{ seq: number; method: string; status: number }[]>(
      "GET",
      `/bots/${token}/calls`,
    );
    assert.deepEqual(
      all.map((c) => [c.method, c.status]),
      [
        ["getme", 200],
        ["getme", 200],
        ["sendmessage", 400],
      ],
    );
    const newer = await controlOk<{ seq: number }[]>("GET", `/bots/${token}/calls?since=${all[0]!.seq}`);
    assert.deepEqual(
      newer.map((c) => c.seq),
      all.slice(1).map((c) => c.seq),
    );
    assert.deepEqual(await controlOk("GET", `/bots/${token}/calls?since=${all[2]!.seq}`), []);
  });

  test("GET counters reports the bot's counters", async () => {
    const token = nextToken();
    await controlOk("POST", `/bots/${token}/messages`, { text: "a", from: USER });
    await botCall(token, "sendMessage", { chat_id: USER.id, text: "b" });
    const counters = await controlOk<Record<string, unknown>>("GET", `/bots/${token}/counters`);
    assert.equal(counters.updatesQueued, 1);
    assert.equal(counters.messagesSent, 1);
    assert.deepEqual(counters.requestsByMethod, { sendmessage: 1 });
  });

  test("GET webhook reports getWebhookInfo for a polling bot", async () => {
    const token = nextToken();
    await controlOk("POST", `/bots/${token}/messages`, { text: "a", from: USER });
    assert.deepEqual(await controlOk("GET", `/bots/${token}/webhook`), {
      url: "",
      has_custom_certificate: false,
      pending_update_count: 1,
    });
  });

  test("POST reset zeroes every bot's counters and call log but keeps queued updates", async () => {
    const tokens = [nextToken(), nextToken()];
    for (const token of tokens) {
      await controlOk("POST", `/bots/${token}/messages`, { text: "a", from: USER });
      await botCall(token, "getMe");
    }
    assert.equal(await controlOk("POST", "/reset"), true);
    for (const token of tokens) {
      const counters = await controlOk<Record<string, unknown>>("GET", `/bots/${token}/counters`);
      assert.equal(counters.updatesQueued, 0);
      assert.deepEqual(counters.requestsByMethod, {});
      assert.deepEqual(await controlOk("GET", `/bots/${token}/calls`), []);
      const info = await controlOk<{ pending_update_count: number }>("GET", `/bots/${token}/webhook`);
      assert.equal(info.pending_update_count, 1);
    }
  });
});

describe("control routes reject bad input with a JSON error envelope", () => {
  const token = "4444:control-bad-input";
  const cases: {
    name: string;
    method: "GET" | "POST";
    path: string;
    body?: unknown;
    status: number;
    description: RegExp;
  }[] = [
    {
      name: "a message without text",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { from: USER },
      status: 400,
      description: /^Bad Request: text must be a non-empty string/,
    },
    {
      name: "a message with empty text",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "" },
      status: 400,
      description: /^Bad Request: text must be/,
    },
    {
      name: "a message with numeric text",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: 5 },
      status: 400,
      description: /^Bad Request: text must be/,
    },
    {
      name: "a message with no body at all",
      method: "POST",
      path: `/bots/${token}/messages`,
      status: 400,
      description: /^Bad Request: text must be/,
    },
    {
      name: "a message with a text/plain body",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: "hello",
      status: 400,
      description: /^Bad Request: text must be/,
    },
    {
      name: "a message with a JSON array body",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: [{ text: "x" }],
      status: 400,
      description: /^Bad Request: text must be/,
    },
    {
      name: "a message from a user id that is not a positive integer",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "x", from: { id: -5 } },
      status: 400,
      description: /^Bad Request: from\.id must be/,
    },
    {
      name: "a message with from given as a string",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "x", from: "alice" },
      status: 400,
      description: /^Bad Request: from\.id must be/,
    },
    {
      name: "a message in chat 0",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "x", chat: { id: 0 } },
      status: 400,
      description: /^Bad Request: chat\.id must be/,
    },
    {
      name: "a message replying to a message that does not exist",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "x", replyToMessageId: 999 },
      status: 400,
      description: /^Bad Request: chat \d+ has no message 999/,
    },
    {
      name: "a message in a chat of an unknown type",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "x", chat: { id: -7, type: "weird" } },
      status: 400,
      description: /^Bad Request: chat\.type must be one of private, group, supergroup, channel$/,
    },
    {
      name: "a message in a private chat with a negative id",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "x", chat: { id: -7, type: "private" } },
      status: 400,
      description: /^Bad Request: chat\.id must be positive for a private chat/,
    },
    {
      name: "a message in a group with a positive id",
      method: "POST",
      path: `/bots/${token}/messages`,
      body: { text: "x", chat: { id: 7, type: "group" } },
      status: 400,
      description: /^Bad Request: chat\.id must be positive for a private chat and negative for any other$/,
    },
    {
      name: "a command that is not a command",
      method: "POST",
      path: `/bots/${token}/commands`,
      body: { command: "/-x" },
      status: 400,
      description: /^Bad Request: not a valid command/,
    },
    {
      name: "a command without a name",
      method: "POST",
      path: `/bots/${token}/commands`,
      body: { command: "/" },
      status: 400,
      description: /^Bad Request: command must be/,
    },
    {
      name: "a callback on a message that does not exist",
      method: "POST",
      path: `/bots/${token}/callbacks`,
      body: { messageId: 12345, data: "x", from: USER },
      status: 400,
      description: /^Bad Request: chat \d+ has no bot message 12345/,
    },
    {
      name: "a callback without data",
      method: "POST",
      path: `/bots/${token}/callbacks`,
      body: { messageId: 1, from: USER },
      status: 400,
      description: /^Bad Request: data must be a string of 1-64 bytes$/,
    },
    {
      name: "a callback with 65 bytes of data",
      method: "POST",
      path: `/bots/${token}/callbacks`,
      body: { messageId: 1, data: `${"é".repeat(32)}x`, from: USER },
      status: 400,
      description: /^Bad Request: data must be a string of 1-64 bytes$/,
    },
    {
      name: "a callback without messageId",
      method: "POST",
      path: `/bots/${token}/callbacks`,
      body: { data: "x" },
      status: 400,
      description: /^Bad Request: chat \d+ has no bot message/,
    },
    {
      name: "a malformed token (no colon)",
      method: "POST",
      path: "/bots/12345/messages",
      body: { text: "x" },
      status: 401,
      description: /^Unauthorized: invalid token specified$/,
    },
    {
      name: "a malformed token (leading zero)",
      method: "GET",
      path: "/bots/0123:abc/counters",
      status: 401,
      description: /^Unauthorized: invalid token specified$/,
    },
    {
      name: "a malformed token on calls",
      method: "GET",
      path: "/bots/abc:def/calls",
      status: 401,
      description: /^Unauthorized: invalid token specified$/,
    },
    {
      name: "a malformed token on webhook",
      method: "GET",
      path: "/bots/:/webhook",
      status: 401,
      description: /^Unauthorized: invalid token specified$/,
    },
    {
      name: "a malformed token on callbacks",
      method: "POST",
      path: "/bots/x/callbacks",
      body: { messageId: 1, data: "x" },
      status: 401,
      description: /^Unauthorized: invalid token specified$/,
    },
    {
      name: "an unknown control route",
      method: "GET",
      path: "/nothing-here",
      status: 404,
      description: /^Not Found$/,
    },
  ];
  for (const c of cases) {
    test(`${c.name} → ${c.status}`, async () => {
      const answer = await control(c.method, c.path, c.body);
      assert.equal(answer.status, c.status);
      assert.equal(answer.contentType, "application/json");
      assert.equal(answer.body.ok, false);
      assert.equal(answer.body.error_code, c.status);
      assert.match(answer.body.description ?? "", c.description);
      assert.deepEqual(Object.keys(answer.body).sort(), ["description", "error_code", "ok"]);
    });
  }

  test("the server keeps answering after bad input", async () => {
    const update = await controlOk<Update>("POST", `/bots/${token}/messages`, {
      text: "still here",
      from: USER,
    });
    assert.equal(update.message!.text, "still here");
  });
});
