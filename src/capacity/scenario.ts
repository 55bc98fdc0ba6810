import { cellsOf, type ResolvedScenario, resolveScenario } from "../runner/scenario.ts";
import { unsupportedReason } from "../runner/subject-launch.ts";
import { SATURATE_DEFAULTS } from "./defaults.ts";
import { type ResolvedSaturateOptions, SaturateOptionError } from "./options.ts";

/** Who and how `tgbench saturate` measures: one built-in bot or one `--bot-command`, one mode. */
export interface SaturateSubject {
  bot?: string;
  botCommand?: string;
  mode: string;
  handlerDelayMs: number;
}

/**
 * The runner's scenario for a saturate run: text messages in private chats, a constant rate (the
 * open loop's steps set it), replies as their own requests. Throws the runner's ScenarioError on
 * a bad subject or mode, and a SaturateOptionError for a bot that has no such mode (telegraf
 * cannot short-poll), before anything is started.
 */
export function saturateScenario(
  subject: SaturateSubject,
  options: ResolvedSaturateOptions,
): ResolvedScenario {
  const scenario = resolveScenario({
    name: "saturate",
    ...(subject.botCommand === undefined
      ? { bots: [subject.bot ?? SATURATE_DEFAULTS.bot] }
      : { botCommands: [subject.botCommand] }),
    modes: [subject.mode],
    arrival: "constant",
    durationMs: options.durationMs,
    handlerDelayMs: subject.handlerDelayMs,
    warmupUpdates: 20,
    trials: 1,
    // Replies must reach the fake API as calls: a reply in the webhook answer would go to autocannon.
    webhookReply: false,
    users: options.users,
    groups: 0,
    mix: { text: 1 },
    drainTimeoutMs: options.drainTimeoutMs,
  });
  const cell = cellsOf(scenario)[0];
  const unsupported = cell === undefined ? null : unsupportedReason(cell);
  if (unsupported !== null) throw new SaturateOptionError(unsupported.message);
  return scenario;
}
