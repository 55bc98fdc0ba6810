/**
 * Flood limits of the fake API (shared/reference/telegram-api.md §3): off by default; with
 * `rateLimits: true`, about 1 message/s per private chat with a short burst, 20/min per group and
 * about 30/s per bot, answered with Telegram's 429 envelope and a Retry-After header. Time is a
 * ManualClock, so nothing here sleeps.
 */
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import { type ChatType, FakeApi, ManualClock } from "./index.ts";
import { RATE_LIMITS, RateLimiter } from "./rate-limiter.ts";

const nextToken = (() => {
  let botId = 8_000_000;
  return () => `${botId++}:rate-test`;
})();

const USER_ID = 4242;

/** A fake API with flood limits on a frozen clock, closed when the test ends. */
function limitedApi(t: TestContext, options: { rateLimits?: boolean } = { rateLimits: true }) {
  const clock = new ManualClock();
  const api = new FakeApi({ ...options, clock });
  t.after(() => api.close());
  return { api, clock, token: nextToken() };
}

/** Makes the chat known to the bot (a user writes in it first). */
function openChat(api: FakeApi, token: string, chatId: number, type?: ChatType): void {
  api.control.injectText(token, { text: "hi", from: { id: USER_ID }, chat: { id: chatId, type } });
}

async function sendMessage(api: FakeApi, token: string, chatId: number) {
  const response = await api.app.inject({
    method: "POST",
    url: `/bot${token}/sendMessage`,
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ chat_id: chatId, text: "flood" }),
  });
  return { status: response.statusCode, retryAfter: response.headers["retry-after"], body: response.json() };
}

/** Sends until the first non-200; returns how many succeeded and the answer that stopped it. */
async function sendUntilLimited(api: FakeApi, token: string, chatId: number, max = 200) {
  for (let sent = 0; sent < max; sent++) {
    const answer = await sendMessage(api, token, chatId);
    if (answer.status !== 200) return { sent, answer };
  }
  throw new Error(`no 429 after ${max} messages to chat ${chatId}`);
}

const tooManyRequests = (retryAfter: number) => ({
  ok: false,
  error_code: 429,
  description: `Too Many Requests: retry after ${retryAfter}`,
  parameters: { retry_after: retryAfter },
});

describe("flood limits", () => {
  test("are off by default: 50 messages to one private chat all succeed", async (t) => {
    const { api, token } = limitedApi(t, {});
    openChat(api, token, USER_ID);
    for (let i = 0; i < 50; i++)
      assert.equal((await sendMessage(api, token, USER_ID)).status, 200, `message ${i}`);
    assert.equal(api.control.counters(token).messagesSent, 50);
    assert.equal(api.control.counters(token).tooManyRequests429, 0);
  });

  // capacity = the burst allowed at once; retryAfter = whole seconds until one more token.
  const chats = [
    { kind: "a private chat", chatId: USER_ID, type: "private", burst: 3, retryAfter: 1 },
    { kind: "a group", chatId: -1001, type: "group", burst: 20, retryAfter: 3 },
    { kind: "a supergroup", chatId: -1002, type: "supergroup", burst: 20, retryAfter: 3 },
  ] as const;
  for (const c of chats) {
    test(`${c.kind} allows a burst of ${c.burst}, then 429 with retry_after ${c.retryAfter} in body and header`, async (t) => {
      const { api, token } = limitedApi(t);
      openChat(api, token, c.chatId, c.type);
      const { sent, answer } = await sendUntilLimited(api, token, c.chatId);
      assert.equal(sent, c.burst);
      assert.equal(answer.status, 429);
      assert.equal(answer.retryAfter, String(c.retryAfter));
      assert.deepEqual(answer.body, tooManyRequests(c.retryAfter));
      const counters = api.control.counters(token);
      assert.equal(counters.messagesSent, c.burst);
      assert.equal(counters.tooManyRequests429, 1);
    });

    test(`${c.kind} allows one more message after waiting retry_after seconds, not before`, async (t) => {
      const { api, clock, token } = limitedApi(t);
      openChat(api, token, c.chatId, c.type);
      await sendUntilLimited(api, token, c.chatId);
      clock.advance(c.retryAfter * 1_000 - 1);
      assert.equal((await sendMessage(api, token, c.chatId)).status, 429, "a millisecond early");
      clock.advance(1);
      assert.equal((await sendMessage(api, token, c.chatId)).status, 200);
      assert.equal((await sendMessage(api, token, c.chatId)).status, 429, "only one token came back");
    });
  }

  test("a private chat sustains 1 message per second", async (t) => {
    const { api, clock, token } = limitedApi(t);
    openChat(api, token, USER_ID);
    await sendUntilLimited(api, token, USER_ID);
    for (let second = 0; second < 10; second++) {
      clock.advance(1_000);
      assert.equal((await sendMessage(api, token, USER_ID)).status, 200, `second ${second}`);
      assert.equal((await sendMessage(api, token, USER_ID)).status, 429, `second ${second}`);
    }
  });

  test("a group gets 20 messages per minute", async (t) => {
    const { api, clock, token } = limitedApi(t);
    openChat(api, token, -2001, "group");
    assert.equal((await sendUntilLimited(api, token, -2001)).sent, 20);
    clock.advance(60_000);
    assert.equal(
      (await sendUntilLimited(api, token, -2001)).sent,
      20,
      "the full budget is back after a minute",
    );
  });

  test("a 429 in one chat does not limit another chat", async (t) => {
    const { api, token } = limitedApi(t);
    openChat(api, token, 5001);
    openChat(api, token, 5002);
    await sendUntilLimited(api, token, 5001);
    assert.equal((await sendMessage(api, token, 5002)).status, 200);
  });

  test("a bot gets about 30 messages per second across many chats", async (t) => {
    const { api, clock, token } = limitedApi(t);
    const chatIds = Array.from({ length: 40 }, (_, i) => 10_000 + i);
    for (const chatId of chatIds) openChat(api, token, chatId);
    const statuses: number[] = [];
    for (const chatId of chatIds) statuses.push((await sendMessage(api, token, chatId)).status);
    assert.equal(statuses.filter((s) => s === 200).length, 30);
    assert.deepEqual(statuses.slice(30), Array(10).fill(429));
    const limited = await sendMessage(api, token, chatIds[35]!);
    assert.deepEqual(limited.body, tooManyRequests(1));
    clock.advance(1_000);
    for (const chatId of chatIds.slice(30)) assert.equal((await sendMessage(api, token, chatId)).status, 200);
  });

  test("two bots have separate budgets", async (t) => {
    const { api, token } = limitedApi(t);
    const other = nextToken();
    openChat(api, token, USER_ID);
    openChat(api, other, USER_ID);
    await sendUntilLimited(api, token, USER_ID);
    assert.equal((await sendMessage(api, other, USER_ID)).status, 200);
  });
});

