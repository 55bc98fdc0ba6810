// Test support for the echo bots: tgbench's own bot process (src/subjects) with the tests'
// kill deadline, and a bounded wait that polls the fake API's control side.
import { basename } from "node:path";
import { type ExitInfo, BotProcess as SubjectProcess } from "../../src/subjects/bot-process.ts";
import { WAIT_DEADLINE_MS, waitUntil } from "../../src/testing/index.ts";
import { SHUTDOWN_GRACE_MS } from "./env.mjs";

/**
 * Bound on every wait for a bot (start-up, echoes, counters, exit): generous on purpose, it only
 * turns a hang into a message; a loaded machine must not turn a slow bot into a failure.
 */
export const WAIT_TIMEOUT_MS = WAIT_DEADLINE_MS;
/** SIGKILL a bot that has not exited this long after SIGTERM (its own limit is SHUTDOWN_GRACE_MS). */
export const KILL_AFTER_MS = SHUTDOWN_GRACE_MS + 2_000;

export type { ExitInfo as Exit } from "../../src/subjects/bot-process.ts";

/** A bot under test as tgbench runs it: `node <script>` (or another interpreter) in its own process group, always reaped. */
export class BotProcess extends SubjectProcess {
  constructor(scriptPath: string, env: Record<string, string>, interpreter: string = process.execPath) {
    super({ label: basename(scriptPath), command: { file: interpreter, args: [scriptPath] }, env });
  }

  /** SIGTERM, then SIGKILL if it is still running after {@link KILL_AFTER_MS}. */
  override stop(): Promise<ExitInfo> {
    return super.stop(KILL_AFTER_MS);
  }

  kill(): void {
    this.killGroup("SIGKILL");
  }
}

export interface WaitOptions {
  /** Fail at once if this bot exits, and append its output to the failure. */
  bot?: BotProcess;
  /** Extra detail for the failure message. */
  describe?: () => string;
}

/**
 * Polls `probe` every few ms until it returns something other than undefined or false; fails at
 * once when the bot exits, or after the generous shared deadline (WAIT_TIMEOUT_MS).
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const { bot, describe = () => "" } = options;
  const output = () => (bot === undefined ? "" : `\n--- bot output ---\n${bot.output}`);
  return waitUntil(what, probe, {
    abandon: () => {
      const exit = bot?.exit;
      return exit === undefined ? undefined : `the bot exited (code ${exit.code}, signal ${exit.signal})`;
    },
    describe: () => `${describe()}${output()}`,
  });
}
