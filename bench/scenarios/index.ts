import type { ScenarioOptions } from "../../src/runner/scenario.ts";

/**
 * Named scenarios (`tgbench run --scenario <name>`), registered by bench/index.ts. Every option
 * can be overridden on the command line. `default` is what `npm run bench` runs.
 */
export const SCENARIOS: Record<string, ScenarioOptions> = {
  default: {
    name: "default",
    description:
      "The reference bot, grammY, telegraf, aiogram and python-telegram-bot in short polling, long polling and webhook mode, at an idle-ish, a moderate and a high rate.",
    // aiogram and ptb need Python 3.10+ (a venv is set up before the first cell); without it their
    // cells are reported as skipped with the reason, except in CI, where the run fails.
    bots: ["reference", "grammy", "telegraf", "aiogram", "ptb"],
    modes: ["short-polling", "long-polling", "webhook"],
    ratesPerSecond: [1, 20, 200],
    arrival: "poisson",
    durationMs: 3_000,
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
