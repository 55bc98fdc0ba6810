/**
 * Every default of `tgbench compare`, in one place. The option resolver (`options.ts`) is the only
 * code that reads them; the metric registry (`metrics.ts`) says what each metric is.
 */

/** Names of the metrics compare judges; `--threshold <name>=<percent>` uses these. */
export const METRIC_NAMES = ["p50", "p99", "requests", "bytes", "cpu", "rss", "throughput"] as const;

/** One of {@link METRIC_NAMES}. */
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * How far, in percent of the base median, a metric must move the wrong way for a statistically
 * significant change to count as a regression (a change of exactly the threshold counts). Latency tails are noisier than medians, requests and
 * bytes per update are nearly deterministic for a seeded stream, CPU time is counted in 10 ms
 * ticks.
 */
export const DEFAULT_THRESHOLDS_PERCENT: Readonly<Record<MetricName, number>> = {
  p50: 10,
  p99: 20,
  requests: 5,
  bytes: 10,
  cpu: 15,
  rss: 20,
  throughput: 10,
};

/** Multiple-comparison corrections compare knows. */
export const CORRECTIONS = ["holm", "none"] as const;

/** One of {@link CORRECTIONS}. */
export type Correction = (typeof CORRECTIONS)[number];

export const COMPARE_DEFAULTS = {
  /** Significance level of the test, after correction. */
  alpha: 0.05,
  /**
   * `holm`: Holm–Bonferroni over every judged (cell, metric) pair, so the chance of a false
   * regression anywhere in one comparison stays under alpha. `none`: each pair at alpha.
   */
  correction: "holm" as Correction,
  /**
   * Up to this many trials on both sides together, Mann–Whitney U's p-value is computed exactly
   * (the permutation distribution of the rank sum, ties included); above it, the normal
   * approximation with tie and continuity correction. R's wilcox.test uses the same bound.
   */
  exactMaxTotalTrials: 50,
} as const;
