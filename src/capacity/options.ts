import { SATURATE_DEFAULTS as D, SATURATE_LIMITS as L } from "./defaults.ts";

/** `tgbench saturate`'s options as given; every one optional. */
export interface SaturateOptions {
  durationMs?: number;
  maxRatePerSecond?: number;
  connections?: number;
  prefillUpdates?: number;
}

/** The options with their defaults, checked once. */
export interface ResolvedSaturateOptions {
  durationMs: number;
  maxRatePerSecond: number;
  connections: number;
  prefillUpdates: number;
  users: number;
  drainTimeoutMs: number;
  firstRatePerSecond: number;
  rateStepFactor: number;
  kneeFactor: number;
  maxSteps: number;
  /** What the result records. */
  echo: { durationMs: number; maxRatePerSecond: number; connections: number; prefillUpdates: number };
}

/** A saturate option that cannot be used. */
export class SaturateOptionError extends Error {
  override readonly name = "SaturateOptionError";
}

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max)
    throw new SaturateOptionError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function resolveSaturateOptions(o: SaturateOptions): ResolvedSaturateOptions {
  const durationMs = bounded("--duration (ms)", o.durationMs ?? D.durationMs, 200, L.maxDurationMs);
  const maxRatePerSecond = bounded(
    "--max-rate",
    o.maxRatePerSecond ?? D.maxRatePerSecond,
    1,
    L.maxRatePerSecond,
  );
  const connections = bounded("--connections", o.connections ?? D.connections, 1, L.maxConnections);
  const prefillUpdates = bounded("--prefill", o.prefillUpdates ?? D.prefillUpdates, 1, L.maxPrefillUpdates);
  return {
    durationMs,
    maxRatePerSecond,
    connections: Math.round(connections),
    prefillUpdates: Math.round(prefillUpdates),
    users: D.users,
    drainTimeoutMs: D.drainTimeoutMs,
    firstRatePerSecond: Math.min(D.firstRatePerSecond, maxRatePerSecond),
    rateStepFactor: D.rateStepFactor,
    kneeFactor: D.kneeFactor,
    maxSteps: L.maxSteps,
    echo: { durationMs, maxRatePerSecond, connections, prefillUpdates },
  };
}
