/**
 * Waiting in tests without betting on the machine's speed: poll a condition until it holds, with a
 * deadline far beyond any normal wait (it only turns a hang into a message), or, on mock timers,
 * let the event loop turn until it holds.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * How long {@link waitUntil} waits by default: generous on purpose. A wait that ends sooner
 * means nothing; one that reaches this means the awaited thing is not going to happen.
 */
export const WAIT_DEADLINE_MS = 60_000;

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** Fail after this many milliseconds (default {@link WAIT_DEADLINE_MS}). */
  deadlineMs?: number;
  /** Between two probes (default 5 ms). */
  intervalMs?: number;
  /** Checked after every probe: a reason to stop waiting at once (the process under test exited). */
  abandon?: () => string | undefined;
  /** Extra detail for the failure message, computed when it fails. */
  describe?: () => string;
}

/**
 * Polls `probe` until it returns something other than `undefined`, `null` or `false`, and returns that.
 * Fails with "timed out after … waiting for <what>" at the deadline, or at once when `abandon`
 * gives a reason.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | null | false,
  options: WaitOptions = {},
): Promise<T> {
  const { deadlineMs = WAIT_DEADLINE_MS, intervalMs = 5, abandon, describe } = options;
  const endMs = performance.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    const reason =
      abandon?.() ?? (performance.now() > endMs ? `timed out after ${deadlineMs} ms` : undefined);
    if (reason !== undefined) {
      const detail = describe?.() ?? "";
      assert.fail(`${reason} waiting for ${what}${detail === "" ? "" : `. ${detail}`}`);
    }
    await sleep(intervalMs);
  }
}

/** How many event-loop turns {@link settle} allows: far more than any in-process work needs. */
const SETTLE_TURNS = 1_000;

/**
 * For tests on mock timers, where time stands still: lets the event loop turn (setImmediate, which
 * the mock leaves alone) until `probe` holds. Counts turns, not milliseconds, so it is as fast on
 * a loaded machine as on an idle one; fails when the condition still does not hold after
 * {@link SETTLE_TURNS} turns.
 */
export async function settle(what: string, probe: () => boolean): Promise<void> {
  for (let turn = 0; turn < SETTLE_TURNS; turn++) {
    if (probe()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`${what} did not happen within ${SETTLE_TURNS} event-loop turns`);
}
