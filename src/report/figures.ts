import {
  type CellResult,
  cellDurationMs,
  type PercentileEstimate,
  type ResolvedScenario,
  type TrialResult,
} from "../results/index.ts";
import type { BotCpuFigure } from "./cell-summary.ts";

/** The median over a cell's trials of one figure (null when no trial has it). */
export function medianOf(
  trials: readonly TrialResult[],
  figure: (t: TrialResult) => number | null,
): number | null {
  return median(trials.map(figure));
}

/** The median of the finite numbers among `values` (null when there are none). */
export function median(values: ReadonlyArray<number | null>): number | null {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A cell's name as reports show it: `grammy · webhook · 20/s`, and its network unless loopback (`… · continent`). */
export const cellLabel = (
  cell: Pick<CellResult, "bot" | "mode" | "ratePerSecond"> & { network?: { name: string } },
): string =>
  `${cell.bot} · ${cell.mode} · ${formatRate(cell.ratePerSecond)}` +
  (cell.network === undefined || cell.network.name === "loopback" ? "" : ` · ${cell.network.name}`);

export function formatRate(ratePerSecond: number): string {
  if (ratePerSecond >= 1) return `${trim(ratePerSecond)}/s`;
  return `${trim(ratePerSecond * 60)}/min`;
}

/** Microseconds as a short human figure: 850 µs, 12.3 ms, 4.1 s. */
export function formatUs(us: number | null): string {
  if (us === null) return "–";
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${trim(us / 1000, us < 10_000 ? 2 : 1)} ms`;
  return `${trim(us / 1_000_000, 2)} s`;
}

/**
 * A confidence interval in µs as a short range, the unit written once when both ends share it:
 * `3.9–4.6 ms`, `850 µs–1.2 ms`; `±0` when both ends are the figure itself.
 */
export function formatInterval(estimate: PercentileEstimate): string | null {
  const { us, lowUs, highUs } = estimate;
  if (lowUs === null || highUs === null) return null;
  if (lowUs === us && highUs === us) return "±0";
  const low = formatUs(lowUs);
  const high = formatUs(highUs);
  const unit = (text: string) => text.slice(text.indexOf(" "));
  return unit(low) === unit(high) ? `${low.slice(0, low.indexOf(" "))}–${high}` : `${low}–${high}`;
}

/** A percentile with its confidence interval: `4.2 ms (3.9–4.6 ms)`; `–` without a figure. */
export function formatEstimate(estimate: PercentileEstimate | null): string {
  if (estimate === null) return "–";
  const interval = formatInterval(estimate);
  return interval === null ? formatUs(estimate.us) : `${formatUs(estimate.us)} (${interval})`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "–";
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024, 1)} KiB`;
  if (bytes < 1024 ** 3) return `${trim(bytes / 1024 ** 2, 1)} MiB`;
  return `${trim(bytes / 1024 ** 3, 2)} GiB`;
}

export const formatShare = (share: number | null): string =>
  share === null ? "–" : `${trim(share * 100, 1)}%`;

export function formatCount(value: number | null, digits = 1): string {
  if (value === null) return "–";
  if (Math.abs(value) >= 1_000_000) return `${trim(value / 1_000_000, 2)}M`;
  if (Math.abs(value) >= 10_000) return `${trim(value / 1000, 1)}k`;
  return trim(value, digits);
}

/** Bot CPU per update: `850 µs`, `≈ 2 ms` when coarse, `< 500 µs` when no clock tick was counted. */
export function formatBotCpu(figure: BotCpuFigure): string {
  const text = formatUs(figure.usPerUpdate);
  if (figure.precision === "approximate") return `≈ ${text}`;
  if (figure.precision === "upper-bound") return `< ${text}`;
  return text;
}

/** A ratio as people say it: 1.3×, 12×, 250×. */
export function formatRatio(ratio: number): string {
  return ratio < 10 ? `${trim(ratio, 1)}×` : `${Math.round(ratio)}×`;
}

/** A rate in words: `1 update/s`, `20 updates/s`, `30 updates/min`. */
export function rateWords(ratePerSecond: number): string {
  const perMinute = ratePerSecond < 1;
  const value = trim(perMinute ? ratePerSecond * 60 : ratePerSecond);
  return `${value} update${value === "1" ? "" : "s"}/${perMinute ? "min" : "s"}`;
}

/** A delivery mode in words: `short polling`, `long polling`, `webhook`. */
export const modeWords = (mode: string): string => mode.replaceAll("-", " ");

function trim(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

/**
 * How long a scenario's trials measured: `4 s`, or, with a per-rate rule, `sized to each rate
 * (2.4 s at 50 updates/s, 2 s at 1 update/min …)`.
 */
export function trialLengthWords(scenario: ResolvedScenario): string {
  if (scenario.cellDuration == null) return `${trim(scenario.durationMs / 1000)} s`;
  const each = [...scenario.ratesPerSecond]
    .sort((a, b) => a - b)
    .map((rate) => `${trim(cellDurationMs(scenario, rate) / 1000)} s at ${rateWords(rate)}`);
  return `a length sized to each rate (${each.join(", ")})`;
}
