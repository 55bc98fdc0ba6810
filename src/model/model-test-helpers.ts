/**
 * Helpers for the model's tests: tolerances that follow from a simulated run's own sampling error,
 * so a test is as tight as the run allows and still cannot fail by chance (about 4σ).
 */
import assert from "node:assert/strict";
import type { SimulationResult } from "./simulation/simulate.ts";

/** How many standard errors a test allows. */
export const SIGMAS = 4;

/**
 * Standard error of the mean of time-ordered, possibly correlated values by batch means: the
 * spread of the means of `batches` consecutive blocks, over √batches.
 */
export function batchMeansError(values: readonly number[], batches = 20): number {
  const size = Math.floor(values.length / batches);
  if (size < 2) return Number.POSITIVE_INFINITY;
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += values[i]!;
    means.push(sum / size);
  }
  const mean = means.reduce((s, v) => s + v, 0) / batches;
  const variance = means.reduce((s, v) => s + (v - mean) ** 2, 0) / (batches - 1);
  return Math.sqrt(variance / batches);
}

/** Standard error of a simulated empty share (binomial over its polls; conservative under the hold). */
export function emptyShareError(run: SimulationResult): number {
  const p = run.figures.emptyShare ?? 0;
  return Math.sqrt(Math.max(p * (1 - p), 1e-6) / Math.max(1, run.getUpdates));
}

/**
 * Standard error of simulated requests per update: N updates span a random time whose relative
 * error is 1/√N for Poisson arrivals, and the polls in it follow that time.
 */
export function requestsPerUpdateError(run: SimulationResult): number {
  const pollsPerUpdate = run.getUpdates / Math.max(1, run.answered);
  return (pollsPerUpdate + 1e-3) / Math.sqrt(Math.max(1, run.generated));
}

export function assertNear(
  actual: number | null,
  expected: number | null,
  tolerance: number,
  what: string,
): void {
  assert.ok(actual !== null && expected !== null, `${what}: missing figure (${actual} vs ${expected})`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected} (off by ${Math.abs(actual - expected)})`,
  );
}
