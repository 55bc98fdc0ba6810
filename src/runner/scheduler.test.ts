import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Scheduled, startSchedule } from "./scheduler.ts";

const runSchedule = (...args: Parameters<typeof startSchedule<number>>) => startSchedule(...args).done;

const every = (count: number, intervalMs: number): Scheduled<number>[] =>
  Array.from({ length: count }, (_, i) => ({ item: i, offsetMs: i * intervalMs }));

describe("runSchedule", () => {
  test("hands every item over in order, never before its intended time", async () => {
    const seen: Array<{ item: number; intendedAtMs: number; nowMs: number }> = [];
    const startMs = performance.now() + 5;
    const outcome = await runSchedule(every(50, 2), startMs, (item, intendedAtMs, nowMs) =>
      seen.push({ item, intendedAtMs, nowMs }),
    );
    assert.deepEqual(outcome, { emitted: 50, aborted: false });
    assert.deepEqual(
      seen.map((s) => s.item),
      every(50, 2).map((s) => s.item),
    );
    for (const s of seen) {
      assert.ok(s.nowMs >= s.intendedAtMs, `item ${s.item} early by ${s.intendedAtMs - s.nowMs} ms`);
      assert.equal(s.intendedAtMs, startMs + s.item * 2);
    }
  });

  test("does not wait for slow work: items due while a callback blocked are handed over at once", async () => {
    const seen: number[] = [];
    const startMs = performance.now();
    await runSchedule(every(10, 1), startMs, (item) => {
      seen.push(item);
      if (item === 0) {
        const until = performance.now() + 20;
        while (performance.now() < until);
      }
    });
    assert.equal(seen.length, 10, "the schedule is open: nothing is skipped or postponed");
  });

  test("stops when the signal aborts", async () => {
    const controller = new AbortController();
    const startMs = performance.now();
    setTimeout(() => controller.abort(), 30);
    // 1000 items a second apart: without the abort this would run for 17 minutes, and no stall
    // of the machine can make the first 30 ms cover all of them.
    const outcome = await runSchedule(every(1000, 1_000), startMs, () => {}, controller.signal);
    assert.equal(outcome.aborted, true);
    assert.ok(outcome.emitted > 0 && outcome.emitted < 1000, `emitted ${outcome.emitted}`);
  });
});
