/**
 * The trial recorder's clock: monotonic milliseconds, the same clock the fake API stamps its events
 * with and the scheduler runs on (performance.now()), so every time in a trial can be subtracted
 * from every other. Tests inject their own.
 */
export interface MonotonicClock {
  /** Monotonic ms (fractional). */
  nowMs(): number;
}

/** performance.now(): what every part of a real run uses. */
export const PERFORMANCE_CLOCK: MonotonicClock = { nowMs: () => performance.now() };