describe("RateLimiter", () => {
  test("a refused message takes no token", () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < RATE_LIMITS.privateChat.capacity; i++) assert.equal(limiter.check(1, "private"), 0);
    for (let i = 0; i < 100; i++) assert.equal(limiter.check(1, "private"), 1);
    clock.advance(1_000);
    assert.equal(limiter.check(1, "private"), 0);
  });

  test("retry_after is the whole seconds until the next token, rounded up", () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < RATE_LIMITS.group.capacity; i++) assert.equal(limiter.check(-1, "group"), 0);
    const cases = [
      { elapsedMs: 0, retryAfter: 3 },
      { elapsedMs: 1_000, retryAfter: 2 },
      { elapsedMs: 2_000, retryAfter: 1 },
      { elapsedMs: 2_990, retryAfter: 1 },
      { elapsedMs: 3_000, retryAfter: 0 },
    ];
    let elapsedMs = 0;
    for (const c of cases) {
      clock.advance(c.elapsedMs - elapsedMs);
      elapsedMs = c.elapsedMs;
      assert.equal(limiter.check(-1, "group"), c.retryAfter, `after ${c.elapsedMs} ms`);
    }
  });

  for (const [chatId, type] of [
    [1, "private"],
    [-1, "group"],
  ] as const) {
    test(`waiting exactly retry_after always gets a ${type} message through`, () => {
      const clock = new ManualClock();
      const limiter = new RateLimiter(clock);
      let refusals = 0;
      for (let step = 0; step < 300; step++) {
        // Odd steps leave the bucket holding fractions of a token.
        clock.advance((step * 137) % 1_000);
        const retryAfter = limiter.check(chatId, type);
        if (retryAfter === 0) continue;
        refusals++;
        clock.advance(retryAfter * 1_000);
        assert.equal(limiter.check(chatId, type), 0, `step ${step}: refused after waiting ${retryAfter} s`);
      }
      assert.ok(refusals > 10, `only ${refusals} refusals; the test did not exercise the limit`);
    });
  }

  test("tokens refill only up to the burst capacity", () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    clock.advance(3_600_000);
    let allowed = 0;
    while (limiter.check(7, "private") === 0) allowed++;
    assert.equal(allowed, RATE_LIMITS.privateChat.capacity);
  });

  test("a clock that steps backwards neither adds nor removes tokens", () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < RATE_LIMITS.privateChat.capacity; i++) limiter.check(9, "private");
    clock.advance(-10_000);
    assert.equal(limiter.check(9, "private"), 1);
  });
});
