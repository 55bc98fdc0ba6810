import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuiltInSubject } from "../../src/subjects/registry.ts";

/** The directory the scripts below are relative to: this one. */
export const BENCH_BOTS_DIRECTORY = fileURLToPath(new URL("./", import.meta.url));

/**
 * The bots that ship with tgbench, one entry per framework with its script per mode (in this
 * directory). bench/index.ts registers them in src/subjects/registry.ts; `--bot <name>` picks one.
 */
export const BENCH_BOTS = {
  reference: {
    name: "reference",
    description: "Minimal echo bot written directly on undici: the floor, what the harness itself costs",
    framework: "undici",
    scripts: { polling: "reference.mjs", webhook: "reference.mjs" },
    defaultPollTimeoutSeconds: 30,
    pollTimeoutConfigurable: true,
    webhookReply: true,
    runtime: "node",
  },
  grammy: {
    name: "grammy",
    description: "grammY: bot.start() long polling; webhookCallback on node:http",
    framework: "grammy",
    scripts: { polling: "grammy-polling.mjs", webhook: "grammy-webhook.mjs" },
    defaultPollTimeoutSeconds: 30,
    pollTimeoutConfigurable: true,
    webhookReply: true,
    runtime: "node",
  },
  "grammy-runner": {
    name: "grammy-runner",
    description: "grammY with @grammyjs/runner (concurrent long polling)",
    framework: "grammy + @grammyjs/runner",
    scripts: { polling: "grammy-runner.mjs" },
    defaultPollTimeoutSeconds: 30,
    pollTimeoutConfigurable: true,
    webhookReply: false,
    runtime: "node",
  },
  telegraf: {
    name: "telegraf",
    description: "telegraf: bot.launch() long polling; webhookCallback on node:http",
    framework: "telegraf",
    scripts: { polling: "telegraf-polling.mjs", webhook: "telegraf-webhook.mjs" },
    defaultPollTimeoutSeconds: 50,
    pollTimeoutConfigurable: false,
    webhookReply: false,
    runtime: "node",
  },
  aiogram: {
    name: "aiogram",
    description:
      "aiogram 3: dp.start_polling (updates as concurrent tasks); SimpleRequestHandler on aiohttp, in the background or, with webhook replies, in the response",
    framework: "aiogram",
    scripts: { polling: "python/aiogram_bot.py", webhook: "python/aiogram_bot.py" },
    defaultPollTimeoutSeconds: 10,
    // POLL_INTERVAL_MS through a session request middleware: aiogram has no poll interval itself.
    pollTimeoutConfigurable: true,
    webhookReply: true,
    runtime: "python",
    requirements: "python/requirements.txt",
  },
  ptb: {
    name: "ptb",
    description:
      "python-telegram-bot 22: run_polling and run_webhook (tornado), one update at a time (its default)",
    framework: "python-telegram-bot",
    scripts: { polling: "python/ptb_bot.py", webhook: "python/ptb_bot.py" },
    defaultPollTimeoutSeconds: 10,
    pollTimeoutConfigurable: true,
    webhookReply: false,
    runtime: "python",
    requirements: "python/requirements.txt",
  },
} as const satisfies Record<string, BuiltInSubject>;

/** The pip requirements file of the Python bots above (one virtual environment holds them all). */
export function pythonRequirementsFile(): string {
  return join(BENCH_BOTS_DIRECTORY, BENCH_BOTS.aiogram.requirements);
}
