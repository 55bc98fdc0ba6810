/**
 * getUpdates in process (inject()): offsets, limits, allowed_updates, the 50 s timeout clamp and
 * expiry. get-updates.integration.test.ts has long polling over real sockets.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { type FakeApi, ManualClock } from "./index.ts";
import { FakeApi as FakeApiClass } from "./server.ts";
import type { Update } from "./telegram-types.ts";
import { call, ok, TOKEN } from "./test-helpers.ts";

const USER = { id: 1001 };

/** getUpdates over a real socket, returning the envelope and how long it took. */
async function _poll(api: FakeApi, params: Record<string, unknown>, token = TOKEN) {
  const startedMs = performance.now();
  const response = await fetch(`${api.apiRoot}/bot${token}/getUpdates`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as {
    ok: boolean;
    result?: Update[];
    description?: string;
    error_code?: number;
  };
  return { status: response.status, body, elapsedMs: performance.now() - startedMs };
}

const ids = (updates: Update[]) => updates.map((u) => u.update_id);

describe("getUpdates offsets and limits", () => {
  const api = new FakeApiClass({ antiBusyLoop: false });
  after(() => api.close());
  const inject = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => api.control.injectText(TOKEN, { text: `m${i}`, from: USER })!.update_id,
    );

  test("update_ids increase by one from a value of at least 2,000,001", () => {
    const [a, b] = inject(2);
    assert.ok(a! >= 2_000_001);
    assert.equal(b, a! + 1);
  });

  test("without offset every pending update is returned and stays until confirmed", async () => {
    const first = await ok<Update[]>(api, "getUpdates");
    const second = await ok<Update[]>(api, "getUpdates");
    assert.equal(first.length, 2);
    assert.deepEqual(ids(second), ids(first));
  });

  test("offset confirms every update below it", async () => {
    const pending = await ok<Update[]>(api, "getUpdates");
    const next = pending.at(-1)!.update_id + 1;
    assert.deepEqual(await ok(api, "getUpdates", { offset: next }), []);
    const [newId] = inject(1);
    assert.deepEqual(ids(await ok<Update[]>(api, "getUpdates")), [newId]);
    assert.equal(api.control.webhookInfo(TOKEN).pending_update_count, 1);
  });

  test("a negative offset keeps only the last |offset| updates", async () => {
    const injected = inject(5);
    const all = await ok<Update[]>(api, "getUpdates");
    const result = await ok<Update[]>(api, "getUpdates", { offset: -2 });
    assert.deepEqual(ids(result), injected.slice(-2));
    assert.equal(all.length, 6);
    assert.deepEqual(ids(await ok<Update[]>(api, "getUpdates")), injected.slice(-2));
  });

  test("an offset far beyond the tail falls back to the head without confirming", async () => {
    const before = ids(await ok<Update[]>(api, "getUpdates"));
    assert.deepEqual(ids(await ok<Update[]>(api, "getUpdates", { offset: before.at(-1)! + 1000 })), before);
  });

  const limits: Array<[unknown, number]> = [
    [0, 1],
    [-5, 1],
    [1, 1],
    [3, 3],
    [500, 100],
  ];
  for (const [limit, expected] of limits) {
    test(`limit ${limit} is clamped to ${expected}`, async () => {
      const queued = ids(await ok<Update[]>(api, "getUpdates"));
      if (queued.length < 120) inject(120 - queued.length);
      const result = await ok<Update[]>(api, "getUpdates", { limit });
      assert.equal(result.length, expected);
    });
  }

  test("limit 100 is the default", async () => {
    assert.equal((await ok<Update[]>(api, "getUpdates")).length, 100);
  });
});

describe("allowed_updates", () => {
  const api = new FakeApiClass({ antiBusyLoop: false });
  after(() => api.close());

  test("filters when an update is created; [] restores the default set; omitted keeps the previous", async () => {
    const queued = api.control.injectText(TOKEN, { text: "before", from: USER });
    assert.ok(queued);
    await ok(api, "getUpdates", { allowed_updates: ["callback_query"] });
    assert.equal(api.control.injectText(TOKEN, { text: "filtered", from: USER }), null);
    await ok(api, "getUpdates", {});
    assert.equal(api.control.injectText(TOKEN, { text: "still filtered", from: USER }), null);
    const kept = await ok<Update[]>(api, "getUpdates");
    assert.deepEqual(ids(kept), [queued.update_id], "an update queued before the filter is still delivered");
    await ok(api, "getUpdates", { allowed_updates: [] });
    assert.ok(api.control.injectText(TOKEN, { text: "default set again", from: USER }));
    assert.equal(api.control.counters(TOKEN).updatesFiltered, 2);
  });

  test("allowed_updates works as a JSON string too (form-encoded clients)", async () => {
    await api.app.inject({
      method: "POST",
      url: `/bot${TOKEN}/getUpdates`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `allowed_updates=${encodeURIComponent('["callback_query"]')}`,
    });
    assert.equal(api.control.injectText(TOKEN, { text: "filtered", from: USER }), null);
  });
});

describe("timeout clamp to 50 s", () => {
  test("a timeout of 3600 s is answered after 50 s", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const api = new FakeApiClass({ antiBusyLoop: false });
    t.after(() => api.close());
    let answered = false;
    const pending = call(api, "getUpdates", { timeout: 3600 }).then((a) => {
      answered = true;
      return a;
    });
    for (let i = 0; i < 20 && api.control.counters(TOKEN).getUpdatesCalls === 0; i++)
      await new Promise(setImmediate);
    t.mock.timers.tick(49_999);
    await new Promise(setImmediate);
    assert.equal(answered, false, "still parked just before 50 s");
    t.mock.timers.tick(1);
    const answer = await pending;
    assert.deepEqual(answer.body, { ok: true, result: [] });
  });
});

describe("expiry", () => {
  test("messages expire after 24 h and are dropped silently at fetch", async () => {
    const clock = new ManualClock();
    const api = new FakeApiClass({ clock, antiBusyLoop: false });
    try {
      api.control.injectText(TOKEN, { text: "old", from: USER });
      clock.advance(86_399_000);
      assert.equal((await ok<Update[]>(api, "getUpdates")).length, 1);
      clock.advance(1_000);
      assert.deepEqual(await ok(api, "getUpdates"), []);
      assert.equal(api.control.counters(TOKEN).updatesExpired, 1);
    } finally {
      await api.close();
    }
  });

  test("callback queries expire after 150 s", async () => {
    const clock = new ManualClock();
    const api = new FakeApiClass({ clock, antiBusyLoop: false });
    try {
      api.control.injectText(TOKEN, { text: "hi", from: USER });
      const sent = await ok<{ message_id: number }>(api, "sendMessage", { chat_id: USER.id, text: "press" });
      await ok(api, "getUpdates", { offset: -1 });
      await ok(api, "getUpdates", { offset: (await ok<Update[]>(api, "getUpdates")).at(-1)!.update_id + 1 });
      api.control.injectCallback(TOKEN, { from: USER, messageId: sent.message_id, data: "x" });
      clock.advance(150_000);
      assert.deepEqual(await ok(api, "getUpdates"), []);
      assert.equal(api.control.counters(TOKEN).updatesExpired, 1);
    } finally {
      await api.close();
    }
  });
});
