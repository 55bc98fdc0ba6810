/**
 * Open-model arrival processes: *when* updates should be sent, decided in advance and never
 * delayed by how fast the bot answers (see harness-anchors §2, coordinated omission).
 *
 * Every rate-driven process is one idea: arrivals are points 0, 1, 2 … (`constant` spacing) or
 * the points of a unit-rate Poisson process (`poisson` spacing) on the axis of *expected count*
 * Λ, mapped to time by the exact inverse of the process's integrated rate, t = Λ⁻¹(n). That gives
 * exact spacing for `constant`, a true (non-homogeneous) Poisson process for `poisson`, `burst`
 * and `ramp`, and the right expected count in any window.
 */
import type {
  ArrivalBounds,
  ArrivalOptionsByProcess,
  ArrivalProcessName,
  ArrivalSpacing,
  ArrivalSpec,
  BurstArrivalOptions,
  RampArrivalOptions,
  RateArrivalOptions,
  ReplayArrivalOptions,
} from "./arrival-options.ts";
import { ARRIVAL_DEFAULTS } from "./defaults.ts";
import {
  requireChoice,
  requireInteger,
  requireNonNegative,
  requirePositive,
  withoutUndefined,
} from "./option-checks.ts";
import type { Rng } from "./rng.ts";
import { checkTimeline } from "./timeline.ts";

// Re-exported for callers who read `replay` timelines from files next to choosing a process.
export { parseTimeline, TimelineParseError } from "./timeline.ts";

/**
 * Intended send times in ms from the start of the run, non-decreasing, produced lazily. Single
 * pass: it draws from the Rng it was made with, so make a new one (from a new fork) to restart.
 */
export type ArrivalSchedule = Generator<number, void, undefined>;

/** Makes a schedule; validates the options (RangeError) before returning. */
export type ArrivalProcessFactory<O> = (options: O, rng: Rng) => ArrivalSchedule;

/** Every arrival process by name; CLI choices come from `Object.keys(ARRIVAL_PROCESSES)`. */
export const ARRIVAL_PROCESSES: {
  readonly [P in ArrivalProcessName]: ArrivalProcessFactory<ArrivalOptionsByProcess[P]>;
} = {
  constant: (options, rng) => rateSchedule("constant", options, rng),
  poisson: (options, rng) => rateSchedule("poisson", options, rng),
  burst: (options, rng) => burstSchedule(options, rng),
  ramp: (options, rng) => rampSchedule(options, rng),
  replay: (options) => replaySchedule(options),
};

/**
 * The schedule of `spec.process`. Throws a RangeError for an unknown process name (names arrive
 * as strings from scenarios and the CLI) or invalid options.
 */
export function createArrivals(spec: ArrivalSpec, rng: Rng): ArrivalSchedule {
  if (!Object.hasOwn(ARRIVAL_PROCESSES, spec.process)) {
    const choices = Object.keys(ARRIVAL_PROCESSES).join(", ");
    throw new RangeError(`unknown arrival process "${spec.process}"; choose one of ${choices}`);
  }
  return createArrivalsOf(spec, rng);
}

function createArrivalsOf<P extends ArrivalProcessName>(spec: ArrivalSpec<P>, rng: Rng): ArrivalSchedule {
  const factory: ArrivalProcessFactory<ArrivalOptionsByProcess[P]> = ARRIVAL_PROCESSES[spec.process];
  return factory(spec, rng);
}

/** Bounds with `Infinity` standing for "not set". */
type ResolvedBounds = Required<ArrivalBounds>;

/** Maps an expected count Λ to the time in ms at which the process reaches it. */
type MsAtCount = (expectedCount: number) => number;

/** Where the first point lies on the expected-count axis, and the gap to each next one. */
const SPACINGS: Record<ArrivalSpacing, (rng: Rng) => { first: number; step: () => number }> = {
  constant: () => ({ first: 0, step: () => 1 }),
  poisson: (rng) => ({ first: rng.exponential(1), step: () => rng.exponential(1) }),
};
const SPACING_NAMES = Object.keys(SPACINGS) as ArrivalSpacing[];

/** `constant` and `poisson` differ only in their spacing, which is also their name. */
function rateSchedule(spacing: ArrivalSpacing, options: RateArrivalOptions, rng: Rng): ArrivalSchedule {
  const bounds = resolveBounds(spacing, options);
  const ratePerSecond = resolveRate(options);
  const msAtCount: MsAtCount = (n) => (n * 1_000) / ratePerSecond;
  return bounded(warped(spacing, rng, msAtCount), bounds);
}

function burstSchedule(options: BurstArrivalOptions, rng: Rng): ArrivalSchedule {
  const bounds = resolveBounds("burst", options);
  const ratePerSecond = resolveRate(options);
  const { onMs, offMs, spacing } = { ...ARRIVAL_DEFAULTS, ...withoutUndefined(options) };
  requirePositive("arrivals.onMs", onMs);
  requireNonNegative("arrivals.offMs", offMs);
  const checkedSpacing = requireChoice("arrivals.spacing", spacing, SPACING_NAMES);
  const msAtCount: MsAtCount = (n) => {
    // Active (on) time needed for n arrivals, folded into on windows of the wall clock.
    const activeMs = (n * 1_000) / ratePerSecond;
    let windows = Math.floor(activeMs / onMs);
    let offsetMs = Math.max(0, activeMs - windows * onMs);
    if (offsetMs >= onMs) [windows, offsetMs] = [windows + 1, 0]; // floating-point edge
    return windows * (onMs + offMs) + offsetMs;
  };
  return bounded(warped(checkedSpacing, rng, msAtCount), bounds);
}

