/**
 * Compares two reports cell by cell and metric by metric, judging each difference against the
 * noise between trials. Pure: reports in, {@link ComparisonResult} out.
 *
 * A metric of a cell is a regression only when both hold:
 * 1. a one-sided Mann–Whitney U test on the per-trial values, in the direction the ranks moved,
 *    is significant at alpha after the correction (Holm by default) over every judged pair; and
 * 2. the head's figure (for latency the percentile of its merged histograms, else the median over
 *    trials) moved the wrong way by at least the metric's threshold.
 * Too few trials for any test to reach significance is reported as such, never as a pass or fail.
 */

import { cellLabel, medianOf } from "../report/figures.ts";
import {
  cellKey,
  describeFailure,
  type Report,
  type TrialResult,
  usableTrials as usableTrialsOf,
} from "../results/index.ts";
import type { MetricName } from "./defaults.ts";
import { holmAdjust } from "./holm.ts";
import { mannWhitneyU, smallestOneSidedP } from "./mann-whitney.ts";
import { type Direction, METRIC_ORDER, METRICS } from "./metrics.ts";
import { type CompareOptions, type ResolvedCompareOptions, resolveCompareOptions } from "./options.ts";
import {
  type CellComparison,
  COMPARISON_SCHEMA,
  type ComparisonResult,
  type MetricComparison,
  type ReportSource,
  type SideSample,
  type UnmatchedCell,
} from "./types.ts";
import { comparisonWarnings } from "./warnings.ts";

type Cell = Report["cells"][number];

/** Floating-point slack when a change is compared with its threshold, in percentage points. */
const THRESHOLD_TOLERANCE_PERCENT = 1e-9;

/** Compares `head` with `base`. Throws `CompareOptionsError` for bad options only. */
export function compare(base: Report, head: Report, options: CompareOptions = {}): ComparisonResult {
  const resolved = resolveCompareOptions(options);
  const baseCells = indexCells(base.cells);
  const headCells = indexCells(head.cells);
  const keys = [...new Set([...baseCells.keys(), ...headCells.keys()])];
  const cells: CellComparison[] = [];
  const unmatched: UnmatchedCell[] = [];
  for (const key of keys) {
    const b = baseCells.get(key);
    const h = headCells.get(key);
    const cell = (b ?? h)!;
    const identity = {
      bot: cell.bot,
      mode: cell.mode,
      ratePerSecond: cell.ratePerSecond,
      label: cellLabel(cell),
    };
    const reason = b === undefined ? "only in head" : h === undefined ? "only in base" : unusable(b, h);
    if (reason !== null || b === undefined || h === undefined) {
      unmatched.push({ ...identity, reason: reason ?? "" });
      continue;
    }
    const baseTrials = usableTrials(b);
    const headTrials = usableTrials(h);
    cells.push({
      ...identity,
      excludedTrials: {
        base: b.trials.length - baseTrials.length,
        head: h.trials.length - headTrials.length,
      },
      metrics: METRIC_ORDER.map((metric) => draftMetric(metric, baseTrials, headTrials, resolved)),
    });
  }
  const judged = applyCorrection(cells, resolved);
  const all = cells.flatMap((c) => c.metrics);
  const regressions = all.filter((m) => m.verdict === "regression").length;
  return {
    schema: COMPARISON_SCHEMA,
    alpha: resolved.alpha,
    correction: resolved.correction,
    thresholdsPercent: resolved.thresholdsPercent,
    base: source(base, resolved.labels.base),
    head: source(head, resolved.labels.head),
    cells,
    unmatched,
    warnings: [...comparisonWarnings(base, head), ...excludedWarnings(cells)],
    judged,
    regressions,
    improvements: all.filter((m) => m.verdict === "improvement").length,
    outcome: regressions > 0 ? "regression" : "no-regression",
  };
}

