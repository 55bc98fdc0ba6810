/**
 * A cell's latency figures: the trials' HDR histograms merged into one, so that a cell's p99 is
 * the p99 of all its updates (not a median of per-trial p99s), with a confidence interval for
 * every percentile. The runner stores them in each cell, `tgbench compare` and the merge of runs
 * compute theirs the same way, from the same histograms.
 */
import { PERCENTILE_INTERVAL_DEFAULTS } from "../metrics/defaults.ts";
import {
  createLatencyHistogram,
  decodeLatencyHistogram,
  type LatencyHistogram,
  SUMMARY_PERCENTILES,
  type SummaryPercentile,
} from "../metrics/latency-histogram.ts";
import { type IntervalMethod, percentileIntervals } from "../metrics/percentile-intervals.ts";
import type { LatencyRecord, TrialResult } from "./trial-result.ts";

/** A percentile of a cell, µs, with its confidence interval. */
export interface PercentileEstimate {
  /** The percentile of the merged histogram (or, from an @2 report, the median over trials). */
  us: number;
  /** The interval's ends; null when there is none (figures from an @2 report). */
  lowUs: number | null;
  highUs: number | null;
}

/** The percentiles a cell reports, by the names tables use. */
export const CELL_PERCENTILES = ["p50", "p90", "p99", "p999", "max"] as const;
/** One of {@link CELL_PERCENTILES}. */
export type CellPercentile = (typeof CELL_PERCENTILES)[number];

const SUMMARY_KEY: Readonly<Record<CellPercentile, SummaryPercentile>> = {
  p50: "p50Us",
  p90: "p90Us",
  p99: "p99Us",
  p999: "p999Us",
  max: "maxUs",
};

/** One latency of a cell over its pooled trials; every percentile null when nothing was recorded. */
export type PooledLatency = { count: number; meanUs: number | null } & Record<
  CellPercentile,
  PercentileEstimate | null
>;

/** The latencies a trial records, by their name in {@link TrialResult.latency}. */
export const LATENCY_NAMES = ["endToEnd", "fromActualSend", "deliveryWait", "botTime"] as const;
export type LatencyName = (typeof LATENCY_NAMES)[number];

/** A cell's latency figures, computed from the trials named in `trials`. */
export type CellLatency = {
  /**
   * `merged-histograms`: the trials' histograms merged; `trial-summaries`: the median over trials
   * of each trial's figure, for reports of schema @2, which kept no histograms (no intervals).
   */
  source: "merged-histograms" | "trial-summaries";
  /** How the intervals were found: resampling trials (two or more), or one trial's updates. */
  interval: IntervalMethod | "none";
  /** The intervals' level (0.95: 95 %). */
  confidence: number;
  /** Bootstrap replicates behind each interval. */
  replicates: number;
  /** The trials pooled (see {@link pooledTrials}), by number. */
  trials: number[];
} & Record<LatencyName, PooledLatency>;

/**
 * The trials a cell's figures come from: those that completed, or every trial when none did (a
 * cell whose bot always died still shows what it measured).
 */
export function pooledTrials(trials: readonly TrialResult[]): TrialResult[] {
  const completed = trials.filter((t) => t.outcome.kind === "completed");
  return completed.length > 0 ? completed : [...trials];
}

/**
 * The merged histogram of one latency over `trials`, or null when a trial has no histogram (a
 * trial read from an @2 report).
 */
export function mergedHistogram(
  trials: readonly TrialResult[],
  pick: (t: TrialResult) => LatencyRecord,
): LatencyHistogram | null {
  const merged = createLatencyHistogram();
  for (const t of trials) {
    const encoded = pick(t).histogram;
    if (encoded === null) return null;
    merged.merge(decodeLatencyHistogram(encoded));
  }
  return merged;
}

/**
 * One percentile of one latency over `trials`: the merged histogram's, or the median over trials
 * of their own figure when the trials have no histograms. Null when nothing was recorded.
 */
