import type { Rng } from "../generator/rng.ts";

/**
 * σ of the logarithm behind the jitter. 0.5 makes the deviation right-skewed: its median is 0, it
 * never falls below −1.66 standard deviations, and its 99th percentile is +3.6 standard deviations
 * (a normal distribution's is +2.3). Network delay is queueing on top of a fixed propagation
 * time, so it has a floor and a tail; Linux netem offers Pareto-tailed tables for the same
 * reason (tc-netem(8), `distribution pareto|paretonormal`).
 */
export const JITTER_LOG_SIGMA = 0.5;

/** sd of exp(σZ) − 1 for Z standard normal, per unit of scale: √((e^{σ²} − 1)·e^{σ²}). */
const UNIT_SD = Math.sqrt((Math.exp(JITTER_LOG_SIGMA ** 2) - 1) * Math.exp(JITTER_LOG_SIGMA ** 2));

/**
 * A seeded source of delay deviations (ms) with median 0 and standard deviation `sdMs`: a shifted
 * log-normal, `scale · (exp(σZ) − 1)`. Add it to a median delay and clamp at 0.
 * `sdMs = 0` gives a source that always returns 0 and draws nothing.
 */
export function createJitter(sdMs: number, rng: Rng): () => number {
  if (!(sdMs >= 0 && Number.isFinite(sdMs)))
    throw new RangeError(`jitter needs a finite sd ≥ 0, got ${sdMs}`);
  if (sdMs === 0) return () => 0;
  const scaleMs = sdMs / UNIT_SD;
  return () => scaleMs * (Math.exp(JITTER_LOG_SIGMA * standardNormal(rng)) - 1);
}

/** The smallest deviation {@link createJitter} can return for `sdMs`: −1.66·sd. */
export function jitterFloorMs(sdMs: number): number {
  return -sdMs / UNIT_SD;
}

/** Box–Muller; uses two draws per call (the second variate is discarded to keep the stream simple). */
function standardNormal(rng: Rng): number {
  const u1 = 1 - rng.next(); // (0, 1]: the logarithm is finite
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