function indexCells(cells: readonly Cell[]): Map<string, Cell> {
  const map = new Map<string, Cell>();
  for (const cell of cells) if (!map.has(cellKey(cell))) map.set(cellKey(cell), cell);
  return map;
}

/** Trials whose figures can be trusted: those that ran to the end and passed the checks of the bot. */
const usableTrials = (cell: Cell): TrialResult[] => usableTrialsOf(cell);

/** Why a cell that has no usable trial did not run or failed, in one line. */
function whyNot(cell: Cell): { skipped: boolean; text: string } | null {
  if (cell.status === "unsupported") return { skipped: true, text: firstLine(cell.reason.message) };
  const first = cell.status === "failed" ? cell.reasons[0] : undefined;
  return first === undefined ? null : { skipped: false, text: firstLine(describeFailure(first)) };
}

/** Why a cell present on both sides cannot be compared, or null when it can. */
function unusable(base: Cell, head: Cell): string | null {
  const reasons = (["base", "head"] as const).flatMap((side) => {
    const cell = side === "base" ? base : head;
    if (usableTrials(cell).length > 0) return [];
    const why = whyNot(cell);
    if (why === null) return [`no successful trial in ${side}`];
    return [`${why.skipped ? "skipped" : "failed"} in ${side}: ${why.text}`];
  });
  const [b, h] = [whyNot(base), whyNot(head)];
  if (reasons.length === 2 && b !== null && h !== null && b.skipped === h.skipped && b.text === h.text) {
    return `${b.skipped ? "skipped" : "failed"} on both sides: ${b.text}`;
  }
  return reasons.length === 0 ? null : reasons.join("; ");
}

function sample(trials: readonly TrialResult[], metric: MetricName): SideSample {
  const { figure, pooled } = METRICS[metric];
  const values = trials.map(figure).filter((v): v is number => v !== null && Number.isFinite(v));
  return { n: values.length, values, median: medianOf(trials, figure), value: pooled(trials) };
}

/**
 * Everything about one metric except the corrected p-value: the verdict of a tested metric is
 * provisional (`not-significant`) until {@link applyCorrection} has seen the whole family.
 */
function draftMetric(
  metric: MetricName,
  baseTrials: readonly TrialResult[],
  headTrials: readonly TrialResult[],
  options: ResolvedCompareOptions,
): MetricComparison {
  const { label, direction } = METRICS[metric];
  const base = sample(baseTrials, metric);
  const head = sample(headTrials, metric);
  const changePercent =
    base.value === null || head.value === null || base.value === 0
      ? null
      : ((head.value - base.value) / Math.abs(base.value)) * 100;
  const common = {
    metric,
    label,
    direction,
    thresholdPercent: options.thresholdsPercent[metric],
    base,
    head,
  };
  const untested = (verdict: MetricComparison["verdict"], note: string): MetricComparison => ({
    ...common,
    changePercent,
    test: null,
    verdict,
    note,
  });
  if (base.n === 0 || head.n === 0) {
    return untested(
      "no-data",
      base.n === 0 && head.n === 0 ? "no data" : `no data in ${base.n === 0 ? "base" : "head"}`,
    );
  }
  const first = base.values[0];
  if ([...base.values, ...head.values].every((v) => v === first)) {
    return untested("unchanged", "the same value in every trial");
  }
  const floor = smallestOneSidedP(head.n, base.n);
  if (base.n < 2 || head.n < 2 || floor >= options.alpha) {
    const n = base.n === head.n ? `n=${base.n}` : `n=${base.n} vs ${head.n}`;
    const why =
      base.n < 2 || head.n < 2
        ? ""
        : ` (the smallest possible p is ${formatP(floor)}, not below α = ${options.alpha})`;
    return untested("not-enough-data", `${n}: not enough trials to judge${why}`);
  }
  const mw = mannWhitneyU(head.values, base.values);
  const pWorse = direction === "smaller-is-better" ? mw.pGreater : mw.pLess;
  const pBetter = direction === "smaller-is-better" ? mw.pLess : mw.pGreater;
  const towards = pWorse <= pBetter ? "worse" : "better";
  const pValue = Math.min(pWorse, pBetter);
  return {
    ...common,
    changePercent,
    test: { method: mw.method, uHead: mw.u, towards, pValue, pTwoSided: mw.pTwoSided, pAdjusted: pValue },
    verdict: "not-significant",
    note: "",
  };
}

