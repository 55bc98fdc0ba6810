/**
 * Whether two cells' figures differ beyond the noise, with compare's statistics (src/compare/):
 * the Mann–Whitney U test, Holm's correction over every test a verdict makes, and compare's
 * thresholds as the smallest difference worth stating.
 *
 * - Latency (p50): with at least {@link fewestTrialsPerSide} trials on each side, the test runs
 *   on the trials' own p50s, as `tgbench compare` does; with fewer, on the updates themselves
 *   (the cells' merged histograms). Updates in one trial are not independent (a slow second
 *   slows many), so a difference must also exceed compare's p50 threshold to be stated.
 * - Request rates: counts over measured windows, compared as Poisson rates (a two-sided z-test),
 *   beyond compare's requests threshold.
 */
import { COMPARE_DEFAULTS, DEFAULT_THRESHOLDS_PERCENT } from "../compare/defaults.ts";
import { holmAdjust } from "../compare/holm.ts";
import { fewestTrialsPerSide, mannWhitneyU, upperTailNormal } from "../compare/mann-whitney.ts";
import { mergedHistogram, pooledTrials } from "../results/index.ts";
import type { CellSummary } from "./cell-summary.ts";
import { cellEvidence } from "./evidence.ts";

/** Values expanded from a histogram at most this many: the test's cost stays bounded. */
const MAX_VALUES_PER_SIDE = 50_000;

/** One test of a family; its outcome is known once the family is {@link TestFamily.settle}d. */
export interface PendingTest {
  /** Two-sided p-value before the correction. */
  readonly p: number;
  /** Whether the difference is large enough to state (beyond the threshold). */
  readonly large: boolean;
  readonly method: "trials" | "updates" | "poisson";
  /** After {@link TestFamily.settle}: Holm-adjusted p. */
  pAdjusted: number | null;
}

/** The tests one verdict makes, corrected together. */
export class TestFamily {
  readonly #tests: PendingTest[] = [];
  constructor(readonly alpha = COMPARE_DEFAULTS.alpha) {}

  add(p: number, large: boolean, method: PendingTest["method"]): PendingTest {
    const test: PendingTest = { p, large, method, pAdjusted: null };
    this.#tests.push(test);
    return test;
  }

  /** Applies Holm's correction to every test added. */
  settle(): void {
    const adjusted = holmAdjust(this.#tests.map((t) => t.p));
    for (const [i, t] of this.#tests.entries()) t.pAdjusted = adjusted[i]!;
  }

  /** Significant after the correction and beyond the threshold. */
  significant(test: PendingTest): boolean {
    if (test.pAdjusted === null) throw new Error("settle() the family before reading a test");
    return test.large && test.pAdjusted < this.alpha;
  }

  get size(): number {
    return this.#tests.length;
  }
}

/**
 * The p50 latency test of two cells, or null when either has too few updates
 * (EVIDENCE_MINIMUMS.latencyUpdates) for a percentile.
 */
export function latencyTest(family: TestFamily, a: CellSummary, b: CellSummary): PendingTest | null {
  if (!cellEvidence(a).latencyEnough || !cellEvidence(b).latencyEnough) return null;
  const p50a = a.latency.p50Us;
  const p50b = b.latency.p50Us;
  if (p50a === null || p50b === null) return null;
  const large = Math.abs(p50a - p50b) / Math.min(p50a, p50b) >= DEFAULT_THRESHOLDS_PERCENT.p50 / 100;
  const ta = pooledTrials(a.cell.trials);
  const tb = pooledTrials(b.cell.trials);
  const need = fewestTrialsPerSide(family.alpha / 2);
  if (ta.length >= need && tb.length >= need) {
    const values = (ts: typeof ta) =>
      ts.map((t) => t.latency.endToEnd.p50Us).filter((v): v is number => v !== null);
    const [x, y] = [values(ta), values(tb)];
    if (x.length >= need && y.length >= need) {
      return family.add(mannWhitneyU(x, y).pTwoSided, large, "trials");
    }
  }
  const x = updateValues(ta);
  const y = updateValues(tb);
  if (x === null || y === null || x.length === 0 || y.length === 0) return null;
  return family.add(mannWhitneyU(x, y, { method: "normal" }).pTwoSided, large, "updates");
}

/**
 * Two rates of events (counts over measured windows) compared as Poisson rates: null when either
 * side has too few events (EVIDENCE_MINIMUMS.polls) to state a rate.
 */
export function rateTest(
  family: TestFamily,
  a: { count: number; windowMs: number },
  b: { count: number; windowMs: number },
): PendingTest | null {
  if (a.windowMs <= 0 || b.windowMs <= 0) return null;
  const ra = a.count / a.windowMs;
  const rb = b.count / b.windowMs;
  const variance = a.count / a.windowMs ** 2 + b.count / b.windowMs ** 2;
  if (variance === 0) return null;
  const z = Math.abs(ra - rb) / Math.sqrt(variance);
  const large = Math.abs(ra - rb) / Math.max(ra, rb) >= DEFAULT_THRESHOLDS_PERCENT.requests / 100;
  return family.add(Math.min(1, 2 * upperTailNormal(z)), large, "poisson");
}

/** Every update's end-to-end latency of the trials (from their merged histogram), µs, thinned to a bound. */
function updateValues(trials: ReturnType<typeof pooledTrials>): number[] | null {
  const merged = mergedHistogram(trials, (t) => t.latency.endToEnd);
  if (merged === null) return null;
  const recorded = merged.recordedValues();
  const total = recorded.reduce((s, r) => s + r.count, 0);
  const keep = Math.min(1, MAX_VALUES_PER_SIDE / Math.max(1, total));
  const values: number[] = [];
  let carry = 0;
  for (const r of recorded) {
    carry += r.count * keep;
    const n = Math.floor(carry);
    carry -= n;
    for (let i = 0; i < n; i++) values.push(r.valueUs);
  }
  return values;
}
