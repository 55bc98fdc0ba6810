/**
 * Every default of a scenario, in one place (the runner's options are resolved against these once,
 * in scenario.ts). Units are in the names.
 */
export const SCENARIO_DEFAULTS = {
  name: "custom",
  bots: ["reference"] as readonly string[],
  modes: ["long-polling"] as readonly string[],
  ratesPerSecond: [10] as readonly number[],
  arrival: "poisson",
  durationMs: 5_000,
  warmupUpdates: 5,
  trials: 1,
  seed: "tgbench",
  /** Short polling: one getUpdates with timeout 0 this often. */
  pollIntervalMs: 1_000,
  webhookMaxConnections: 40,
  webhookReply: false,
  handlerDelayMs: 0,
  /** Telegram's hold for repeated same-offset short polls; on, because real bots get it. */
  antiBusyLoop: true,
  /** After the schedule ends, wait this long for the last replies. */
  drainTimeoutMs: 5_000,
  startupTimeoutMs: 20_000,
  users: 200,
  groups: 5,
  textShare: 0.85,
  commandShare: 0.15,
  callbackShare: 0,
} as const;

/** Hard bounds that keep every run finite (a load loop must stop by itself). */
export const SCENARIO_LIMITS = {
  maxDurationMs: 3_600_000,
  maxRatePerSecond: 100_000,
  maxTrials: 100,
  maxUpdatesPerCell: 5_000_000,
} as const;
