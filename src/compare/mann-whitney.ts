/**
 * The Mann–Whitney U test (Wilcoxon rank-sum test) for two independent samples, and the normal
 * distribution it needs. Pure. Benchmark figures are not normally distributed (long right tails,
 * clock-tick steps), so compare uses this rank test rather than a t-test, as Go's benchstat does.
 */
import { COMPARE_DEFAULTS } from "./defaults.ts";

/** How a p-value was computed. */
export type MannWhitneyMethod = "exact" | "normal";

/** The outcome of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the first sample `x`: pairs with x > y, plus half the pairs with x = y. */
  u: number;
  /** One-sided p-value for "x tends to be greater than y". */
  pGreater: number;
  /** One-sided p-value for "x tends to be smaller than y". */
  pLess: number;
  /** Two-sided p-value: twice the smaller one-sided value, at most 1. */
  pTwoSided: number;
  method: MannWhitneyMethod;
  /** True when some values occur more than once (midranks were used). */
  ties: boolean;
}

/** Options of {@link mannWhitneyU}. */
export interface MannWhitneyOptions {
  /**
   * `auto` (default): exact up to {@link COMPARE_DEFAULTS.exactMaxTotalTrials} values in all,
   * otherwise the normal approximation.
   */
  method?: "auto" | MannWhitneyMethod;
  /** Exact up to this many values in all, in `auto` mode. Default {@link COMPARE_DEFAULTS.exactMaxTotalTrials}. */
  exactMaxTotal?: number;
}

/**
 * Mann–Whitney U test of `x` against `y`. Both samples need at least one value.
 *
 * Exact: the p-value is the share of all C(n, |x|) ways to split the pooled values whose rank sum
 * for x is at least (or at most) the observed one. Ties get midranks and are handled exactly, by
 * counting over the actual multiset of midranks. Normal: the z-score of U with the tie-corrected
 * variance and a continuity correction of ½, as R's `wilcox.test(correct = TRUE)` computes it.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  if (x.length === 0 || y.length === 0)
    throw new RangeError("mannWhitneyU needs at least one value per side");
  const pooled = [
    ...x.map((value) => ({ value, fromX: true })),
    ...y.map((value) => ({ value, fromX: false })),
  ];
  pooled.sort((a, b) => a.value - b.value);
  const ranks = midranks(pooled.map((p) => p.value));
  const rankSumX = pooled.reduce((sum, p, i) => (p.fromX ? sum + ranks.midranks[i]! : sum), 0);
  const nx = x.length;
  const ny = y.length;
  const u = rankSumX - (nx * (nx + 1)) / 2;
  const exactMaxTotal = options.exactMaxTotal ?? COMPARE_DEFAULTS.exactMaxTotalTrials;
  const method: MannWhitneyMethod =
    options.method === "exact" || options.method === "normal"
      ? options.method
      : nx + ny <= exactMaxTotal
        ? "exact"
        : "normal";
  const tails =
    method === "exact"
      ? exactTails(ranks.midranks, nx, rankSumX)
      : normalTails(u, nx, ny, ranks.tieGroupSizes);
  return {
    u,
    pGreater: tails.pGreater,
    pLess: tails.pLess,
    pTwoSided: Math.min(1, 2 * Math.min(tails.pGreater, tails.pLess)),
    method,
    ties: ranks.tieGroupSizes.some((size) => size > 1),
  };
}

/**
 * The smallest one-sided p-value any data could give with these sample sizes: 1 / C(nx + ny, nx),
 * reached when the samples do not overlap at all. When it is not below alpha, no test can be
 * significant, however large the difference.
 */
export function smallestOneSidedP(nx: number, ny: number): number {
  return 1 / binomial(nx + ny, nx);
}

/** The fewest trials per side (equal on both) with which a one-sided p below `alpha` is possible at all. */
export function fewestTrialsPerSide(alpha: number): number {
  let n = 1;
  while (smallestOneSidedP(n, n) >= alpha && n < 1000) n++;
  return n;
}

/** Ranks of sorted values, tied values sharing the mean of their ranks; and the size of each tie group. */
function midranks(sorted: readonly number[]): { midranks: number[]; tieGroupSizes: number[] } {
  const result: number[] = new Array(sorted.length);
  const tieGroupSizes: number[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let i = start; i < end; i++) result[i] = rank;
    tieGroupSizes.push(end - start);
    start = end;
  }
  return { midranks: result, tieGroupSizes };
}

/**
 * Exact tails by counting, for every subset of size nx of the pooled midranks, its rank sum.
 * Midranks are multiples of ½, so doubled they are integers and the counts fit one array per
 * subset size. Cost: n · nx · n² steps, under 10⁷ for n = 50.
 */
function exactTails(
  ranks: readonly number[],
  nx: number,
  rankSumX: number,
): { pGreater: number; pLess: number } {
  const doubled = ranks.map((r) => Math.round(r * 2));
  const maxSum = doubled.reduce((a, b) => a + b, 0);
  // counts[k][s]: subsets of size k (of the items seen so far) whose doubled rank sum is s.
  const counts = Array.from({ length: nx + 1 }, () => new Float64Array(maxSum + 1));
  counts[0]![0] = 1;
  let reachable = 0;
  for (const [i, r] of doubled.entries()) {
    for (let k = Math.min(i + 1, nx); k >= 1; k--) {
      const from = counts[k - 1]!;
      const to = counts[k]!;
      for (let s = reachable; s >= 0; s--) if (from[s]! > 0) to[s + r] = to[s + r]! + from[s]!;
    }
    reachable += r;
  }
  const observed = Math.round(rankSumX * 2);
  const sizeNx = counts[nx]!;
  let atLeast = 0;
  let atMost = 0;
  let total = 0;
  for (let s = 0; s <= maxSum; s++) {
    const c = sizeNx[s]!;
    total += c;
    if (s >= observed) atLeast += c;
    if (s <= observed) atMost += c;
  }
  return { pGreater: atLeast / total, pLess: atMost / total };
}

/** Normal approximation with tie-corrected variance and continuity correction. */
function normalTails(
  u: number,
  nx: number,
  ny: number,
  tieGroupSizes: readonly number[],
): { pGreater: number; pLess: number } {
  const n = nx + ny;
  const mean = (nx * ny) / 2;
  const tieTerm = tieGroupSizes.reduce((sum, t) => sum + (t ** 3 - t), 0);
  const variance = ((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { pGreater: 1, pLess: 1 }; // every value tied: no evidence either way
  const sd = Math.sqrt(variance);
  return {
    pGreater: upperTailNormal((u - mean - 0.5) / sd),
    pLess: upperTailNormal((mean - u - 0.5) / sd), // Φ(z) as an upper tail: no cancellation for tiny p
  };
}

/** P(Z ≥ z) for a standard normal Z. */
export function upperTailNormal(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Complementary error function, Chebyshev fit with fractional error under 1.2 × 10⁻⁷ everywhere
 * (Numerical Recipes, `erfcc`): plenty for p-values compared with alpha.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

/** C(n, k) as a float (exact up to 2⁵³). */
function binomial(n: number, k: number): number {
  let result = 1;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) result = (result * (n - kk + i)) / i;
  return Math.round(result);
}
