/**
 * Holm–Bonferroni adjusted p-values. Pure.
 *
 * With m tests sorted by p-value, the i-th smallest (1-based) is multiplied by m − i + 1, and the
 * results are made non-decreasing and capped at 1. Rejecting every test whose adjusted p-value is
 * below alpha keeps the chance of any false rejection under alpha, whatever the dependence between
 * the tests (Holm 1979), and is never less powerful than plain Bonferroni.
 *
 * @returns the adjusted p-values, in the order given.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted: number[] = new Array(m);
  let runningMax = 0;
  for (const [rank, { p, index }] of order.entries()) {
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * p));
    adjusted[index] = runningMax;
  }
  return adjusted;
}
