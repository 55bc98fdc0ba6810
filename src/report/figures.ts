import type { CellResult, TrialResult } from "../runner/results.ts";

/** The median over a cell's trials of one figure (null when no trial has it). */
export function medianOf(
  trials: readonly TrialResult[],
  figure: (t: TrialResult) => number | null,
): number | null {
  const values = trials
    .map(figure)
    .filter((v): v is number => v !== null && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (values.length === 0) return null;
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** A cell's name as reports show it: `grammy · webhook · 20/s`. */
export const cellLabel = (cell: Pick<CellResult, "bot" | "mode" | "ratePerSecond">): string =>
  `${cell.bot} · ${cell.mode} · ${formatRate(cell.ratePerSecond)}`;

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

function trim(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}
