/**
 * Options of the arrival processes (see `arrivals.ts`). All optional; defaults in
 * `ARRIVAL_DEFAULTS`. Rates are per second, times in ms from the start of the run.
 */

/**
 * Where a schedule ends. Rate-driven processes need at least one bound and throw a RangeError
 * without; `replay` ends with its timeline anyway. Neither bound has a default.
 */
export interface ArrivalBounds {
  /** Length of the schedule in ms; every arrival is strictly earlier. No default. */
  durationMs?: number;
  /** Most arrivals to produce (an integer >= 0). No default. */
  maxCount?: number;
}

/** How arrivals are spaced: evenly, or at random as a Poisson process. */
export type ArrivalSpacing = "constant" | "poisson";

/** Options of `constant` (evenly spaced, first at 0 ms) and `poisson` (exponential gaps). */
export interface RateArrivalOptions extends ArrivalBounds {
  /** Arrivals per second. Default 10. */
  ratePerSecond?: number;
}

/** Options of `burst`: `ratePerSecond` during each on window, silence during each off window. */
export interface BurstArrivalOptions extends RateArrivalOptions {
  /** Length of each on window (the first starts at 0 ms). Default 1000. */
  onMs?: number;
  /** Length of each silent window; 0 makes the process continuous. Default 4000. */
  offMs?: number;
  /** Spacing within on windows. Default `"poisson"`. */
  spacing?: ArrivalSpacing;
}

/** Options of `ramp`: a rate changing linearly, then held at `toRatePerSecond`. */
export interface RampArrivalOptions extends ArrivalBounds {
  /** Rate at 0 ms, >= 0. Default 0. */
  fromRatePerSecond?: number;
  /** Rate at `rampDurationMs` and after, >= 0. Default 50. */
  toRatePerSecond?: number;
  /** How long the rate takes to go from one to the other. Default `durationMs`, which must then be set. */
  rampDurationMs?: number;
  /** Default `"poisson"`. */
  spacing?: ArrivalSpacing;
}

/** Options of `replay`: send times taken from a recorded timeline. */
export interface ReplayArrivalOptions extends ArrivalBounds {
  /** Send times in ms from the start, non-decreasing (see `parseTimeline`). Required. */
  timelineMs?: readonly number[];
  /** Factor applied to every timestamp: 0.5 replays twice as fast. Default 1. */
  timeScale?: number;
}

/** The options each registered process takes. */
export interface ArrivalOptionsByProcess {
  constant: RateArrivalOptions;
  poisson: RateArrivalOptions;
  burst: BurstArrivalOptions;
  ramp: RampArrivalOptions;
  replay: ReplayArrivalOptions;
}

/** Names of the registered arrival processes. */
export type ArrivalProcessName = keyof ArrivalOptionsByProcess;

/** A process name with its options, e.g. `{ process: "poisson", ratePerSecond: 50, durationMs: 60_000 }`. */
export type ArrivalSpec<P extends ArrivalProcessName = ArrivalProcessName> = {
  [K in P]: { process: K } & ArrivalOptionsByProcess[K];
}[P];
