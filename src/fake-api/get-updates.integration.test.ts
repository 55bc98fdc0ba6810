/**
 * getUpdates over real sockets: long polls parking and waking, 409s between polls, clients that
 * go away, and getUpdates while a webhook is set. Each step waits for the state it needs (a poll
 * parked, a cancellation counted), never for a fixed time; the exact timings (the 1–2 ms batching
 * window, the timeout, the anti-busy-loop hold) are checked on mock time in get-updates.test.ts.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { waitUntil } from "../testing/index.ts";
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

/** Waits until the bot's long poll has reached the fake API and is parked there. */
const parked = (api: FakeApi, token = TOKEN) =>
  waitUntil("the long poll to park", () => api.telegram.bot(token).poller.isParked);

describe("long polling over real sockets", () => {
  let api: FakeApi;
  after(() => api?.close());

  test("an empty queue parks the request until an update arrives", async () => {
    api = await startFakeApi({ antiBusyLoop: false });
    const pending = poll(api, { timeout: 10 });
    await parked(api);
    const update = api.control.injectText(TOKEN, { text: "wake up", from: USER })!;
    const answer = await pending;
    assert.equal(answer.status, 200);
    assert.deepEqual(ids(answer.body.result!), [update.update_id]);
  });

  test("updates arriving together come in one answer", async () => {
    const offset = api.control.webhookInfo(TOKEN).pending_update_count;
    const confirm = (await ok<Update[]>(api, "getUpdates")).at(-1)!.update_id + 1;
    assert.equal(offset, 1);
    const pending = poll(api, { offset: confirm, timeout: 10 });
    await parked(api);
    api.control.injectText(TOKEN, { text: "one", from: USER });
    api.control.injectText(TOKEN, { text: "two", from: USER });
    api.control.injectText(TOKEN, { text: "three", from: USER });
    const answer = await pending;
    assert.equal(answer.body.result!.length, 3);
  });

  test("a long poll on an empty queue ends with [] at its timeout, not before, and costs one request", async () => {
    const head = (await ok<Update[]>(api, "getUpdates")).at(-1)!.update_id + 1;
    await ok(api, "getUpdates", { offset: head });
    const before = api.control.counters(TOKEN);
    const answer = await poll(api, { offset: head, timeout: 1 });
    assert.deepEqual(answer.body, { ok: true, result: [] });
    assert.ok(answer.elapsedMs >= 990, `answered after ${answer.elapsedMs} ms, before its 1 s timeout`);
    const after = api.control.counters(TOKEN);
    assert.equal(after.getUpdatesCalls - before.getUpdatesCalls, 1, "no hidden polling loop");
    assert.equal(after.emptyGetUpdates - before.emptyGetUpdates, 1);
  });

  test("a second long poll terminates the first with 409 and Telegram's wording", async () => {
    const first = poll(api, { timeout: 5 });
    await parked(api);
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
    const parkedPoll = poll(api, { timeout: 1 });
    await parked(api);
    assert.equal((await poll(api, { timeout: 0, offset: -1 })).status, 200);
    assert.equal((await parkedPoll).status, 200);
  });

  test("a client that goes away un-parks its poll: counted as cancelled, not empty, and the next poll gets no 409", async () => {
    const before = api.control.counters(TOKEN);
    const controller = new AbortController();
    const gone = fetch(`${api.apiRoot}/bot${TOKEN}/getUpdates?timeout=5`, {
      signal: controller.signal,
    }).catch(() => null);
    await parked(api);
    controller.abort();
    await gone;
    await waitUntil(
      "the fake API to notice the client went away",
      () => api.control.counters(TOKEN).getUpdatesCancelled > before.getUpdatesCancelled,
    );
    const afterGone = api.control.counters(TOKEN);
    assert.equal(afterGone.getUpdatesCancelled - before.getUpdatesCancelled, 1);
    assert.equal(afterGone.emptyGetUpdates, before.emptyGetUpdates);
    assert.equal(api.telegram.bot(TOKEN).poller.isParked, false);
    const conflictsBefore = afterGone.conflicts409;
    const next = poll(api, { timeout: 1 });
    assert.equal((await next).status, 200);
    assert.equal(api.control.counters(TOKEN).conflicts409, conflictsBefore);
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
