// Test support for the echo bots: tgbench's own bot process (src/subjects) with the tests'
// kill deadline, and a bounded wait that polls the fake API's control side.
import assert from "node:assert/strict";
import { basename } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type ExitInfo, BotProcess as SubjectProcess } from "../../src/subjects/bot-process.ts";
import { SHUTDOWN_GRACE_MS } from "./env.mjs";

/** Bound on every wait for a bot: start-up, echoes, counters. */
export const WAIT_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 5;
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

/** Polls `probe` every few ms until it returns something other than undefined or false. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const { bot, describe = () => "" } = options;
  const deadline = performance.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    const exit = bot?.exit;
    const problem =
      exit !== undefined
        ? `the bot exited (code ${exit.code}, signal ${exit.signal})`
        : performance.now() > deadline
          ? `timed out after ${WAIT_TIMEOUT_MS} ms`
          : undefined;
    if (problem !== undefined) {
      const output = bot === undefined ? "" : `\n--- bot output ---\n${bot.output}`;
      assert.fail(`${problem} waiting for ${what}. ${describe()}${output}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}
