/**
 * getUpdates in process (inject()): offsets, limits, allowed_updates, expiry, and the timing of
 * long polls and of the anti-busy-loop rule on mock time, to the millisecond and whatever the
 * machine's load. get-updates.integration.test.ts has long polling over real sockets.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { letTurnsPass, mockTime, settle } from "../testing/index.ts";
import { type FakeApi, ManualClock } from "./index.ts";
import { FakeApi as FakeApiClass } from "./server.ts";
import type { Update } from "./telegram-types.ts";
import { type Answer, call, ok, TOKEN } from "./test-helpers.ts";

const USER = { id: 1001 };

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

/** A getUpdates through inject() that may park, and whether it has been answered yet. */
function pendingPoll(api: FakeApi, params: Record<string, unknown>) {
  let answer: Answer | undefined;
  const answered = call(api, "getUpdates", params).then((a) => {
    answer = a;
    return a;
  });
  return { answered, answer: () => answer };
}

const isParked = (api: FakeApi) => api.telegram.bot(TOKEN).poller.isParked;

describe("long polling on mock time", () => {
  test("a parked poll is answered 1 ms after an update arrives, not before", async (t) => {
    const time = mockTime(t);
    const api = new FakeApiClass({ antiBusyLoop: false });
    t.after(() => api.close());
    const poll = pendingPoll(api, { timeout: 10 });
    await settle("the poll to park", () => isParked(api));
    const update = api.control.injectText(TOKEN, { text: "wake up", from: USER })!;
    await letTurnsPass();
    time.advance(0.5);
    await letTurnsPass();
    assert.equal(poll.answer(), undefined, "answered within the 1 ms batching window");
    time.advance(0.5);
    const answer = await poll.answered;
    assert.deepEqual(ids(answer.body.result as Update[]), [update.update_id]);
  });

  test("updates in a burst come in one answer, at most 2 ms after the first of them", async (t) => {
    const time = mockTime(t);
    const api = new FakeApiClass({ antiBusyLoop: false });
    t.after(() => api.close());
    const poll = pendingPoll(api, { timeout: 10 });
    await settle("the poll to park", () => isParked(api));
    const inject = (text: string) => api.control.injectText(TOKEN, { text, from: USER })!.update_id;
    // Each update comes 0.75 ms after the previous, inside the 1 ms window, so only the 2 ms cap
    // ends the batch: at 2 ms after the first update, not 1 ms after the last (2.5 ms).
    const sent = [inject("one")];
    time.advance(0.75);
    sent.push(inject("two"));
    time.advance(0.75);
    sent.push(inject("three"));
    time.advance(0.25);
    await letTurnsPass();
    assert.equal(poll.answer(), undefined, "answered before the 2 ms cap");
    time.advance(0.25);
    const answer = await poll.answered;
    assert.deepEqual(ids(answer.body.result as Update[]), sent);
  });

  test("a long poll on an empty queue is answered [] at its timeout, not before, in one request", async (t) => {
    const time = mockTime(t);
    const api = new FakeApiClass({ antiBusyLoop: false });
    t.after(() => api.close());
    const poll = pendingPoll(api, { timeout: 1 });
    await settle("the poll to park", () => isParked(api));
    time.advance(999);
    await letTurnsPass();
    assert.equal(poll.answer(), undefined, "answered before its timeout");
    const held = api.control.counters(TOKEN);
    assert.equal(held.getUpdatesCalls, 1);
    assert.equal(held.getUpdatesAnswered, 0, "a held poll is not answered yet, empty or not");
    assert.equal(held.emptyGetUpdates, 0);
    time.advance(1);
    assert.deepEqual((await poll.answered).body, { ok: true, result: [] });
    const counters = api.control.counters(TOKEN);
    assert.equal(counters.getUpdatesCalls, 1, "no hidden polling loop");
    assert.equal(counters.getUpdatesAnswered, 1);
    assert.equal(counters.emptyGetUpdates, 1);
  });

  test("a timeout of 3600 s is answered after 50 s", async (t) => {
    const time = mockTime(t);
    const api = new FakeApiClass({ antiBusyLoop: false });
    t.after(() => api.close());
    const poll = pendingPoll(api, { timeout: 3600 });
    await settle("the poll to park", () => isParked(api));
    time.advance(49_999);
    await letTurnsPass();
    assert.equal(poll.answer(), undefined, "still parked just before 50 s");
    time.advance(1);
    assert.deepEqual((await poll.answered).body, { ok: true, result: [] });
  });

  test("a negative timeout is a short poll: answered with no time passing", async (t) => {
    mockTime(t);
    const api = new FakeApiClass({ antiBusyLoop: false });
    t.after(() => api.close());
    const poll = pendingPoll(api, { timeout: -3, offset: 1 });
    await settle("the answer", () => poll.answer() !== undefined);
    assert.deepEqual(poll.answer()!.body, { ok: true, result: [] });
  });
});

describe("the anti-busy-loop rule, on mock time", () => {
  test("is on by default: the same offset again within 0.5 s gets limit 1, and within 3 s is held 3 s", async (t) => {
    const time = mockTime(t);
    const api = new FakeApiClass();
    t.after(() => api.close());
    assert.deepEqual(await ok(api, "getUpdates", { timeout: 0 }), []);
    for (let i = 0; i < 3; i++) api.control.injectText(TOKEN, { text: `n${i}`, from: USER });
    time.advance(499);
    const quick = await ok<Update[]>(api, "getUpdates", { timeout: 0 });
    assert.equal(quick.length, 1, "limit forced to 1 within 0.5 s");
    // The queue is not empty, so the 3 s hold does not show; drain it, then repeat the offset.
    const next = quick.at(-1)!.update_id + 10;
    await ok(api, "getUpdates", { offset: next });
    time.advance(2_999);
    const held = pendingPoll(api, { timeout: 0, offset: next });
    await settle("the repeated poll to be held", () => isParked(api));
    time.advance(2_999);
    await letTurnsPass();
    assert.equal(held.answer(), undefined, "answered before the 3 s hold ended");
    time.advance(1);
    assert.deepEqual((await held.answered).body, { ok: true, result: [] });
  });

  test("the limit of 1 ends 0.5 s and the hold 3 s after the previous poll with that offset", async (t) => {
    const time = mockTime(t);
    const api = new FakeApiClass();
    t.after(() => api.close());
    assert.deepEqual(await ok(api, "getUpdates", { timeout: 0 }), []);
    for (let i = 0; i < 3; i++) api.control.injectText(TOKEN, { text: `n${i}`, from: USER });
    time.advance(500);
    const all = await ok<Update[]>(api, "getUpdates", { timeout: 0 });
    assert.equal(all.length, 3, "no limit of 1 at 0.5 s");
    const next = all.at(-1)!.update_id + 1;
    assert.deepEqual(await ok(api, "getUpdates", { offset: next }), []);
    time.advance(3_000);
    const later = pendingPoll(api, { timeout: 0, offset: next });
    await settle("the answer", () => later.answer() !== undefined);
    assert.deepEqual(later.answer()!.body, { ok: true, result: [] }, "not held at 3 s");
  });

  test("can be turned off: short polls on an empty queue answer with no time passing", async (t) => {
    mockTime(t);
    const api = new FakeApiClass({ antiBusyLoop: false });
    t.after(() => api.close());
    for (let i = 0; i < 5; i++) {
      const poll = pendingPoll(api, { timeout: 0 });
      await settle(`short poll ${i + 1}`, () => poll.answer() !== undefined);
      assert.deepEqual(poll.answer()!.body, { ok: true, result: [] });
    }
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
