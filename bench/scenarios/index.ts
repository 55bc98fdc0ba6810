import type { ScenarioOptions } from "../../src/runner/scenario.ts";

/**
 * Named scenarios (`tgbench run --scenario <name>`), registered by bench/index.ts. Every option
 * can be overridden on the command line. `default` is what `npm run bench` runs.
 */
export const SCENARIOS: Record<string, ScenarioOptions> = {
  default: {
    name: "default",
    description:
      "The reference bot, grammY, telegraf, aiogram and python-telegram-bot in long polling and webhook mode (and the reference bot in short polling), " +
      "idle (1 update/min), busy (50 updates/s) and past short polling's ceiling (200 updates/s), on loopback and 60 ms from Telegram (continent).",
    // aiogram and ptb need Python 3.10+ (a venv is set up before the first cell); without it their
    // cells are reported as skipped with the reason, except in CI, where the run fails.
    bots: ["reference", "grammy", "telegraf", "aiogram", "ptb"],
    modes: ["short-polling", "long-polling", "webhook"],
    // Idle, busy, and past short polling's ceiling (100 updates per poll, one poll a second).
    ratesPerSecond: [1 / 60, 50, 200],
    network: { networks: ["loopback", "continent"] },
    arrival: "poisson",
    // Each cell long enough for 120 updates (a p50 from ≥ 100 answered ones): 2.4 s at 50/s, 2 s
    // at 200/s. At 1 update/min no window under 5 minutes holds 100 updates or 30 polls: those
    // cells run 2 s, and the report gives the model's figures for them, marked as the model's.
    cellDuration: { updatesPerCell: 120, minMs: 2_000, maxMs: 10_000 },
    // Idle bots mostly wait: their polls follow the clock, so they run 8 at a time.
    concurrency: { maxRatePerSecond: 1, cells: 8 },
    // Short polling is the protocol's own (a getUpdates every second; its latency is half the
    // interval plus the distance, its ceiling 100 updates a second) whatever the framework: the
    // reference bot shows it at both distances, and every framework is measured in long polling
    // and webhook, what an author chooses between. That keeps the run under 5 minutes.
    excludeCells: [{ bots: ["grammy", "telegraf", "aiogram", "ptb"], modes: ["short-polling"] }],
    warmupUpdates: 3,
    trials: 1,
    // Long enough for a short poll every second; a cell that cannot keep up is reported as such.
    drainTimeoutMs: 2_500,
  },
  "polling-vs-webhook": {
    name: "polling-vs-webhook",
    description:
      "One framework (grammY) in every mode at one moderate rate, three trials for stable figures.",
    bots: ["grammy"],
    modes: ["short-polling", "long-polling", "webhook"],
    ratesPerSecond: [10],
    durationMs: 10_000,
    trials: 3,
  },
};
