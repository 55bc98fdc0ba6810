import { fileURLToPath } from "node:url";

/** How a bot receives updates, as the environment contract's `BOT_MODE` names it. */
export type BotMode = "polling" | "webhook";

/** A bot under test that ships with tgbench: one script per mode, all under bench/bots/. */
export interface BuiltInSubject {
  /** Name used on the command line (`--bot grammy`). */
  readonly name: string;
  readonly description: string;
  /** The framework and version it runs on, for reports. */
  readonly framework: string;
  /** Script per mode (paths relative to bench/bots/); a missing mode is not supported. */
  readonly scripts: Partial<Record<BotMode, string>>;
  /** The getUpdates timeout the framework uses when not told otherwise (seconds). */
  readonly defaultPollTimeoutSeconds: number;
  /** Whether it honours POLL_TIMEOUT (telegraf hard-codes 50 s). */
  readonly pollTimeoutConfigurable: boolean;
  /** Whether it can answer in the webhook response body (WEBHOOK_REPLY=1) for sendMessage. */
  readonly webhookReply: boolean;
  /**
   * Interpreter: JavaScript bots run with this very Node; Python bots with the virtual
   * environment that src/subjects/python-env.ts creates (Python 3.10+, bench/bots/python/requirements.txt).
   */
  readonly runtime: "node" | "python";
}

const BOTS_DIR = fileURLToPath(new URL("../../bench/bots/", import.meta.url));

/**
 * The built-in bots. A registry, not a switch: the CLI's `--bot` choices come from its keys.
 * Any other bot is run with `--bot-command "<command>"` and the same environment contract.
 */
export const BUILT_IN_SUBJECTS = {
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
  },
} as const satisfies Record<string, BuiltInSubject>;

export type BuiltInSubjectName = keyof typeof BUILT_IN_SUBJECTS;

export const BUILT_IN_SUBJECT_NAMES = Object.keys(BUILT_IN_SUBJECTS) as BuiltInSubjectName[];

export function isBuiltInSubject(name: string): name is BuiltInSubjectName {
  return Object.hasOwn(BUILT_IN_SUBJECTS, name);
}

/** Absolute path of a built-in bot's script for a mode, or undefined if it lacks that mode. */
export function scriptPath(subject: BuiltInSubject, mode: BotMode): string | undefined {
  const file = subject.scripts[mode];
  return file === undefined ? undefined : `${BOTS_DIR}${file}`;
}
