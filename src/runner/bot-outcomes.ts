/**
 * How what the runner sees of a bot (a start-up error, its exit, its stderr) becomes the data of
 * src/results/: trial outcomes and failure reasons with structured fields, never text to parse.
 */
import type { ExitStatus, StartFailure, TrialOutcome, WarmUpFailure } from "../results/index.ts";
import type { BotProcess, SubjectError } from "../subjects/bot-process.ts";

/** How many of the bot's last stderr lines a failure keeps. */
export const STDERR_TAIL_LINES = 15;

/** The last {@link STDERR_TAIL_LINES} lines of a bot's output. */
export function tailLines(text: string, lines = STDERR_TAIL_LINES): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** `code 3`, `SIGKILL`, or `still running`. */
export function exitText(exit: ExitStatus | null | undefined): string {
  if (exit === undefined || exit === null) return "still running";
  return exit.signal ?? `code ${exit.code}`;
}

const exitStatusOf = (bot: BotProcess): ExitStatus | null =>
  bot.exit === undefined ? null : { code: bot.exit.code, signal: bot.exit.signal };

/** A bot that did not become ready, from the error launchBot threw. */
export function startFailure(trial: number, error: SubjectError): StartFailure {
  return {
    kind: "bot-failed-to-start",
    trial,
    message: error.message.split("\n")[0] ?? error.message,
    stderrTail: tailLines(error.stderr),
  };
}

/** A warm-up that did not finish: the bot died, or did not answer in time. */
export function warmUpFailure(trial: number, bot: BotProcess, message: string): WarmUpFailure {
  return {
    kind: "warm-up-failed",
    trial,
    message,
    exit: exitStatusOf(bot),
    stderrTail: tailLines(bot.stderr.toString()),
  };
}

/** The outcome of a trial whose bot exited while it was measured. */
export function botExited(bot: BotProcess): TrialOutcome {
  const exit = exitStatusOf(bot);
  return {
    kind: "bot-exited",
    message: `${bot.label} exited during the run (${exitText(exit)})`,
    exit,
    stderrTail: tailLines(bot.stderr.toString()),
  };
}