function rampSchedule(options: RampArrivalOptions, rng: Rng): ArrivalSchedule {
  const bounds = resolveBounds("ramp", options);
  const resolved = { ...ARRIVAL_DEFAULTS, ...withoutUndefined(options) };
  const fromRate = requireNonNegative("arrivals.fromRatePerSecond", resolved.fromRatePerSecond);
  const toRate = requireNonNegative("arrivals.toRatePerSecond", resolved.toRatePerSecond);
  if (fromRate === 0 && toRate === 0) {
    throw new RangeError("a ramp from 0 to 0 arrivals per second sends nothing; set toRatePerSecond > 0");
  }
  const rampMs = options.rampDurationMs ?? options.durationMs;
  if (rampMs === undefined) {
    throw new RangeError("a ramp needs arrivals.rampDurationMs or arrivals.durationMs");
  }
  requirePositive("arrivals.rampDurationMs", rampMs);
  const spacing = requireChoice("arrivals.spacing", resolved.spacing, SPACING_NAMES);
  return bounded(warped(spacing, rng, rampMsAtCount(fromRate, toRate, rampMs)), bounds);
}

/**
 * Inverse of Λ(t) = (r₀t + (r₁−r₀)t²/2T) / 1000 for t <= T, then linear at r₁. Solves
 * a·t² + b·t = n in the form t = 2n / (b + √(b² + 4an)), which stays accurate when a → 0 and
 * works for ramps down (a < 0) as well as up.
 */
function rampMsAtCount(fromRatePerSecond: number, toRatePerSecond: number, rampMs: number): MsAtCount {
  const a = (toRatePerSecond - fromRatePerSecond) / (2_000 * rampMs);
  const b = fromRatePerSecond / 1_000;
  const countAtRampEnd = (rampMs * (fromRatePerSecond + toRatePerSecond)) / 2_000;
  return (n) => {
    if (n === 0) return 0;
    if (n <= countAtRampEnd) return (2 * n) / (b + Math.sqrt(Math.max(0, b * b + 4 * a * n)));
    // After the ramp; Infinity (the schedule ends) when the ramp went down to 0.
    return rampMs + ((n - countAtRampEnd) * 1_000) / toRatePerSecond;
  };
}

function replaySchedule(options: ReplayArrivalOptions): ArrivalSchedule {
  const bounds = resolveBounds("replay", options, false);
  const { timelineMs } = options;
  if (timelineMs === undefined) {
    throw new RangeError("replay needs arrivals.timelineMs; read a file with parseTimeline(text)");
  }
  checkTimeline("arrivals.timelineMs", timelineMs);
  const ownTimelineMs = [...timelineMs]; // the schedule must not change if the caller's array does
  const timeScale = requirePositive("arrivals.timeScale", options.timeScale ?? ARRIVAL_DEFAULTS.timeScale);
  return bounded(
    (function* () {
      for (const atMs of ownTimelineMs) yield atMs * timeScale;
    })(),
    bounds,
  );
}

function resolveRate(options: RateArrivalOptions): number {
  return requirePositive("arrivals.ratePerSecond", options.ratePerSecond ?? ARRIVAL_DEFAULTS.ratePerSecond);
}

function resolveBounds(process: string, options: ArrivalBounds, boundRequired = true): ResolvedBounds {
  const { durationMs, maxCount } = options;
  if (boundRequired && durationMs === undefined && maxCount === undefined) {
    throw new RangeError(
      `the ${process} arrival process never ends by itself; set arrivals.durationMs or arrivals.maxCount`,
    );
  }
  return {
    durationMs:
      durationMs === undefined
        ? Number.POSITIVE_INFINITY
        : requirePositive("arrivals.durationMs", durationMs),
    maxCount:
      maxCount === undefined ? Number.POSITIVE_INFINITY : requireInteger("arrivals.maxCount", maxCount, 0),
  };
}

/** Points of the chosen spacing on the expected-count axis, mapped to ms. Endless. */
function* warped(spacing: ArrivalSpacing, rng: Rng, msAtCount: MsAtCount): Generator<number> {
  const { first, step } = SPACINGS[spacing](rng);
  for (let n = first; ; n += step()) yield msAtCount(n);
}

/** Stops at the bounds, or at a non-finite time; pulls no point (and draws nothing) beyond them. */
function* bounded(timesMs: Iterable<number>, bounds: ResolvedBounds): ArrivalSchedule {
  if (bounds.maxCount === 0) return;
  let count = 0;
  for (const atMs of timesMs) {
    if (!(atMs < bounds.durationMs)) return;
    yield atMs;
    if (++count >= bounds.maxCount) return;
  }
}
