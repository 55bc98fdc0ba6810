/**
 * Sampling uncertainty of measured figures, for comparing them with the model: how far a
 * measurement of n polls or n updates can fall from the truth by chance alone, and the issue's
 * agreement targets (empty share within 2 percentage points or 2σ; mean wait and p50 within 10% or
 * 2 ms; throughput ceiling within 10%).
 */
import { quantileOfSorted } from "./figures.ts";

/**
 * Standard error of an empty share p measured over `polls` getUpdates: √(p(1−p)/n), the binomial
 * error. Under the anti-busy-loop rule empty and non-empty calls alternate (negatively
 * correlated), so this overstates the error there: a conservative yardstick.
 */
export function emptyShareStandardError(share: number, polls: number): number {
  return polls > 0 ? Math.sqrt((share * (1 - share)) / polls) : Number.POSITIVE_INFINITY;
}

/** Standard error of a mean of n independent values with the spread of `samples` (the model's distribution). */
export function meanStandardError(samples: readonly number[], n: number): number {
  if (samples.length < 2 || n <= 0) return Number.POSITIVE_INFINITY;
  const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
  const variance = samples.reduce((s, v) => s + (v - mean) ** 2, 0) / (samples.length - 1);
  return Math.sqrt(variance / n);
}

/**
 * Where the q-quantile of n draws from the model's distribution (`sortedSamples`) falls with
 * about 95% probability (z = 2): the model's quantiles at q ± z·√(q(1−q)/n), the order-statistic
 * interval.
 */
export function quantileInterval(
  sortedSamples: readonly number[],
  q: number,
  n: number,
  z = 2,
): { lowMs: number; highMs: number } | null {
  if (sortedSamples.length === 0 || n <= 0) return null;
  const half = z * Math.sqrt((q * (1 - q)) / n);
  return {
    lowMs: quantileOfSorted(sortedSamples, Math.max(0, q - half))!,
    highMs: quantileOfSorted(sortedSamples, Math.min(1, q + half))!,
  };
}

/** How close a measured figure must be to the model: absolute, relative, or in standard errors (the largest allowance wins). */
export interface AgreementTarget {
  absolute?: number;
  relative?: number;
  sigmas?: number;
}

/** The targets per figure. */
export const AGREEMENT_TARGETS = {
  emptyShare: { absolute: 0.02, sigmas: 2 },
  deliveryWaitMeanMs: { relative: 0.1, absolute: 2 },
  endToEndP50Ms: { relative: 0.1, absolute: 2 },
  throughputCeilingPerSecond: { relative: 0.1 },
} as const satisfies Record<string, AgreementTarget>;

/** Whether `measured` is within `target` of `model`, given the measurement's standard error. */
export function withinTarget(
  measured: number,
  model: number,
  target: AgreementTarget,
  standardError = 0,
): boolean {
  const allowance = Math.max(
    target.absolute ?? 0,
    (target.relative ?? 0) * Math.abs(model),
    (target.sigmas ?? 0) * standardError,
  );
  return Math.abs(measured - model) <= allowance;
}
