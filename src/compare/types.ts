/**
 * What {@link compare} returns: plain data, rendered by `markdown.ts` or as JSON.
 */
import type { ModeName } from "../results/index.ts";
import type { Correction, MetricName } from "./defaults.ts";
import type { MannWhitneyMethod } from "./mann-whitney.ts";
import type { Direction } from "./metrics.ts";

/**
 * Version of compare's JSON output; bump on any incompatible change. @2: each side has a `value`
 * (for latency the percentile of the merged histograms), which `changePercent` and the threshold
 * are computed from.
 */
export const COMPARISON_SCHEMA = "tgbench/compare@2";

/**
 * The judgement on one metric of one cell.
 *
 * - `regression`: significant, and the median moved the wrong way by at least the threshold.
 * - `improvement`: significant, and the median moved the right way by at least the threshold.
 * - `within-threshold`: significant, but the median moved less than the threshold.
 * - `not-significant`: the difference is within the trials' noise.
 * - `unchanged`: every trial on both sides gave the same value.
 * - `not-enough-data`: too few trials for any test to reach significance (n = 1, or 3 vs 3 at α = 0.05).
 * - `no-data`: the figure is missing on a side (no CPU sample, nothing answered).
 */
export type Verdict =
  | "regression"
  | "improvement"
  | "within-threshold"
  | "not-significant"
  | "unchanged"
  | "not-enough-data"
  | "no-data";

/** One side's values of one metric in one cell. */
export interface SideSample {
  /** Trials with a value. */
  n: number;
  /** One value per trial, in trial order: what the rank test compares. */
  values: number[];
  /** The median of `values`. */
  median: number | null;
  /**
   * The side's figure, as a report shows it: for latency, the percentile of all the side's
   * updates (its trials' histograms merged); for the rest, the median over trials.
   */
  value: number | null;
}

/** The rank test behind a verdict. */
export interface TestOutcome {
  method: MannWhitneyMethod;
  /** U of the head sample: pairs with head > base, plus half the ties. */
  uHead: number;
  /** Which way the ranks moved: head tends to be worse, or better, than base. */
  towards: "worse" | "better";
  /** One-sided p-value in that direction. */
  pValue: number;
  pTwoSided: number;
  /** `pValue` after the multiple-comparison correction; compared with alpha. */
  pAdjusted: number;
}

/** One metric of one cell, both sides and the verdict. */
export interface MetricComparison {
  metric: MetricName;
  label: string;
  direction: Direction;
  thresholdPercent: number;
  base: SideSample;
  head: SideSample;
  /** (head value − base value) / base value, in percent; null when the base value is 0 or missing. */
  changePercent: number | null;
  /** null when no test was run (see `verdict` and `note`). */
  test: TestOutcome | null;
  verdict: Verdict;
  /** Why, in words: `n=1: not enough trials to judge`, `+23.1% > +20%`. */
  note: string;
}

/** A cell present, with trials, on both sides. */
export interface CellComparison {
  bot: string;
  mode: ModeName;
  ratePerSecond: number;
  /** `grammy · webhook · 20/s`. */
  label: string;
  /** Trials left out because they did not complete, per side. */
  excludedTrials: { base: number; head: number };
  metrics: MetricComparison[];
}

/** A cell that could not be compared, and why. */
export interface UnmatchedCell {
  bot: string;
  mode: ModeName;
  ratePerSecond: number;
  label: string;
  reason: string;
}

/** Where a side came from, for the heading of the output. */
export interface ReportSource {
  label: string;
  scenario: string;
  createdAt: string;
  toolVersion: string;
  /** Largest number of trials any cell has. */
  trialsPerCell: number;
  partial: boolean;
}

/** Everything compare found. `outcome` decides the exit code. */
export interface ComparisonResult {
  schema: typeof COMPARISON_SCHEMA;
  alpha: number;
  correction: Correction;
  thresholdsPercent: Record<MetricName, number>;
  base: ReportSource;
  head: ReportSource;
  cells: CellComparison[];
  unmatched: UnmatchedCell[];
  /** Differences in how the two sides were run that make the comparison less fair. */
  warnings: string[];
  /** Metric comparisons that were tested (the size of the correction's family). */
  judged: number;
  regressions: number;
  improvements: number;
  /** `regression` when at least one metric of one cell regressed. */
  outcome: "regression" | "no-regression";
}
