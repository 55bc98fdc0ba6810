import { RELAY_DEFAULTS } from "./defaults.ts";
import { type RelayTimers, systemTimers } from "./timers.ts";

interface Item {
  readonly dueMs: number;
  /** Tie-breaker: items due at the same time run in the order they were scheduled. */
  readonly seq: number;
  readonly run: () => void;
}

/** How punctual the queue has been: delivered items and how late they ran (ms after due). */
export interface DeliveryQueueStats {
  delivered: number;
  meanLatenessMs: number;
  maxLatenessMs: number;
  /** Items that ran more than 1 ms after their due time. */
  lateOver1Ms: number;
  /** Wall time spent polling with setImmediate for the last millisecond before a due time. */
  spinMs: number;
}

/** Length of the window the busy-wait budget is counted over. */
const SPIN_WINDOW_MS = 1_000;

/**
 * Every delayed chunk of every relayed connection, in due order, behind one timer: a binary heap
 * keyed by due time, so scheduling costs O(log n) and there is never more than one pending timer
 * (or immediate) however many chunks are in flight. An item never runs before its due time.
 *
 * Node's timers have millisecond granularity and may fire up to ~1 ms early; the queue arms a
 * timer for the whole milliseconds to go, then polls with setImmediate for the rest, within
 * `spinBudgetShare` of wall time; past the budget it re-arms a 1 ms timer instead (up to ~1 ms
 * late, and counted in {@link DeliveryQueue.stats}).
 */
export class DeliveryQueue {
  readonly #timers: RelayTimers;
  readonly #spinBudgetMs: number;
  readonly #heap: Item[] = [];
  #seq = 0;
  #timer: unknown;
  #immediate: unknown;
  #armedForMs = Number.POSITIVE_INFINITY;
  #spinStartMs: number | null = null;
  #windowStartMs = Number.NEGATIVE_INFINITY;
  #windowSpinMs = 0;
  #closed = false;
  readonly #stats: DeliveryQueueStats = {
    delivered: 0,
    meanLatenessMs: 0,
    maxLatenessMs: 0,
    lateOver1Ms: 0,
    spinMs: 0,
  };
  #latenessSumMs = 0;

  constructor(timers: RelayTimers = systemTimers, spinBudgetShare: number = RELAY_DEFAULTS.spinBudgetShare) {
    if (!(spinBudgetShare >= 0 && spinBudgetShare <= 1)) {
      throw new RangeError(`spinBudgetShare must be in [0, 1], got ${spinBudgetShare}`);
    }
    this.#timers = timers;
    this.#spinBudgetMs = spinBudgetShare * SPIN_WINDOW_MS;
  }

  /** Items waiting. */
  get size(): number {
    return this.#heap.length;
  }

  /** Runs `run` at `dueMs` (on the timers' clock) or as soon after as the event loop allows. */
  schedule(dueMs: number, run: () => void): void {
    if (this.#closed) return;
    this.#push({ dueMs, seq: this.#seq++, run });
    if (dueMs < this.#armedForMs) this.#arm();
  }

  stats(): DeliveryQueueStats {
    return { ...this.#stats };
  }

  /** Drops every waiting item and cancels the timer; later `schedule` calls are ignored. */
  close(): void {
    this.#closed = true;
    this.#heap.length = 0;
    this.#disarm();
  }

  #flush = (): void => {
    this.#timer = undefined;
    this.#immediate = undefined;
    this.#armedForMs = Number.POSITIVE_INFINITY;
    const nowMs = this.#timers.nowMs();
    this.#endSpin(nowMs);
    while (this.#heap.length > 0 && this.#heap[0]!.dueMs <= nowMs) {
      const item = this.#pop();
      this.#record(nowMs - item.dueMs);
      item.run();
      if (this.#closed) return;
    }
    if (this.#heap.length > 0) this.#arm();
  };

  #arm(): void {
    this.#disarm();
    const dueMs = this.#heap[0]!.dueMs;
    const nowMs = this.#timers.nowMs();
    const remainingMs = dueMs - nowMs;
    this.#armedForMs = dueMs;
    if (remainingMs >= 1) {
      this.#timer = this.#timers.setTimeout(this.#flush, Math.floor(remainingMs));
      return;
    }
    if (nowMs - this.#windowStartMs >= SPIN_WINDOW_MS) {
      this.#windowStartMs = nowMs;
      this.#windowSpinMs = 0;
    }
    if (remainingMs <= 0 || this.#windowSpinMs < this.#spinBudgetMs) {
      this.#spinStartMs = remainingMs > 0 ? nowMs : null;
      this.#immediate = this.#timers.setImmediate(this.#flush);
    } else {
      this.#timer = this.#timers.setTimeout(this.#flush, 1);
    }
  }

  #disarm(): void {
    if (this.#spinStartMs !== null) this.#endSpin(this.#timers.nowMs());
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    if (this.#immediate !== undefined) this.#timers.clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
    this.#armedForMs = Number.POSITIVE_INFINITY;
  }

  #endSpin(nowMs: number): void {
    if (this.#spinStartMs === null) return;
    const spunMs = nowMs - this.#spinStartMs;
    this.#stats.spinMs += spunMs;
    this.#windowSpinMs += spunMs;
    this.#spinStartMs = null;
  }

  #record(latenessMs: number): void {
    const s = this.#stats;
    s.delivered++;
    this.#latenessSumMs += latenessMs;
    s.meanLatenessMs = this.#latenessSumMs / s.delivered;
    if (latenessMs > s.maxLatenessMs) s.maxLatenessMs = latenessMs;
    if (latenessMs > 1) s.lateOver1Ms++;
  }

  #push(item: Item): void {
    const heap = this.#heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  #pop(): Item {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Item, b: Item): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}
