/**
 * The figures the model predicts, named and defined as the report measures them (src/runner
 * trial-probe.ts): times from an update's *intended* send time, counted at Telegram's end (the fake
 * API), requests = the bot's API calls + Telegram's webhook POSTs.
 */

/** A latency distribution, ms. A percentile is null where the source cannot give it. */
export interface LatencyFiguresMs {
  meanMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
}

/** The percentiles of {@link LatencyFiguresMs}, as fractions. */
export const MODEL_PERCENTILES = [
  { key: "p50Ms", q: 0.5 },
  { key: "p90Ms", q: 0.9 },
  { key: "p99Ms", q: 0.99 },
  { key: "p999Ms", q: 0.999 },
] as const satisfies ReadonlyArray<{ key: keyof LatencyFiguresMs; q: number }>;

/** Every figure of one cell. null: not defined for this mode (empty share of a webhook), or unknown to the source. */
export interface ModelFigures {
  /** Share of getUpdates answered `[]`, 0–1 (null for webhooks). */
  emptyShare: number | null;
  /** getUpdates calls per hour (0 for webhooks). */
  pollsPerHour: number | null;
  /** All requests per hour: getUpdates + replies + webhook POSTs. */
  requestsPerHour: number | null;
  emptyRequestsPerHour: number | null;
  /** Requests per answered update (the report's "requests / update"). */
  requestsPerAnsweredUpdate: number | null;
  /** Intended send time → handed to the bot (getUpdates answer sent, or the first POST started). */
  deliveryWaitMs: LatencyFiguresMs;
  /** Intended send time → the bot's reply reached Telegram (the report's headline latency). */
  endToEndMs: LatencyFiguresMs;
  /** The highest arrival rate the bot keeps up with, updates per second (Infinity: not bounded by anything modelled). */
  throughputCeilingPerSecond: number | null;
}

/** Names of the figures, for provenance maps and tables. */
export type FigureName = keyof ModelFigures;

export const FIGURE_NAMES: readonly FigureName[] = [
  "emptyShare",
  "pollsPerHour",
  "requestsPerHour",
  "emptyRequestsPerHour",
  "requestsPerAnsweredUpdate",
  "deliveryWaitMs",
  "endToEndMs",
  "throughputCeilingPerSecond",
];

/** Where a figure came from. */
export type FigureSource = "closed-form" | "simulation" | "none";

export const emptyLatency = (): LatencyFiguresMs => ({
  meanMs: null,
  p50Ms: null,
  p90Ms: null,
  p99Ms: null,
  p999Ms: null,
});

/** The q-quantile of sorted values (the smallest value with at least q of the values at or below it). */
export function quantileOfSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

/** Mean and percentiles of `values` (any order); all null when empty. */
export function latencyOf(values: readonly number[]): LatencyFiguresMs {
  if (values.length === 0) return emptyLatency();
  const sorted = [...values].sort((a, b) => a - b);
  const out: LatencyFiguresMs = emptyLatency();
  out.meanMs = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  for (const { key, q } of MODEL_PERCENTILES) out[key] = quantileOfSorted(sorted, q);
  return out;
}
