import type { ScenarioOptions } from "./scenario.ts";

/**
 * Every default of a scenario that is the runner's own, in one place (the runner's options are
 * resolved against these once, in scenario.ts). The traffic's population and mix (`users`,
 * `groups`, `mix`) are the generator's: their defaults are POPULATION_DEFAULTS and
 * CONTENT_DEFAULTS in src/generator/defaults.ts, and nowhere else. Units are in the names.
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
  /** How long a bot may take to become ready (and to answer its warm-up), ms (`--start-timeout`). */
  startupTimeoutMs: 20_000,
  /**
   * SIGTERM → SIGKILL grace when a bot is stopped, ms. docs/bot-contract.md asks a bot to exit
   * within 8 s of SIGTERM (the built-in bots' own watchdogs give up then), so tgbench waits
   * longer than that.
   */
  stopGraceMs: 10_000,
  /**
   * Nothing between the fake API and a webhook bot, as with telegram-bot-api: the figures are the
   * bot's own, and polling and webhooks are compared without a proxy's hop on one side. A bot
   * that sets its webhook before it listens is told to use `--webhook-front proxy`.
   */
  webhookFront: "direct",
} as const;

/** What `tgbench run --quick` changes: a smoke run that still touches every cell of the sweep. */
export const QUICK_OVERRIDES: Readonly<ScenarioOptions> = {
  durationMs: 1_000,
  warmupUpdates: 1,
  trials: 1,
  drainTimeoutMs: 3_000,
};

/** Hard bounds that keep every run finite (a load loop must stop by itself). */
export const SCENARIO_LIMITS = {
  maxDurationMs: 3_600_000,
  maxRatePerSecond: 100_000,
  maxTrials: 100,
  maxUpdatesPerCell: 5_000_000,
  /** Bots started at once (ScenarioOptions.concurrency). */
  maxConcurrentCells: 32,
  /** The population is built up front: these bound its memory. */
  maxUsers: 10_000_000,
  maxGroups: 1_000_000,
} as const;
