/**
 * The open-model scheduler: hands each generated update over at its intended time and never
 * waits for the bot. How late it was (actual − intended) is reported by the caller's callback,
 * not hidden: latency is timed from the intended time (by the trial recorder,
 * src/metrics/recorder/trial-recorder.ts), so a late generator cannot make the bot look faster (no
 * coordinated omission).
 *
 * Node's timers have a 1 ms granularity, and spinning with setImmediate to do better burns a core
 * that the bot under test needs. So the schedule sleeps on a timer and can also be *poked*: the
 * runner pokes it on every call the fake API receives, which under load happens many times per
 * millisecond, so due updates go out within microseconds without any busy waiting; when the
 * system is idle the timer is the bound.
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

export interface RunningSchedule {
  readonly done: Promise<ScheduleOutcome>;
  /** Hands over whatever is due now (cheap when nothing is); call it from busy code paths. */
  poke(): void;
}

/**
 * Runs `items` against the monotonic clock starting at `startMs` (performance.now() ms).
 * `onDue(item, intendedAtMs, nowMs)` is called for every item, in order, at or after its time.
 */
export function startSchedule<T>(
  items: Iterable<Scheduled<T>>,
  startMs: number,
  onDue: (item: T, intendedAtMs: number, nowMs: number) => void,
  signal?: AbortSignal,
): RunningSchedule {
  const iterator = items[Symbol.iterator]();
  let next = iterator.next();
  let nextDueMs = next.done ? Number.POSITIVE_INFINITY : startMs + next.value.offsetMs;
  let emitted = 0;
  let finished = false;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  /** The due time the armed timer was set for. */
  let armedForMs = Number.POSITIVE_INFINITY;
  let settle: (outcome: ScheduleOutcome) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<ScheduleOutcome>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });

  const finish = (aborted: boolean) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    settle({ emitted, aborted });
  };
  const onAbort = () => finish(true);

  const onTimer = () => {
    timer = undefined;
    tick();
  };
  const tick = () => {
    if (finished || running) return;
    running = true;
    try {
      let nowMs = performance.now();
      while (!next.done && nextDueMs <= nowMs) {
        onDue(next.value.item, nextDueMs, nowMs);
        emitted++;
        next = iterator.next();
        nextDueMs = next.done ? Number.POSITIVE_INFINITY : startMs + next.value.offsetMs;
        nowMs = performance.now();
      }
      if (next.done) {
        finish(false);
        return;
      }
      // Items come in order, so a timer armed for an earlier time than the next due one fires
      // first anyway and re-arms then: under load (pokes) the timer is set about once per ms,
      // not once per item.
      if (timer === undefined || armedForMs > nextDueMs) {
        clearTimeout(timer);
        armedForMs = nextDueMs;
        timer = setTimeout(onTimer, Math.max(0, nextDueMs - nowMs));
      }
    } catch (error: unknown) {
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      fail(error);
    } finally {
      running = false;
    }
  };

  if (signal?.aborted) finish(true);
  else {
    signal?.addEventListener("abort", onAbort, { once: true });
    tick();
  }
  return {
    done,
    poke: () => {
      if (!finished && !running && nextDueMs <= performance.now()) tick();
    },
  };
}
