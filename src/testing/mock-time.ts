/**
 * Mock time for tests of timer-driven behaviour (long polling, the anti-busy-loop hold, batching
 * windows): Node's mock timers for setTimeout, with a performance.now() that moves with them, so
 * code that reads the monotonic clock and arms timers sees one consistent, hand-driven time.
 */
import type { TestContext } from "node:test";

/** Hand-driven time; see {@link mockTime}. */
export interface MockTime {
  /** Moves time forward, running every timer that falls due (fractions of a millisecond too). */
  advance(durationMs: number): void;
  /** The mocked performance.now(). */
  nowMs(): number;
}

/**
 * Replaces setTimeout/clearTimeout (global and node:timers) and performance.now() for the rest of
 * the test; the test context restores both when the test ends. setImmediate stays real, so I/O-free
 * work such as fastify's inject() still runs (see `settle` in wait.ts).
 */
export function mockTime(t: TestContext, startMs = 1_000_000): MockTime {
  let nowMs = startMs;
  t.mock.timers.enable({ apis: ["setTimeout"] });
  t.mock.method(performance, "now", () => nowMs);
  return {
    advance(durationMs: number) {
      nowMs += durationMs;
      t.mock.timers.tick(durationMs);
    },
    nowMs: () => nowMs,
  };
}
