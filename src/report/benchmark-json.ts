/**
 * Exports for github-action-benchmark's custom tools: benchmark.json (`customSmallerIsBetter`:
 * latency, requests, bytes and bot CPU per update) and benchmark-throughput.json
 * (`customBiggerIsBetter`: updates answered per second). One entry per figure of every measured
 * cell, named `<bot> · <mode> · <rate> <figure>` so that runs of the same scenario line up.
 *
 * The action compares each entry with the previous run's entry of the same name as a ratio, so a
 * figure that can be 0 would turn into an infinite regression: figures that are 0 or not
 * measurable in a run (a bot CPU total under ten clock ticks, say) are left out of that run.
 */
import type { Report, TrialResult } from "../results/index.ts";
import { type CellSummary, summarizeCell } from "./cell-summary.ts";

/** One entry of github-action-benchmark's custom JSON format. */
export interface BenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  /** The spread over trials, as text (`± 0.4`); absent with a single trial. */
  range?: string;
  /** Shown in the action's tooltip. */
  extra?: string;
}

interface Figure {
  name: string;
  unit: string;
  /** The cell's figure (latency: of its merged histogram; else the median over trials), or null to leave the entry out. */
  value: (s: CellSummary) => number | null;
  /** The same figure per trial, for the range. */
  perTrial: (t: TrialResult) => number | null;
}

const US_PER_MS = 1000;

const perMs = (us: number | null) => (us === null ? null : us / US_PER_MS);

/** The smaller-is-better figures, in the order each cell lists them. */
const SMALLER_IS_BETTER: readonly Figure[] = [
  {
    name: "p50 latency",
    unit: "ms",
    value: (s) => perMs(s.latency.p50Us),
    perTrial: (t) => perMs(t.latency.endToEnd.p50Us),
  },
  {
    name: "p99 latency",
    unit: "ms",
    value: (s) => perMs(s.latency.p99Us),
    perTrial: (t) => perMs(t.latency.endToEnd.p99Us),
  },
  {
    name: "requests per update",
    unit: "requests",
    value: (s) => s.requestsPerUpdate,
    perTrial: (t) => t.requests.perAnsweredUpdate.requests,
  },
  {
    name: "bytes per update",
    unit: "bytes",
    value: (s) => s.bytesPerUpdate,
    perTrial: (t) => t.requests.perAnsweredUpdate.bytes,
  },
  {
    name: "bot CPU per update",
    unit: "µs",
    value: (s) => (s.botCpu.precision === "exact" ? s.botCpu.usPerUpdate : null),
    perTrial: (t) => t.cost.botCpuUsPerUpdate,
  },
];

const BIGGER_IS_BETTER: readonly Figure[] = [
  {
    name: "answered per second",
    unit: "updates/s",
    value: (s) => s.answeredPerSecond,
    perTrial: (t) => t.throughput.answeredPerSecond,
  },
];

/** benchmark.json entries: github-action-benchmark's `customSmallerIsBetter`. Pure. */
export const smallerIsBetterEntries = (report: Report): BenchmarkEntry[] =>
  entries(report, SMALLER_IS_BETTER);

/** benchmark-throughput.json entries: github-action-benchmark's `customBiggerIsBetter`. Pure. */
export const biggerIsBetterEntries = (report: Report): BenchmarkEntry[] => entries(report, BIGGER_IS_BETTER);

/** benchmark.json */
export const renderBenchmarkJson = (report: Report): string =>
  `${JSON.stringify(smallerIsBetterEntries(report), null, 2)}\n`;

/** benchmark-throughput.json */
export const renderBenchmarkThroughputJson = (report: Report): string =>
  `${JSON.stringify(biggerIsBetterEntries(report), null, 2)}\n`;

function entries(report: Report, figures: readonly Figure[]): BenchmarkEntry[] {
  return report.cells
    .map(summarizeCell)
    .filter((s) => s.status === "measured")
    .flatMap((s) =>
      figures.flatMap((f) => {
        const value = f.value(s);
        if (value === null || !Number.isFinite(value) || value <= 0) return [];
        const entry: BenchmarkEntry = { name: `${s.label} ${f.name}`, unit: f.unit, value: round(value) };
        const spread = range(s.trials.map(f.perTrial));
        if (spread !== null) entry.range = spread;
        entry.extra = extra(s);
        return [entry];
      }),
    );
}

/** `± half the spread` over trials, in the figure's unit; null with fewer than two trials. */
function range(values: ReadonlyArray<number | null>): string | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length < 2) return null;
  return `± ${round((Math.max(...finite) - Math.min(...finite)) / 2)}`;
}

function extra(s: CellSummary): string {
  const trials = s.trials.length;
  return (
    `${trials} trial${trials === 1 ? "" : "s"} (latency of all their updates, other figures the median); ` +
    `answered ${s.answered}/${s.generated}` +
    (s.sustained === false ? "; did not keep up" : "")
  );
}

/** Four significant digits: enough for a trend, without float noise in the file. */
const round = (value: number) => Number(value.toPrecision(4));
