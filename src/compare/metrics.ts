/**
 * The metrics compare judges, as a registry: how to read each one from a trial, which way is
 * better, and how to print it. Thresholds live in `defaults.ts`.
 */
import { formatBytes, formatCount, formatUs, medianOf } from "../report/figures.ts";
import { pooledPercentile, type TrialResult } from "../results/index.ts";
import { METRIC_NAMES, type MetricName } from "./defaults.ts";

/** Which way a metric improves. */
export type Direction = "smaller-is-better" | "bigger-is-better";

/** One metric compare judges. */
export interface MetricDefinition {
  /** As tables show it: `p99 latency`. */
  label: string;
  direction: Direction;
  /** The figure of one trial, or null when that trial has none (no answered update, no /proc). */
  figure: (trial: TrialResult) => number | null;
  /**
   * A side's figure over its trials, as a report shows it: for latency, the percentile of the
   * trials' merged histogram; for the rest, the median of {@link figure} over the trials.
   */
  pooled: (trials: readonly TrialResult[]) => number | null;
  /** A value for people: `12.3 ms`, `2.05`, `1.2 KiB`. */
  format: (value: number | null) => string;
}

/** Latency figures only mean something when some update was answered. */
const answered = (trial: TrialResult, value: number | null): number | null =>
  trial.ledger.answered > 0 ? value : null;

/** A figure judged per trial and shown as the median over trials. */
const byMedian = (figure: (trial: TrialResult) => number | null) => ({
  figure,
  pooled: (trials: readonly TrialResult[]) => medianOf(trials, figure),
});

/** Every metric, by the name `--threshold` uses. */
export const METRICS: Readonly<Record<MetricName, MetricDefinition>> = {
  p50: {
    label: "p50 latency",
    direction: "smaller-is-better",
    figure: (t) => answered(t, t.latency.endToEnd.p50Us),
    pooled: (trials) => pooledPercentile(trials, (t) => t.latency.endToEnd, "p50"),
    format: formatUs,
  },
  p99: {
    label: "p99 latency",
    direction: "smaller-is-better",
    figure: (t) => answered(t, t.latency.endToEnd.p99Us),
    pooled: (trials) => pooledPercentile(trials, (t) => t.latency.endToEnd, "p99"),
    format: formatUs,
  },
  requests: {
    label: "requests / update",
    direction: "smaller-is-better",
    ...byMedian((t) => answered(t, t.requests.perAnsweredUpdate.requests)),
    format: (v) => formatCount(v, 3),
  },
  bytes: {
    label: "bytes / update",
    direction: "smaller-is-better",
    ...byMedian((t) => answered(t, t.requests.perAnsweredUpdate.bytes)),
    format: formatBytes,
  },
  cpu: {
    label: "bot CPU / update",
    direction: "smaller-is-better",
    ...byMedian((t) => t.cost.botCpuUsPerUpdate),
    format: formatUs,
  },
  rss: {
    label: "bot peak RSS",
    direction: "smaller-is-better",
    ...byMedian((t) => t.cost.botPeakRssBytes),
    format: formatBytes,
  },
  throughput: {
    label: "answered / s",
    direction: "bigger-is-better",
    ...byMedian((t) => t.throughput.answeredPerSecond),
    format: (v) => (v === null ? "–" : `${formatCount(v, 1)}/s`),
  },
};

/** The metric names in table order. */
export const METRIC_ORDER: readonly MetricName[] = METRIC_NAMES;
