/**
 * The time source and timers the relay's delivery queue runs on, injectable so that schedule
 * logic is tested on a fake clock. `nowMs` is monotonic milliseconds (fractional).
 */
export interface RelayTimers {
  nowMs(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
  setImmediate(callback: () => void): unknown;
  clearImmediate(handle: unknown): void;
}

/** Node's own timers and `performance.now()`. */
export const systemTimers: RelayTimers = {
  nowMs: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (callback) => setImmediate(callback),
  clearImmediate: (handle) => clearImmediate(handle as NodeJS.Immediate),
};

interface ManualTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/**
 * Timers that only move when told to. `advance(ms)` runs every timer due on the way, in due order,
 * at its exact due time; an immediate runs on the next turn, and each turn of immediates takes
 * {@link ManualTimers.immediateTurnMs} of fake time (a busy-wait is not free), so a queue polling
 * with setImmediate gets to its due time.
 */
export class ManualTimers implements RelayTimers {
  /** Fake time one round of immediates takes. */
  readonly immediateTurnMs: number;
  #nowMs: number;
  #nextId = 1;
  #timers: ManualTimer[] = [];
  #immediates: ManualTimer[] = [];

  constructor(startMs = 0, immediateTurnMs = 0.05) {
    this.#nowMs = startMs;
    this.immediateTurnMs = immediateTurnMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    // Like Node: a delay under 1 ms (or not a number) is 1 ms.
    const ms = Number.isFinite(delayMs) && delayMs >= 1 ? delayMs : 1;
    const timer = { id: this.#nextId++, dueMs: this.#nowMs + ms, callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  setImmediate(callback: () => void): unknown {
    const immediate = { id: this.#nextId++, dueMs: this.#nowMs, callback };
    this.#immediates.push(immediate);
    return immediate.id;
  }

  clearImmediate(handle: unknown): void {
    this.#immediates = this.#immediates.filter((t) => t.id !== handle);
  }

  /** Timers and immediates not yet run. */
  get pending(): number {
    return this.#timers.length + this.#immediates.length;
  }

  /** Moves time forward by `durationMs`, running what falls due; immediates left at the end stay queued. */
  advance(durationMs: number): void {
    const targetMs = this.#nowMs + durationMs;
    for (;;) {
      const next = this.#nextTimer();
      const turnEndMs =
        this.#immediates.length > 0 ? Math.min(targetMs, this.#nowMs + this.immediateTurnMs) : targetMs;
      if (next !== undefined && next.dueMs <= turnEndMs) {
        this.#nowMs = Math.max(this.#nowMs, next.dueMs);
        this.#timers = this.#timers.filter((t) => t !== next);
        next.callback();
        continue;
      }
      if (this.#immediates.length > 0 && this.#nowMs < targetMs) {
        const turn = this.#immediates;
        this.#immediates = [];
        for (const immediate of turn) immediate.callback();
        this.#nowMs = turnEndMs;
        continue;
      }
      this.#nowMs = targetMs;
      return;
    }
  }

  #nextTimer(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) if (best === undefined || t.dueMs < best.dueMs) best = t;
    return best;
  }
}
