import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../generator/rng.ts";
import { DeliveryQueue } from "./delivery-queue.ts";
import { ManualTimers } from "./timers.ts";

/** Schedules items at the given due times and records when (fake time) and in what order they ran. */
function harness(spinBudgetShare: number) {
  const timers = new ManualTimers(0);
  const queue = new DeliveryQueue(timers, spinBudgetShare);
  const ran: Array<{ label: string; dueMs: number; atMs: number }> = [];
  const add = (label: string, dueMs: number) =>
    queue.schedule(dueMs, () => ran.push({ label, dueMs, atMs: timers.nowMs() }));
  return { timers, queue, ran, add };
}

describe("DeliveryQueue", () => {
  test("items run in due order, never before their due time, ties in the order scheduled", () => {
    const { timers, ran, add } = harness(0.05);
    add("c", 30.5);
    add("a", 10.25);
    add("b1", 20);
    add("b2", 20);
    add("now", 0);
    timers.advance(100);
    assert.deepEqual(
      ran.map((r) => r.label),
      ["now", "a", "b1", "b2", "c"],
    );
    for (const r of ran) assert.ok(r.atMs >= r.dueMs, `${r.label} ran at ${r.atMs}, due ${r.dueMs}`);
  });

  test("polling the last millisecond delivers within one event-loop turn of the due time", () => {
    const { timers, ran, add } = harness(1);
    for (const dueMs of [3.3, 7.9, 12.01]) add(String(dueMs), dueMs);
    timers.advance(20);
    for (const r of ran)
      assert.ok(r.atMs - r.dueMs <= timers.immediateTurnMs + 1e-9, `${r.label} late by ${r.atMs - r.dueMs}`);
  });

  test("with no busy-wait budget an item is at most a millisecond late", () => {
    const { timers, queue, ran, add } = harness(0);
    for (const dueMs of [3.3, 7.9, 12.01]) add(String(dueMs), dueMs);
    timers.advance(20);
    assert.equal(ran.length, 3);
    for (const r of ran) assert.ok(r.atMs >= r.dueMs && r.atMs - r.dueMs <= 1, `${r.label} ran at ${r.atMs}`);
    assert.equal(queue.stats().spinMs, 0);
  });

  test("thousands of items in flight keep a single timer", () => {
    const { timers, queue, ran, add } = harness(0.05);
    const rng = createRng("many");
    for (let i = 0; i < 5_000; i++) add(String(i), rng.next() * 1_000);
    assert.equal(queue.size, 5_000);
    assert.equal(timers.pending, 1);
    timers.advance(500);
    assert.ok(timers.pending <= 1);
    timers.advance(600);
    assert.equal(ran.length, 5_000);
    for (let i = 1; i < ran.length; i++) assert.ok(ran[i]!.dueMs >= ran[i - 1]!.dueMs);
    const stats = queue.stats();
    assert.equal(stats.delivered, 5_000);
    assert.ok(stats.maxLatenessMs >= 0);
  });

  test("an earlier item scheduled later re-arms the timer for itself", () => {
    const { timers, ran, add } = harness(0);
    add("late", 500);
    timers.advance(1);
    add("early", 10);
    timers.advance(15);
    assert.deepEqual(
      ran.map((r) => r.label),
      ["early"],
    );
  });

  test("the busy-wait stays within its share of wall time", () => {
    const { timers, queue, add } = harness(0.05);
    // An item every 2 ms for 2 s: polling each one's last millisecond would take half the time.
    for (let i = 0; i < 1_000; i++) add(String(i), 0.5 + i * 2);
    timers.advance(2_100);
    const stats = queue.stats();
    assert.equal(stats.delivered, 1_000);
    assert.ok(stats.spinMs <= 0.05 * 2_100 + 2 * 1 + 1e-6, `spun ${stats.spinMs} ms`);
    assert.ok(stats.spinMs > 0);
  });

  test("close drops every waiting item and the timer", () => {
    const { timers, queue, ran, add } = harness(0.05);
    add("x", 5);
    queue.close();
    add("y", 6);
    timers.advance(10);
    assert.equal(ran.length, 0);
    assert.equal(timers.pending, 0);
  });
});
