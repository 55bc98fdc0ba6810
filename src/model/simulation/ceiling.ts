/**
 * The throughput ceiling measured in the simulation: offer far more than the cell can take and
 * count the replies per second while the backlog keeps every connection and handler busy.
 */
import { saturationRoundMs } from "../closed-form/ceiling.ts";
import { derive } from "../closed-form/derived.ts";
import { type ModelInput, resolveModelInput } from "../inputs.ts";
import { type SimulationOptions, simulate } from "./simulate.ts";

/** Offered rate over the estimate; the run lasts this many saturated rounds; early replies left out (start-up). */
const OVERLOAD_FACTOR = 2;
const ROUNDS = 100;
const MIN_DURATION_MS = 1_000;
const START_SHARE = 0.1;
/** Most updates one measurement simulates (keeps it well under a second). */
const MAX_UPDATES = 200_000;

/**
 * Replies per second under overload (twice `estimatePerSecond`, the closed-form bound), measured
 * from the 10% reply to the last one before arrivals stop. Infinity when the estimate is
 * unbounded (nothing modelled limits the cell).
 */
export function simulateCeiling(
  modelInput: ModelInput,
  estimatePerSecond: number,
  options: SimulationOptions = {},
): number {
  if (!Number.isFinite(estimatePerSecond)) return Number.POSITIVE_INFINITY;
  const input = resolveModelInput(modelInput);
  const offeredPerSecond = estimatePerSecond * OVERLOAD_FACTOR;
  const wantedMs = Math.max(MIN_DURATION_MS, ROUNDS * saturationRoundMs(input, derive(input)));
  const durationMs = Math.min(wantedMs, (MAX_UPDATES / offeredPerSecond) * 1_000);
  const run = simulate(
    { ...modelInput, ratePerSecond: offeredPerSecond },
    { ...options, updates: undefined, durationMs, drainTimeoutMs: 0 },
  );
  const replies = run.samples.repliedAtMs.filter((t) => t <= run.lastArrivalMs);
  const from = Math.floor(replies.length * START_SHARE);
  const to = replies.length - 1;
  if (to - from < 2) return Number.NaN;
  return ((to - from) / (replies[to]! - replies[from]!)) * 1_000;
}
