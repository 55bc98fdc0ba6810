/**
 * getUpdates over real sockets: long polls parking and waking, 409s between polls, clients that
 * go away, the anti-busy-loop rule, and getUpdates while a webhook is set.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { type FakeApi, startFakeApi } from "./index.ts";
import type { Update } from "./telegram-types.ts";
import { ok, TOKEN } from "./test-helpers.ts";

const USER = { id: 1001 };

/** getUpdates over a real socket, returning the envelope and how long it took. */
async function poll(api: FakeApi, params: Record<string, unknown>, token = TOKEN) {
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

describe("long polling over real sockets", () => {
  let api: FakeApi;
  after(() => api?.close());

  test("an empty queue parks the request until an update arrives, answered within a few ms", async () => {
    api = await startFakeApi({ antiBusyLoop: false });
    const pending = poll(api, { timeout: 10 });
    await new Promise((r) => setTimeout(r, 150));
    const injectedAtMs = performance.now();
    const update = api.control.injectText(TOKEN, { text: "wake up", from: USER })!;
    const answer = await pending;
    const waitedMs = performance.now() - injectedAtMs;
    assert.deepEqual(ids(answer.body.result!), [update.update_id]);
    assert.ok(answer.elapsedMs >= 140, `parked for ${answer.elapsedMs} ms`);
    assert.ok(waitedMs < 100, `answered ${waitedMs} ms after the update (batching window is 1-2 ms)`);
  });

  test("updates arriving within the batching window come in one answer", async () => {
    const offset = api.control.webhookInfo(TOKEN).pending_update_count;
    const confirm = (await ok<Update[]>(api, "getUpdates")).at(-1)!.update_id + 1;
    assert.equal(offset, 1);
    const pending = poll(api, { offset: confirm, timeout: 10 });
    await new Promise((r) => setTimeout(r, 50));
    api.control.injectText(TOKEN, { text: "one", from: USER });
    api.control.injectText(TOKEN, { text: "two", from: USER });
    api.control.injectText(TOKEN, { text: "three", from: USER });
    const answer = await pending;
    assert.equal(answer.body.result!.length, 3);
  });

  test("a long poll on an empty queue ends with [] at its timeout and costs one request", async () => {
    const head = (await ok<Update[]>(api, "getUpdates")).at(-1)!.update_id + 1;
    await ok(api, "getUpdates", { offset: head });
    const before = api.control.counters(TOKEN);
    const answer = await poll(api, { offset: head, timeout: 1 });
    assert.deepEqual(answer.body, { ok: true, result: [] });
    assert.ok(answer.elapsedMs >= 990 && answer.elapsedMs < 1500, `took ${answer.elapsedMs} ms`);
    const after = api.control.counters(TOKEN);
    assert.equal(after.getUpdatesCalls - before.getUpdatesCalls, 1, "no hidden polling loop");
    assert.equal(after.emptyGetUpdates - before.emptyGetUpdates, 1);
  });

  test("a second long poll terminates the first with 409 and Telegram's wording", async () => {
    const first = poll(api, { timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    const second = poll(api, { timeout: 1 });
    const firstAnswer = await first;
    assert.equal(firstAnswer.status, 409);
    assert.deepEqual(firstAnswer.body, {
      ok: false,
      error_code: 409,
      description:
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    assert.equal((await second).status, 200);
    assert.ok(api.control.counters(TOKEN).conflicts409 >= 1);
  });

  test("a short poll does not terminate a parked long poll", async () => {
    const parked = poll(api, { timeout: 1 });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await poll(api, { timeout: 0, offset: -1 })).status, 200);
    assert.equal((await parked).status, 200);
  });

  test("a client that goes away un-parks its poll: counted as cancelled, not empty, and the next poll gets no 409", async () => {
    const before = api.control.counters(TOKEN);
    const controller = new AbortController();
    const gone = fetch(`${api.apiRoot}/bot${TOKEN}/getUpdates?timeout=5`, {
      signal: controller.signal,
    }).catch(() => null);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await gone;
    await new Promise((r) => setTimeout(r, 50));
    const afterGone = api.control.counters(TOKEN);
    assert.equal(afterGone.getUpdatesCancelled - before.getUpdatesCancelled, 1);
    assert.equal(afterGone.emptyGetUpdates, before.emptyGetUpdates);
    const conflictsBefore = afterGone.conflicts409;
    const next = poll(api, { timeout: 1 });
    assert.equal((await next).status, 200);
    assert.equal(api.control.counters(TOKEN).conflicts409, conflictsBefore);
  });

  test("timeout is clamped to 0..50 s: a negative timeout is a short poll", async () => {
    const answer = await poll(api, { timeout: -3, offset: 1 });
    assert.equal(answer.status, 200);
    assert.ok(answer.elapsedMs < 500);
  });
});

describe("the anti-busy-loop rule", () => {
  let api: FakeApi;
  after(() => api?.close());

  test("is on by default: the same offset again within 3 s is held 3 s and gets limit 1", async () => {
    api = await startFakeApi();
    assert.equal((await poll(api, { timeout: 0 })).status, 200);
    for (let i = 0; i < 3; i++) api.control.injectText(TOKEN, { text: `n${i}`, from: USER });
    const quick = await poll(api, { timeout: 0 });
    assert.equal(quick.body.result!.length, 1, "limit forced to 1 within 0.5 s");
    // The queue is not empty, so the 3 s hold does not show; drain it, then repeat the offset.
    const next = quick.body.result!.at(-1)!.update_id;
    await ok(api, "getUpdates", { offset: next + 10 });
    const held = await poll(api, { timeout: 0, offset: next + 10 });
    assert.ok(held.elapsedMs >= 2900, `held ${held.elapsedMs} ms`);
    assert.deepEqual(held.body.result, []);
  });

  test("can be turned off: short polls on an empty queue answer at once", async () => {
    const off = await startFakeApi({ antiBusyLoop: false });
    try {
      for (let i = 0; i < 5; i++) {
        const answer = await poll(off, { timeout: 0 });
        assert.ok(answer.elapsedMs < 500, `took ${answer.elapsedMs} ms`);
      }
    } finally {
      await off.close();
    }
  });
});

describe("getUpdates while a webhook is set", () => {
  test("answers 409 with Telegram's wording", async () => {
    const api = await startFakeApi();
    const { createServer } = await import("node:http");
    const receiver = createServer((_req, res) => res.end());
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      const port = (receiver.address() as { port: number }).port;
      await ok(api, "setWebhook", { url: `http://127.0.0.1:${port}/hook` });
      const answer = await poll(api, {});
      assert.equal(answer.status, 409);
      assert.equal(
        answer.body.description,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    } finally {
      await api.close();
      await new Promise((r) => receiver.close(r));
    }
  });
});