export function pooledPercentile(
  trials: readonly TrialResult[],
  pick: (t: TrialResult) => LatencyRecord,
  percentile: CellPercentile,
): number | null {
  const merged = mergedHistogram(trials, pick);
  if (merged !== null) return merged.valueAtPercentile(SUMMARY_PERCENTILES[SUMMARY_KEY[percentile]]);
  return median(trials.map((t) => pick(t)[SUMMARY_KEY[percentile]]));
}

/** Options of {@link poolCellLatency}; defaults in PERCENTILE_INTERVAL_DEFAULTS. */
export interface PoolOptions {
  confidence?: number;
  replicates?: number;
}

/**
 * A cell's latency figures from its trials ({@link pooledTrials} of them): every latency's
 * merged histogram and its percentiles with confidence intervals, seeded by the pooled trials'
 * seeds (the same trials always give the same intervals). Null when there is no trial.
 */
export function poolCellLatency(
  trials: readonly TrialResult[],
  options: PoolOptions = {},
): CellLatency | null {
  const pooled = pooledTrials(trials);
  if (pooled.length === 0) return null;
  const confidence = options.confidence ?? PERCENTILE_INTERVAL_DEFAULTS.confidence;
  const replicates = options.replicates ?? PERCENTILE_INTERVAL_DEFAULTS.replicates;
  const haveHistograms = pooled.every((t) =>
    LATENCY_NAMES.every((name) => t.latency[name].histogram !== null),
  );
  const seed = `cell-latency/${pooled.map((t) => t.seed).join(",")}`;
  let interval: CellLatency["interval"] = "none";
  const figures = {} as Record<LatencyName, PooledLatency>;
  for (const name of LATENCY_NAMES) {
    if (!haveHistograms) {
      figures[name] = fromSummaries(pooled.map((t) => t.latency[name]));
      continue;
    }
    const histograms = pooled.map((t) => decodeLatencyHistogram(t.latency[name].histogram!));
    const pooledLatency = fromHistograms(histograms, { seed: `${seed}/${name}`, confidence, replicates });
    figures[name] = pooledLatency.figures;
    if (pooledLatency.method !== null) interval = pooledLatency.method;
  }
  return {
    source: haveHistograms ? "merged-histograms" : "trial-summaries",
    interval,
    confidence,
    replicates: haveHistograms ? replicates : 0,
    trials: pooled.map((t) => t.trial),
    ...figures,
  };
}

function fromHistograms(
  histograms: LatencyHistogram[],
  options: { seed: string; confidence: number; replicates: number },
): { figures: PooledLatency; method: IntervalMethod | null } {
  const merged = createLatencyHistogram();
  for (const h of histograms) merged.merge(h);
  const summary = merged.summary();
  const percentiles = CELL_PERCENTILES.map((p) => SUMMARY_PERCENTILES[SUMMARY_KEY[p]]);
  const found = percentileIntervals(histograms, percentiles, options);
  const figures: PooledLatency = { count: summary.count, meanUs: summary.meanUs } as PooledLatency;
  for (const [i, p] of CELL_PERCENTILES.entries()) {
    const us = summary[SUMMARY_KEY[p]];
    const interval = found?.intervals[i] ?? null;
    figures[p] =
      us === null ? null : { us, lowUs: interval?.lowUs ?? null, highUs: interval?.highUs ?? null };
  }
  return { figures, method: found?.method ?? null };
}

/** The fallback for trials without histograms: medians of their summaries, no intervals. */
function fromSummaries(records: readonly LatencyRecord[]): PooledLatency {
  const withValues = records.filter((r) => r.count > 0);
  const figures: PooledLatency = {
    count: records.reduce((sum, r) => sum + r.count, 0),
    meanUs: median(withValues.map((r) => r.meanUs)),
  } as PooledLatency;
  for (const p of CELL_PERCENTILES) {
    const us = median(withValues.map((r) => r[SUMMARY_KEY[p]]));
    figures[p] = us === null ? null : { us, lowUs: null, highUs: null };
  }
  return figures;
}

function median(values: ReadonlyArray<number | null>): number | null {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
