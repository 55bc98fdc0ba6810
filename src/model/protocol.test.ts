import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { effectivePoll, type ParkedDeadline, TELEGRAM_RULES, wakeParkedPoll } from "./protocol.ts";

describe("effectivePoll: the anti-busy-loop rule of Client.cpp process_get_updates_query", () => {
  const previous = { offset: 7, startMs: 10_000 };
  const cases: Array<{
    name: string;
    request: { offset: number; timeoutSeconds: number; limit: number };
    atMs: number;
    on?: boolean;
    expected: { timeoutMs: number; limit: number; held: boolean; limitedToOne: boolean };
  }> = [
    {
      name: "same offset 0.1 s later with timeout 0: held 3 s with limit 1",
      request: { offset: 7, timeoutSeconds: 0, limit: 100 },
      atMs: 10_100,
      expected: { timeoutMs: 3_000, limit: 1, held: true, limitedToOne: true },
    },
    {
      name: "same offset 0.5 s later (not < 0.5 s): held, limit kept",
      request: { offset: 7, timeoutSeconds: 0, limit: 100 },
      atMs: 10_500,
      expected: { timeoutMs: 3_000, limit: 100, held: true, limitedToOne: false },
    },
    {
      name: "same offset exactly 3 s later: not held (the comparison is strict)",
      request: { offset: 7, timeoutSeconds: 0, limit: 100 },
      atMs: 13_000,
      expected: { timeoutMs: 0, limit: 100, held: false, limitedToOne: false },
    },
    {
      name: "same offset 1 s later with timeout 2: raised to 3",
      request: { offset: 7, timeoutSeconds: 2, limit: 100 },
      atMs: 11_000,
      expected: { timeoutMs: 3_000, limit: 100, held: true, limitedToOne: false },
    },
    {
      name: "same offset 0.1 s later with timeout 30: not held, but limit 1",
      request: { offset: 7, timeoutSeconds: 30, limit: 100 },
      atMs: 10_100,
      expected: { timeoutMs: 30_000, limit: 1, held: false, limitedToOne: true },
    },
    {
      name: "a new offset is never touched",
      request: { offset: 8, timeoutSeconds: 0, limit: 100 },
      atMs: 10_001,
      expected: { timeoutMs: 0, limit: 100, held: false, limitedToOne: false },
    },
    {
      name: "the rule switched off",
      request: { offset: 7, timeoutSeconds: 0, limit: 100 },
      atMs: 10_001,
      on: false,
      expected: { timeoutMs: 0, limit: 100, held: false, limitedToOne: false },
    },
    {
      name: "timeout and limit are clamped to 0–50 s and 1–100",
      request: { offset: 9, timeoutSeconds: 99, limit: 500 },
      atMs: 10_001,
      expected: { timeoutMs: 50_000, limit: 100, held: false, limitedToOne: false },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(effectivePoll(c.request, previous, c.atMs, c.on ?? true), c.expected);
    });
  }

  test("the first call of all is never held", () => {
    const first = { offset: undefined, startMs: Number.NEGATIVE_INFINITY };
    assert.equal(effectivePoll({ offset: 0, timeoutSeconds: 0, limit: 100 }, first, 0, true).held, false);
  });
});

describe("wakeParkedPoll: Client.cpp long_poll_wakeup", () => {
  test("the first arrival answers 1 ms later; later arrivals move it, up to 2 ms after the first", () => {
    const state: ParkedDeadline = { woken: false, hardDeadlineMs: 30_000 };
    assert.equal(wakeParkedPoll(state, 100), 100 + TELEGRAM_RULES.longPollWaitAfterMs);
    assert.equal(state.hardDeadlineMs, 100 + TELEGRAM_RULES.longPollMaxDelayMs);
    assert.equal(wakeParkedPoll(state, 100.5), 101.5);
    assert.equal(wakeParkedPoll(state, 101.8), 102);
  });

  test("a timeout closer than 2 ms still bounds the answer", () => {
    const state: ParkedDeadline = { woken: false, hardDeadlineMs: 100.5 };
    assert.equal(wakeParkedPoll(state, 100), 100.5);
  });
});