/** Corrects the p-values of every tested metric together, then settles their verdicts. Returns how many were tested. */
function applyCorrection(cells: CellComparison[], options: ResolvedCompareOptions): number {
  const tested = cells.flatMap((c) => c.metrics).filter((m) => m.test !== null);
  const raw = tested.map((m) => m.test!.pValue);
  const adjusted = options.correction === "holm" ? holmAdjust(raw) : raw;
  for (const [i, m] of tested.entries()) {
    const test = m.test!;
    test.pAdjusted = adjusted[i]!;
    Object.assign(m, settle(m, test.towards, test.pAdjusted, options.alpha));
  }
  return tested.length;
}

function settle(
  m: MetricComparison,
  towards: "worse" | "better",
  pAdjusted: number,
  alpha: number,
): Pick<MetricComparison, "verdict" | "note"> {
  const p = `p = ${formatP(pAdjusted)}`;
  if (!(pAdjusted < alpha)) return { verdict: "not-significant", note: `within the noise (${p})` };
  const worse = worsening(m.base.value!, m.head.value!, m.direction);
  const limit = signedPercent(m.direction === "smaller-is-better" ? m.thresholdPercent : -m.thresholdPercent);
  const moved = m.changePercent === null ? "from 0" : signedPercent(m.changePercent);
  // A change of exactly the threshold counts: "+20%" means a 20% slowdown fails.
  const reaches = (change: number) => change >= m.thresholdPercent - THRESHOLD_TOLERANCE_PERCENT;
  if (towards === "worse" && reaches(worse)) {
    return { verdict: "regression", note: `${moved}, threshold ${limit} (${p})` };
  }
  if (towards === "better" && reaches(-worse)) {
    return { verdict: "improvement", note: `${moved} (${p})` };
  }
  return { verdict: "within-threshold", note: `${moved}, inside the ${limit} threshold (${p})` };
}

/** How much worse head is than base, in percent (negative: better); ±Infinity from a base of 0. */
function worsening(base: number, head: number, direction: Direction): number {
  const sign = direction === "smaller-is-better" ? 1 : -1;
  if (base === 0) return head === 0 ? 0 : sign * Math.sign(head) * Number.POSITIVE_INFINITY;
  return (sign * (head - base) * 100) / Math.abs(base);
}

function source(report: Report, label: string): ReportSource {
  return {
    label,
    scenario: report.scenario.name,
    createdAt: report.createdAt,
    toolVersion: report.tool.version,
    trialsPerCell: Math.max(0, ...report.cells.map((c) => c.trials.length)),
    partial: report.partial,
  };
}

function excludedWarnings(cells: readonly CellComparison[]): string[] {
  return cells.flatMap((c) =>
    (["base", "head"] as const)
      .filter((side) => c.excludedTrials[side] > 0)
      .map((side) => `${c.label}: ${c.excludedTrials[side]} failed trial(s) in ${side} left out`),
  );
}

/** `+12.3%`, `−4%`. */
export function signedPercent(value: number): string {
  const rounded = Number(value.toFixed(Math.abs(value) < 10 ? 1 : 0));
  if (rounded === 0) return "0%";
  return `${rounded > 0 ? "+" : "−"}${Math.abs(rounded)}%`;
}

/** A p-value in two significant figures, small ones in exponent form. */
export function formatP(p: number): string {
  if (p >= 0.001) return String(Number(p.toPrecision(2)));
  return p.toExponential(1);
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";
