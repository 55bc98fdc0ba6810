/**
 * Time as the fake API sees it. Message dates and update expiry use {@link Clock.nowMs} (wall-clock
 * epoch milliseconds) so tests can jump a day ahead; call-log timestamps use
 * {@link monotonicMs}, which never jumps.
 */
export interface Clock {
  /** Epoch milliseconds. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that only moves when told to; for tests of expiry and rate limits. */
export class ManualClock implements Clock {
  #nowMs: number;
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#nowMs = startMs;
  }
  nowMs(): number {
    return this.#nowMs;
  }
  advance(durationMs: number): void {
    this.#nowMs += durationMs;
  }
}

/** Monotonic milliseconds (fractional, sub-microsecond resolution) since process start. */
export const monotonicMs = (): number => performance.now();

export const unixSeconds = (clock: Clock): number => Math.floor(clock.nowMs() / 1000);
