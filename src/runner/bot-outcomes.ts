/**
 * How what the runner sees of a bot (a start-up error, its exit, its stderr, what the fake API saw
 * it do) becomes the data of src/results/: trial outcomes and failure reasons with structured
 * fields, never text to parse.
 */
import {
  type ApiActivity,
  type ExitStatus,
  exitText,
  type StartFailure,
  type TrialOutcome,
  type WarmUpFailure,
  type WebhookFront,
} from "../results/index.ts";

export { exitText };

import type { BotProcess, SubjectError } from "../subjects/bot-process.ts";

/** How many of the bot's last stderr lines a failure keeps. */
export const STDERR_TAIL_LINES = 15;

/** The last {@link STDERR_TAIL_LINES} lines of a bot's output. */
export function tailLines(text: string, lines = STDERR_TAIL_LINES): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

export const exitStatusOf = (bot: BotProcess): ExitStatus | null =>
  bot.exit === undefined ? null : { code: bot.exit.code, signal: bot.exit.signal };

/** What a bot that sets its webhook before its server listens gets from setWebhook. */
const REFUSED_WEBHOOK = /bad webhook: Connection refused/;

/**
 * A bot that did not become ready, from the error launchBot threw and what the fake API saw. A
 * bot whose setWebhook was refused because nothing listened yet is told about the reverse proxy.
 */
export function startFailure(
  trial: number,
  error: SubjectError,
  activity: ApiActivity,
  front: WebhookFront,
): StartFailure {
  const refused = activity.firstErrors.find(
    (e) => e.method === "setwebhook" && REFUSED_WEBHOOK.test(e.description),
  );
  const hint =
    refused === undefined || front === "proxy"
      ? ""
      : `; its setWebhook got "${refused.description}": it sets the webhook before its server listens, ` +
        "so run it with --webhook-front proxy (a reverse proxy in front of it accepts at once, as in production)";
  return {
    kind: "bot-failed-to-start",
    trial,
    message: `${error.label}: ${error.reason}${hint}`,
    exit: error.exit === undefined ? null : { code: error.exit.code, signal: error.exit.signal },
    stderrTail: tailLines(error.stderr),
    activity,
  };
}

/** A warm-up that did not finish: the bot died, or did not answer in time. */
export function warmUpFailure(
  trial: number,
  bot: BotProcess,
  message: string,
  activity: ApiActivity,
): WarmUpFailure {
  return {
    kind: "warm-up-failed",
    trial,
    message,
    exit: exitStatusOf(bot),
    stderrTail: tailLines(bot.stderr.toString()),
    activity,
  };
}

/** The outcome of a trial whose bot exited while it was measured. */
export function botExited(bot: BotProcess, activity?: ApiActivity): TrialOutcome {
  const exit = exitStatusOf(bot);
  return {
    kind: "bot-exited",
    message: `${bot.label} exited during the run (${exitText(exit)})`,
    exit,
    stderrTail: tailLines(bot.stderr.toString()),
    ...(activity === undefined ? {} : { activity }),
  };
}
