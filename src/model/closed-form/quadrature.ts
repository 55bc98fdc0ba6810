/**
 * Numerical helpers of the closed forms: expectations over a truncated exponential by composite
 * Gauss–Legendre quadrature (exact to rounding for the smooth pieces the closed forms integrate),
 * and the Poisson tail for "how likely is a batch above the limit".
 */

const ORDER = 16;

/** Nodes and weights of Gauss–Legendre quadrature on [−1, 1], by Newton's method on P_n (Golub–Welsch would do as well). */
function legendreNodes(n: number): { x: number[]; w: number[] } {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 1; i <= n; i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / derivative;
      z -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    x.push(z);
    w.push(2 / ((1 - z * z) * derivative * derivative));
  }
  return { x, w };
}

const GL = legendreNodes(ORDER);

/** ∫_a^b f(x) dx over `panels` equal panels of 16-point Gauss–Legendre. */
export function integrate(f: (x: number) => number, a: number, b: number, panels = 1): number {
  if (!(b > a)) return 0;
  const width = (b - a) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * width;
    const half = width / 2;
    for (let i = 0; i < ORDER; i++) total += GL.w[i]! * f(mid + half * GL.x[i]!);
  }
  return (total * width) / 2;
}

/**
 * E[g(X); a ≤ X < b] for X ~ Exp(rate): ∫_a^b rate·e^{−rate·x}·g(x) dx, with panels no wider than
 * 1/rate so the exponential is resolved (g must be smooth on [a, b]).
 */
export function expectExponential(g: (x: number) => number, ratePerMs: number, a: number, b: number): number {
  if (!(b > a) || ratePerMs === 0) return 0;
  const panels = Math.min(4_000, Math.max(1, Math.ceil(ratePerMs * (b - a))));
  return integrate((x) => ratePerMs * Math.exp(-ratePerMs * x) * g(x), a, b, panels);
}

/** P(N > k) for N ~ Poisson(mean). */
export function poissonTailAbove(mean: number, k: number): number {
  if (mean <= 0) return 0;
  if (!Number.isFinite(k)) return 0;
  let term = Math.exp(-mean);
  let cdf = term;
  for (let i = 1; i <= k; i++) {
    term *= mean / i;
    cdf += term;
  }
  return Math.max(0, 1 - cdf);
}

/** 1 − e^{−x}, exact for small x. */
export const oneMinusExp = (x: number): number => -Math.expm1(-x);
