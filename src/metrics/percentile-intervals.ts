/**
 * Confidence intervals for the percentiles of latency histograms, by a seeded bootstrap:
 *
 * - **over trials** (two or more histograms): each replicate draws as many trials as there are,
 *   with replacement, merges their histograms and takes the percentile. Trials are the unit that
 *   varies from run to run (the machine, the bot's warm state), so resampling them measures how
 *   much a figure would move in another run; each trial's own sampling noise is inside it.
 * - **over updates** (one histogram): each replicate is n values drawn with replacement from the
 *   trial's n recorded values, and its percentile. Drawing n values per replicate would cost
 *   O(n); instead the k-th smallest of n draws is taken directly, through the k-th smallest of n
 *   uniforms, which is Beta(k, n + 1 − k) distributed, mapped through the histogram's quantile
 *   function. That is the same distribution as resampling, in O(log n) per replicate.
 *
 * The interval is the percentile interval of the replicates (the (1 − c)/2 and (1 + c)/2 points).
 * Replicates use HdrHistogram's own rank rule and values, so a replicate that drew every trial
 * once reproduces the merged histogram's figure exactly. Everything is seeded: the same
 * histograms and seed give the same intervals.
 */
import { createRng, type Rng } from "../generator/rng.ts";
import { PERCENTILE_INTERVAL_DEFAULTS } from "./defaults.ts";
import type { LatencyHistogram } from "./latency-histogram.ts";

/** A confidence interval, µs. */
export interface PercentileInterval {
  lowUs: number;
  highUs: number;
}

/** How an interval was computed: resampling trials, or the updates of a single trial. */
export type IntervalMethod = "bootstrap-trials" | "bootstrap-updates";

/** Options of {@link percentileIntervals}; defaults in {@link PERCENTILE_INTERVAL_DEFAULTS}. */
export interface PercentileIntervalOptions {
  /** Seeds the bootstrap's random draws. */
  seed: string;
  /** 0 < confidence < 1; default 0.95. */
  confidence?: number;
  /** Bootstrap replicates; default 2,000. */
  replicates?: number;
}

/** Intervals for some percentiles of the histograms pooled together, and how they were found. */
export interface PercentileIntervals {
  method: IntervalMethod;
  /** One per requested percentile, in order; null when no replicate had a value. */
  intervals: Array<PercentileInterval | null>;
}

/**
 * Confidence intervals for `percentiles` (0 … 100) of the histograms merged; null when the
 * histograms hold no value. See the file's comment for the two methods.
 */
export function percentileIntervals(
  histograms: readonly LatencyHistogram[],
  percentiles: readonly number[],
  options: PercentileIntervalOptions,
): PercentileIntervals | null {
  const confidence = options.confidence ?? PERCENTILE_INTERVAL_DEFAULTS.confidence;
  const replicates = options.replicates ?? PERCENTILE_INTERVAL_DEFAULTS.replicates;
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (!Number.isSafeInteger(replicates) || replicates < 1)
    throw new RangeError(`replicates must be a whole number ≥ 1, got ${replicates}`);
  const table = cumulativeTable(histograms);
  if (table.total === 0) return null;
  const rng = createRng(options.seed).fork("percentile-intervals");
  const perTrial = histograms.length > 1;
  const draws = perTrial
    ? trialReplicates(table, percentiles, replicates, rng)
    : updateReplicates(table, percentiles, replicates, rng);
  return {
    method: perTrial ? "bootstrap-trials" : "bootstrap-updates",
    intervals: draws.map((values) => interval(values, confidence)),
  };
}

/** The histograms' distinct values (ascending) and, per histogram, the count of values ≤ each. */
interface CumulativeTable {
  valuesUs: Float64Array;
  /** cumulative[i][u]: values of histogram i at or below valuesUs[u]. */
  cumulative: Float64Array[];
  counts: number[];
  total: number;
}

