import { SATURATE_DEFAULTS as D, SATURATE_LIMITS as L } from "./defaults.ts";

/** `tgbench saturate`'s options as given; every one optional. */
export interface SaturateOptions {
  durationMs?: number;
  /** Highest open-loop rate; absent: from the closed-loop capacity (SATURATE_DEFAULTS). */
  maxRatePerSecond?: number;
  connections?: number;
  prefillUpdates?: number;
}

/** The options with their defaults, checked once. */
export interface ResolvedSaturateOptions {
  durationMs: number;
  /** null: the top step fraction × the closed-loop capacity, within SATURATE_LIMITS. */
  maxRatePerSecond: number | null;
  connections: number;
  prefillUpdates: number;
  users: number;
  drainTimeoutMs: number;
  stepFractions: readonly number[];
  /** The lowest open-loop rate: `minUpdatesPerStep` in one step's duration. */
  minRatePerSecond: number;
  kneeFactor: number;
  maxSteps: number;
  /** What the result records. */
  echo: {
    durationMs: number;
    maxRatePerSecond: number | "auto";
    connections: number;
    prefillUpdates: number;
  };
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
  const givenMax = o.maxRatePerSecond ?? D.maxRatePerSecond;
  const maxRatePerSecond = givenMax === null ? null : bounded("--max-rate", givenMax, 1, L.maxRatePerSecond);
  const connections = bounded("--connections", o.connections ?? D.connections, 1, L.maxConnections);
  const prefillUpdates = bounded("--prefill", o.prefillUpdates ?? D.prefillUpdates, 1, L.maxPrefillUpdates);
  const minRatePerSecond = Math.min(
    maxRatePerSecond ?? L.maxRatePerSecond,
    Math.ceil((D.minUpdatesPerStep * 1000) / durationMs),
  );
  return {
    durationMs,
    maxRatePerSecond,
    connections: Math.round(connections),
    prefillUpdates: Math.round(prefillUpdates),
    users: D.users,
    drainTimeoutMs: D.drainTimeoutMs,
    stepFractions: D.stepFractions,
    minRatePerSecond,
    kneeFactor: D.kneeFactor,
    maxSteps: L.maxSteps,
    echo: { durationMs, maxRatePerSecond: maxRatePerSecond ?? "auto", connections, prefillUpdates },
  };
}

/** The highest open-loop rate for a closed-loop capacity: the option, or the top fraction of it. */
export function maxRateFor(options: ResolvedSaturateOptions, closedLoopPerSecond: number): number {
  if (options.maxRatePerSecond !== null) return options.maxRatePerSecond;
  const top = Math.max(...options.stepFractions);
  return Math.min(
    L.maxRatePerSecond,
    Math.max(options.minRatePerSecond, Math.ceil(top * closedLoopPerSecond)),
  );
}
