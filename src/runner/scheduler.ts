/**
 * The open-model scheduler: hands each generated update over at its intended time and never
 * waits for the bot. How late it was (actual − intended) is reported by the caller's callback,
 * not hidden: latency is timed from the intended time, so a late generator cannot make the bot
 * look faster (no coordinated omission).
 *
 * Timers fire no better than ~1 ms late, so the loop sleeps with setTimeout until ~1 ms before
 * the next due time and then yields with setImmediate (letting I/O run) until it is due.
 */
export interface Scheduled<T> {
  item: T;
  /** Offset of the intended time from the start of the schedule, ms. */
  offsetMs: number;
}

export interface ScheduleOutcome {
  /** Items handed over. */
  emitted: number;
  /** True when the signal stopped the schedule before its end. */
  aborted: boolean;
}

/** Wake this long before the next due time and finish the wait with setImmediate. */
const SPIN_WINDOW_MS = 1.5;

/**
 * Runs `items` against the monotonic clock starting at `startMs` (performance.now() ms).
 * `onDue(item, intendedAtMs, nowMs)` is called for every item, in order, at or after its time.
 */
export function runSchedule<T>(
  items: Iterable<Scheduled<T>>,
  startMs: number,
  onDue: (item: T, intendedAtMs: number, nowMs: number) => void,
  signal?: AbortSignal,
): Promise<ScheduleOutcome> {
  const iterator = items[Symbol.iterator]();
  let next = iterator.next();
  let emitted = 0;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (aborted: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve({ emitted, aborted });
    };
    const onAbort = () => finish(true);
    signal?.addEventListener("abort", onAbort, { once: true });
    const tick = () => {
      if (signal?.aborted) return;
      try {
        let nowMs = performance.now();
        while (!next.done) {
          const intendedAtMs = startMs + next.value.offsetMs;
          if (intendedAtMs > nowMs) break;
          onDue(next.value.item, intendedAtMs, nowMs);
          emitted++;
          next = iterator.next();
          nowMs = performance.now();
        }
        if (next.done) {
          finish(false);
          return;
        }
        const waitMs = startMs + next.value.offsetMs - nowMs;
        if (waitMs > SPIN_WINDOW_MS) timer = setTimeout(tick, waitMs - SPIN_WINDOW_MS + 0.5);
        else setImmediate(tick);
      } catch (error: unknown) {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      }
    };
    if (signal?.aborted) finish(true);
    else tick();
  });
}
