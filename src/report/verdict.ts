/**
 * The verdict: what a report says about "polling or webhook?", in plain words, computed from the
 * measured figures only. Every comparison is paired: two modes are compared on the bots measured
 * in both at the same rate (medians over those bots), so a fast framework measured in one mode
 * only cannot make that mode look fast.
 */
import type { ModeName, Report } from "../results/index.ts";
import { type CellSummary, summarizeCell } from "./cell-summary.ts";
import { median } from "./figures.ts";
import { verdictCaveats } from "./verdict-caveats.ts";
import { headlineText, rateSummaryText, rateText } from "./verdict-text.ts";
import {
  CPU_DIFFERENCE_RATIO,
  MODE_ORDER,
  type ModeComparison,
  type RateVerdict,
  SAME_FIGURE_RATIO,
  type Verdict,
} from "./verdict-types.ts";

export type { ModeComparison, RateVerdict, Verdict } from "./verdict-types.ts";

/** Computes the verdict of a report. Pure. */
export function computeVerdict(report: Report): Verdict {
  const summaries = report.cells.map(summarizeCell);
  const measured = summaries.filter((s) => s.status === "measured");
  const rates = [...new Set(measured.map((s) => s.cell.ratePerSecond))]
    .sort((a, b) => a - b)
    .map((rate) =>
      rateVerdict(
        rate,
        measured.filter((s) => s.cell.ratePerSecond === rate),
      ),
    );
  const lead = rates.find((r) => r.modes.length >= 2) ?? rates[0];
  return {
    headline: headlineText(rates, lead, summaries),
    leadRate: lead?.ratePerSecond ?? null,
    rates,
    caveats: verdictCaveats(report, summaries, rates),
  };
}

function rateVerdict(ratePerSecond: number, cells: readonly CellSummary[]): RateVerdict {
  const modes = MODE_ORDER.filter((m) => cells.some((s) => s.cell.mode === m));
  const perMode = (figure: (s: CellSummary) => number | null) =>
    Object.fromEntries(
      modes.flatMap((m) => {
        const value = median(cells.filter((s) => s.cell.mode === m).map(figure));
        return value === null ? [] : [[m, value]];
      }),
    ) as Partial<Record<ModeName, number>>;
  const p99Us = perMode((s) => s.latency.p99Us);
  const { fastest, comparisons } = rankModes(modes, cells, p99Us, (s) => s.latency.p99Us);
  const verdict: RateVerdict = {
    ratePerSecond,
    modes,
    emptyPerHour: perMode((s) => (s.cell.mode === "webhook" ? null : s.emptyPerHour)),
    p99Us,
    fastest,
    latency: comparisons,
    fellBehind: cells.filter((s) => s.sustained === false),
    cpu: cpuComparison(modes, cells),
    summary: "",
    text: "",
  };
  verdict.summary = rateSummaryText(verdict);
  verdict.text = rateText(verdict);
  return verdict;
}

/**
 * The best mode for a figure (smaller is better) and its paired comparisons with every other mode,
 * closest first. The best mode is the one no other mode beats on their shared bots; when pairs
 * disagree (possible with different bots per mode), the lowest median over all bots wins.
 */
function rankModes(
  modes: readonly ModeName[],
  cells: readonly CellSummary[],
  medians: Partial<Record<ModeName, number>>,
  figure: (s: CellSummary) => number | null,
): { fastest: ModeName | null; comparisons: ModeComparison[] } {
  const candidates = modes.filter((m) => medians[m] !== undefined);
  const unbeaten = candidates.filter((m) =>
    candidates.every((other) => {
      if (other === m) return true;
      const c = compareModes(m, other, cells, figure);
      return c === null || c.better === m || c.ratio < SAME_FIGURE_RATIO;
    }),
  );
  const byMedian = (a: ModeName, b: ModeName) => medians[a]! - medians[b]!;
  const fastest = [...(unbeaten.length > 0 ? unbeaten : candidates)].sort(byMedian)[0] ?? null;
  if (fastest === null) return { fastest, comparisons: [] };
  const comparisons = candidates
    .filter((m) => m !== fastest)
    .flatMap((m) => {
      const c = compareModes(fastest, m, cells, figure);
      return c === null ? [] : [c];
    })
    .sort((a, b) => a.ratio - b.ratio);
  return { fastest, comparisons };
}

/**
 * Compares two modes on the bots measured in both: the ratio of the medians over those bots (so
 * the ratio matches the two figures shown beside it). Null when no bot was measured in both, or a
 * figure is missing or not positive.
 */
export function compareModes(
  a: ModeName,
  b: ModeName,
  cells: readonly CellSummary[],
  figure: (s: CellSummary) => number | null,
): ModeComparison | null {
  const byBot = (mode: ModeName) =>
    new Map(
      cells
        .filter((s) => s.cell.mode === mode)
        .map((s) => [s.cell.bot, figure(s)] as const)
        .filter((e): e is readonly [string, number] => e[1] !== null && e[1] > 0),
    );
  const valuesA = byBot(a);
  const valuesB = byBot(b);
  const bots = [...valuesA.keys()].filter((bot) => valuesB.has(bot));
  if (bots.length === 0) return null;
  const medianA = median(bots.map((bot) => valuesA.get(bot)!))!;
  const medianB = median(bots.map((bot) => valuesB.get(bot)!))!;
  const ratioBA = medianB / medianA;
  return ratioBA >= 1
    ? { better: a, worse: b, ratio: ratioBA, betterValue: medianA, worseValue: medianB, bots: bots.length }
    : {
        better: b,
        worse: a,
        ratio: 1 / ratioBA,
        betterValue: medianB,
        worseValue: medianA,
        bots: bots.length,
      };
}

/** Bot CPU per update, compared only where every figure is exact (enough clock ticks). */
function cpuComparison(modes: readonly ModeName[], cells: readonly CellSummary[]): ModeComparison | null {
  const exact = (s: CellSummary) => (s.botCpu.precision === "exact" ? s.botCpu.usPerUpdate : null);
  let widest: ModeComparison | null = null;
  for (const [i, a] of modes.entries()) {
    for (const b of modes.slice(i + 1)) {
      const c = compareModes(a, b, cells, exact);
      if (c !== null && (widest === null || c.ratio > widest.ratio)) widest = c;
    }
  }
  return widest !== null && widest.ratio >= CPU_DIFFERENCE_RATIO ? widest : null;
}
