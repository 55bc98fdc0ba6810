import type { BotStop } from "../results/index.ts";
import type { BotProcess } from "../subjects/bot-process.ts";
import { exitStatusOf } from "./bot-outcomes.ts";

/**
 * How a bot that {@link BotProcess.stop} stopped went, as data: docs/bot-contract.md asks a bot to
 * exit 0 within its grace after SIGTERM; anything else (killed after the grace, another exit
 * code, a signal) is noted in the report. Null when it was not stopped by tgbench.
 */
export function botStop(bot: BotProcess, graceMs: number): BotStop | null {
  const info = bot.stopInfo;
  const exit = exitStatusOf(bot);
  if (info === undefined || info.alreadyExited || exit === null) return null;
  return {
    exit,
    afterMs: info.afterMs,
    graceMs,
    killed: info.killed,
    clean: !info.killed && exit.code === 0 && exit.signal === null,
  };
}
