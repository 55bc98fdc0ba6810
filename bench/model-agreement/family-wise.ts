/**
 * The family-wise reading of the agreement table. Each figure's sampling allowance is 2σ: a figure
 * of a model that is exactly right still falls outside it with probability ≈ 4.6% by chance alone,
 * so a grid of ~150 judged figures shows about 7 outside even when nothing is wrong. Judging "every
 * figure within" at a 95% level for the whole grid needs a wider per-figure allowance: Šidák's
 * correction (Šidák, "Rectangular confidence regions for the means of multivariate normal
 * distributions", JASA 62 (1967) 626–633): with m independent figures and a family-wise level α,
 * each figure is judged at α₁ = 1 − (1 − α)^(1/m), that is within z = Φ⁻¹(1 − α₁/2) σ. For
 * m = 150 and α = 5%: z ≈ 3.58. Only the σ allowance widens: the fixed targets (2 pp, 10% or 2 ms) stay as
 * they are, and the per-figure 2σ verdict is printed beside it. Pure.
 */
import { upperTailNormal } from "../../src/compare/mann-whitney.ts";
import { type AgreementTarget, withinTarget } from "../../src/model/index.ts";

/** The grid-wide chance of seeing a figure outside by sampling noise alone that is accepted. */
export const FAMILY_WISE_ALPHA = 0.05;

/** P(|Z| > z) for a standard normal Z. */
export function twoSidedTail(z: number): number {
  return 2 * upperTailNormal(z);
}

/** The z with P(|Z| > z) = p (bisection; p in (0, 1)). */
export function twoSidedZ(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (twoSidedTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Šidák's per-figure allowance in σ for `figures` judged figures at family-wise level `alpha`. */
export function sidakSigmas(figures: number, alpha = FAMILY_WISE_ALPHA): number {
  if (!(Number.isInteger(figures) && figures >= 1))
    throw new RangeError(`figures must be ≥ 1, got ${figures}`);
  return twoSidedZ(1 - (1 - alpha) ** (1 / figures));
}

/** Whether a figure is within `target` with its σ allowance widened to `sigmas` (never narrowed). */
export function withinFamilyWise(
  measured: number,
  model: number,
  target: AgreementTarget,
  standardError: number,
  sigmas: number,
): boolean {
  const widened = { ...target, sigmas: Math.max(target.sigmas ?? 0, sigmas) };
  return withinTarget(measured, model, widened, Number.isFinite(standardError) ? standardError : 0);
}