function cumulativeTable(histograms: readonly LatencyHistogram[]): CumulativeTable {
  const recorded = histograms.map((h) => h.recordedValues());
  const distinct = [...new Set(recorded.flatMap((values) => values.map((v) => v.valueUs)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(distinct.map((value, u) => [value, u]));
  const cumulative = recorded.map((values) => {
    const row = new Float64Array(distinct.length);
    for (const { valueUs, count } of values) row[index.get(valueUs)!]! += count;
    for (let u = 1; u < row.length; u++) row[u]! += row[u - 1]!;
    return row;
  });
  const counts = cumulative.map((row) => (row.length === 0 ? 0 : row[row.length - 1]!));
  return {
    valuesUs: Float64Array.from(distinct),
    cumulative,
    counts,
    total: counts.reduce((sum, n) => sum + n, 0),
  };
}

/**
 * The rank (1-based) of the value at `percentile` among `total` values, exactly as HdrHistogram's
 * getValueAtPercentile computes it (rounded up, guarding against one ulp of floating-point error).
 */
export function rankAtPercentile(percentile: number, total: number): number {
  const exact = (Math.min(percentile, 100) / 100) * total;
  const ulp = 2 ** (Math.floor(Math.log2(exact)) - 52);
  return Math.max(Math.ceil(exact - ulp), 1);
}

/** The smallest u with weighted cumulative count ≥ rank (binary search: the counts only grow). */
function firstReaching(table: CumulativeTable, weights: ArrayLike<number>, rank: number): number {
  let low = 0;
  let high = table.valuesUs.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    let reached = 0;
    for (let i = 0; i < table.cumulative.length; i++) {
      const w = weights[i]!;
      if (w !== 0) reached += w * table.cumulative[i]![mid]!;
    }
    if (reached >= rank) high = mid;
    else low = mid + 1;
  }
  return low;
}

function trialReplicates(
  table: CumulativeTable,
  percentiles: readonly number[],
  replicates: number,
  rng: Rng,
): number[][] {
  const trials = table.cumulative.length;
  const values = percentiles.map(() => [] as number[]);
  const weights = new Float64Array(trials);
  for (let b = 0; b < replicates; b++) {
    weights.fill(0);
    for (let draw = 0; draw < trials; draw++) weights[rng.int(0, trials - 1)]! += 1;
    let total = 0;
    for (let i = 0; i < trials; i++) total += weights[i]! * table.counts[i]!;
    if (total === 0) continue; // drew only trials without values: no figure in this replicate
    for (const [p, percentile] of percentiles.entries()) {
      const u = firstReaching(table, weights, rankAtPercentile(percentile, total));
      values[p]!.push(table.valuesUs[u]!);
    }
  }
  return values;
}

function updateReplicates(
  table: CumulativeTable,
  percentiles: readonly number[],
  replicates: number,
  rng: Rng,
): number[][] {
  const n = table.total;
  const weights = [1];
  return percentiles.map((percentile) => {
    const k = rankAtPercentile(percentile, n);
    const values: number[] = [];
    for (let b = 0; b < replicates; b++) {
      // The k-th smallest of n uniforms, then the original value at that quantile.
      const uniform = sampleBeta(rng, k, n + 1 - k);
      const rank = Math.min(n, Math.max(1, Math.ceil(uniform * n)));
      values.push(table.valuesUs[firstReaching(table, weights, rank)]!);
    }
    return values;
  });
}

/** The (1 − c)/2 and (1 + c)/2 points of the replicate values; null without any. */
function interval(values: number[], confidence: number): PercentileInterval | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  const low = Math.min(values.length - 1, Math.floor(tail * values.length));
  const high = Math.max(0, Math.ceil((1 - tail) * values.length) - 1);
  return { lowUs: values[low]!, highUs: values[high]! };
}

/** Beta(a, b) for a, b ≥ 1, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

/** Gamma(shape, 1) for shape ≥ 1: Marsaglia and Tsang's method (ACM TOMS 26(3), 2000). */
function sampleGamma(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = sampleNormal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng.next(); // (0, 1]: log(u) is finite
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A standard normal draw (Box–Muller). */
function sampleNormal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
