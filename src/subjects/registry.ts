import { join } from "node:path";

/** How a bot receives updates, as the environment contract's `BOT_MODE` names it. */
export type BotMode = "polling" | "webhook";

/** A bot under test that ships with tgbench: one script per mode, in the directory it was registered with. */
export interface BuiltInSubject {
  /** Name used on the command line (`--bot grammy`). */
  readonly name: string;
  readonly description: string;
  /** The framework and version it runs on, for reports. */
  readonly framework: string;
  /** Script per mode (paths relative to its registered directory); a missing mode is not supported. */
  readonly scripts: Partial<Record<BotMode, string>>;
  /** The getUpdates timeout the framework uses when not told otherwise (seconds). */
  readonly defaultPollTimeoutSeconds: number;
  /** Whether it honours POLL_TIMEOUT (telegraf hard-codes 50 s). */
  readonly pollTimeoutConfigurable: boolean;
  /** Whether it can answer in the webhook response body (WEBHOOK_REPLY=1) for sendMessage. */
  readonly webhookReply: boolean;
  /**
   * Interpreter: JavaScript bots run with this very Node; Python bots with the virtual
   * environment that src/subjects/python-env.ts creates (Python 3.10+).
   */
  readonly runtime: "node" | "python";
  /**
   * What its runtime must have installed, relative to its registered directory: for `python`, a
   * pip requirements file (installed into the virtual environment of python-env.ts).
   */
  readonly requirements?: string;
}

/**
 * The built-in bots, by name: a registry, not a switch. src/ ships none itself (it never imports
 * bench/); the edge fills it (bin/tgbench.mjs registers bench/bots/catalog.ts through
 * bench/index.ts) before the CLI reads it, so the CLI's `--bot` choices are its keys. Any other bot
 * is run with `--bot-command "<command>"` and the same environment contract.
 */
export const BUILT_IN_SUBJECTS: Readonly<Record<string, BuiltInSubject>> = {};

/** Where each registered bot's scripts are, by name (kept out of the entry, which reports store). */
const scriptDirectories = new Map<string, string>();

/**
 * Adds bots to {@link BUILT_IN_SUBJECTS}, their scripts relative to `scriptsDirectory` (absolute).
 * Registering the same entry again is a no-op; another entry under a taken name is an error.
 */
export function registerBuiltInSubjects(subjects: readonly BuiltInSubject[], scriptsDirectory: string): void {
  const registry = BUILT_IN_SUBJECTS as Record<string, BuiltInSubject>;
  for (const subject of subjects) {
    const existing = registry[subject.name];
    if (existing === subject && scriptDirectories.get(subject.name) === scriptsDirectory) continue;
    if (existing !== undefined) throw new Error(`a bot named "${subject.name}" is already registered`);
    registry[subject.name] = subject;
    scriptDirectories.set(subject.name, scriptsDirectory);
  }
}

export function isBuiltInSubject(name: string): boolean {
  return Object.hasOwn(BUILT_IN_SUBJECTS, name);
}

/** Absolute path of a built-in bot's script for a mode, or undefined if it lacks that mode. */
export function scriptPath(subject: BuiltInSubject, mode: BotMode): string | undefined {
  const file = subject.scripts[mode];
  const directory = scriptDirectories.get(subject.name);
  return file === undefined || directory === undefined ? undefined : join(directory, file);
}

/** Absolute path of a built-in bot's requirements file, or undefined when it names none. */
export function requirementsPath(subject: BuiltInSubject): string | undefined {
  const directory = scriptDirectories.get(subject.name);
  return subject.requirements === undefined || directory === undefined
    ? undefined
    : join(directory, subject.requirements);
}
