/**
 * Bounded memory in a long `tgbench serve` (issue 9, finding 15): the call log is bounded in bytes
 * as well as in count (big values kept as a digest and length), idle bot states are released with
 * their counters' totals kept, and the heap stays flat across 100,000 requests with new tokens
 * and big bodies. Heap figures are taken after a forced garbage collection; bounds are generous,
 * and nothing here depends on how fast the machine is.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { FakeApi, ManualClock } from "./index.ts";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const MiB = 1024 * 1024;

function heapUsedAfterGc(): number {
  for (let i = 0; i < 3; i++) collectGarbage();
  return process.memoryUsage().heapUsed;
}

async function post(api: FakeApi, token: string, method: string, type: string, payload: string) {
  const response = await api.app.inject({
    method: "POST",
    url: `/bot${token}/${method}`,
    headers: { "content-type": type },
    payload,
  });
  return response.statusCode;
}

describe("the call log is bounded in bytes", () => {
  test("a value over callLogValueMaxBytes is kept as its SHA-256 and length", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const big = "b".repeat(100_000);
    await post(
      api,
      "1:log",
      "sendMessage",
      "application/json",
      JSON.stringify({ chat_id: 1, text: "small", x: big }),
    );
    const [record] = api.control.calls("1:log");
    const sha256 = createHash("sha256").update(big).digest("hex");
    assert.equal(record!.params.text, "small");
    assert.equal(record!.params.x, `sha256:${sha256} (100000 characters)`);
    assert.deepEqual(record!.digested, { x: { length: 100_000, sha256 } });
  });

  test("all bots' logs together stay within callLogMaxBytes, oldest calls first", async (t) => {
    const api = new FakeApi({ callLogMaxBytes: MiB, callLogValueMaxBytes: 64 * 1024 });
    t.after(() => api.close());
    const value = "v".repeat(30_000); // 60 kB counted: under the value limit, so kept in full
    for (let i = 0; i < 10; i++) {
      await post(api, "2:first", "getMe", "application/x-www-form-urlencoded", `i=${i}&v=${value}`);
    }
    assert.equal(api.control.calls("2:first").length, 10);
    for (let i = 0; i < 40; i++) {
      await post(api, "3:second", "getMe", "application/x-www-form-urlencoded", `i=${i}&v=${value}`);
    }
    const budget = api.telegram.registry.callLogBudget;
    assert.ok(budget.usedBytes <= MiB, `${budget.usedBytes} bytes kept`);
    assert.equal(api.control.calls("2:first").length, 0, "the older bot's calls went first");
    const second = api.control.calls("3:second");
    assert.ok(second.length > 0 && second.length < 40);
    assert.equal(second.at(-1)!.params.i, "39", "the newest calls are kept");
    assert.equal(api.control.counters("2:first").requestsByMethod.getme, 10, "counters are never dropped");
  });
});

describe("idle bot states are released", () => {
  test("a bot idle for botIdleReleaseMs is released; its counters keep their totals when it comes back", async (t) => {
    const clock = new ManualClock();
    const api = new FakeApi({ clock, botIdleReleaseMs: 60_000 });
    t.after(() => api.close());
    const registry = api.telegram.registry;
    const update = api.control.injectText("10:idle", { text: "hi", from: { id: 1 } })!;
    await post(api, "10:idle", "getUpdates", "application/json", "{}");
    await post(api, "10:idle", "getUpdates", "application/json", `{"offset":${update.update_id + 1}}`);
    await post(api, "11:webhook-less-but-queued", "getMe", "application/json", "{}");
    api.control.injectText("11:webhook-less-but-queued", { text: "waiting", from: { id: 2 } });
    clock.advance(59_000);
    assert.equal(registry.releaseIdle(), 0, "not idle long enough");
    clock.advance(2_000);
    assert.equal(registry.releaseIdle(), 1, "the bot with a queued update stays");
    assert.equal(registry.size, 1);
    assert.equal(registry.releasedCount, 1);
    const counters = api.control.counters("10:idle");
    assert.equal(counters.requestsByMethod.getupdates, 2);
    assert.equal(counters.updatesQueued, 1);
    assert.equal(counters.updatesDeliveredByPolling, 1);
    assert.equal(registry.releasedCount, 0, "reading it brought it back");
    assert.equal(api.control.calls("10:idle").length, 0, "its call log went");
    await post(api, "10:idle", "getMe", "application/json", "{}");
    assert.equal(api.control.counters("10:idle").requestsByMethod.getme, 1);
    assert.equal(api.control.counters("10:idle").requestsByMethod.getupdates, 2);
  });

  test("beyond maxBots the least recently active releasable bots go early", async (t) => {
    const clock = new ManualClock();
    const api = new FakeApi({ clock, maxBots: 100 });
    t.after(() => api.close());
    for (let i = 1; i <= 250; i++) {
      clock.advance(1);
      await post(api, `${i}:many`, "getMe", "application/json", "{}");
    }
    const registry = api.telegram.registry;
    assert.ok(registry.size <= 100, `${registry.size} live`);
    assert.ok(registry.releasedCount <= 100, `${registry.releasedCount} kept`);
    assert.equal(api.control.counters("250:many").requestsByMethod.getme, 1);
    assert.equal(api.control.counters("240:many").requestsByMethod.getme, 1, "a recent one kept its count");
  });
});

describe("the heap stays flat", () => {
  test("across 100,000 requests with new tokens and big bodies", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const bigText = "x".repeat(900 * 1024);
    const bigForm = `chat_id=1&text=${bigText}`;
    const bigJson = JSON.stringify({ chat_id: 1, text: "t", reply_markup: bigText });
    const request = (i: number) => {
      const token = `${1_000_000 + i}:heap`;
      if (i % 200 === 0) return post(api, token, "sendMessage", "application/x-www-form-urlencoded", bigForm);
      if (i % 200 === 100) return post(api, token, "sendMessage", "application/json", bigJson);
      const method = ["getMe", "getUpdates", "setMyCommands", "noSuchMethod"][i % 4]!;
      return post(api, token, method, "application/json", `{"timeout":0,"commands":[],"n":${i}}`);
    };
    const run = async (from: number, to: number) => {
      for (let i = from; i < to; i += 50) {
        const batch: Promise<number>[] = [];
        for (let j = i; j < Math.min(to, i + 50); j++) batch.push(request(j));
        for (const status of await Promise.all(batch)) assert.ok(status < 500, `status ${status}`);
      }
    };
    // Warm up to the plateau: maxBots (10,000) live states and as many kept counters.
    await run(0, 30_000);
    const plateau = heapUsedAfterGc();
    await run(30_000, 100_000);
    const end = heapUsedAfterGc();
    const growth = end - plateau;
    t.diagnostic(
      `heap after GC: ${(plateau / MiB).toFixed(1)} MiB at 30,000 requests, ${(end / MiB).toFixed(1)} MiB at 100,000`,
    );
    assert.ok(growth < 32 * MiB, `the heap grew by ${(growth / MiB).toFixed(1)} MiB over 70,000 requests`);
    assert.ok(api.telegram.registry.size <= 10_000);
  });
});
