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
 * Polls `probe` (which may be async) until it gives something other than `undefined`, `null` or
 * `false`, and returns that.
 * Fails with "timed out after … waiting for <what>" at the deadline, or at once when `abandon`
 * gives a reason.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { deadlineMs = WAIT_DEADLINE_MS, intervalMs = 5, abandon, describe } = options;
  const endMs = performance.now() + deadlineMs;
  for (;;) {
    const value = await probe();
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

/**
 * For tests on mock timers, where time stands still: lets the event loop turn (setImmediate, which
 * the mocks leave alone, and real I/O with it) until `probe` holds. Its deadline is read from
 * Date.now(), which mockTime() leaves alone too; it fails only when the condition still does not
 * hold after {@link WAIT_DEADLINE_MS}.
 */
export async function settle(
  what: string,
  probe: () => boolean,
  deadlineMs = WAIT_DEADLINE_MS,
): Promise<void> {
  const endMs = Date.now() + deadlineMs;
  while (!probe()) {
    if (Date.now() > endMs) assert.fail(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Lets `count` event-loop turns pass: on mock timers, what is not waiting for a timer has had its
 * chance to happen (used before asserting that something has not happened yet).
 */
export async function letTurnsPass(count = 50): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}
