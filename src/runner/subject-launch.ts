import type { UnsupportedReason } from "../results/index.ts";
import type { LaunchSpec, SubjectError } from "../subjects/bot-process.ts";
import { venvPython } from "../subjects/python-env.ts";
import { type BotMode, scriptPath } from "../subjects/registry.ts";
import { MODES } from "./modes.ts";
import type { Cell, ResolvedScenario } from "./scenario.ts";

/** The path every webhook bot is told to serve (WEBHOOK_PATH). */
export const WEBHOOK_PATH = "/webhook";

/** The exit code of docs/bot-contract.md for a broken contract, such as a BOT_MODE the bot does not implement. */
export const EXIT_CONTRACT_ERROR = 2;

/**
 * A `--bot-command` bot that exited 2 during start-up refused the mode (the contract's exit code
 * for a BOT_MODE or setting it does not implement): the cell is unsupported, not failed. A
 * built-in bot is registered with the modes it has, so the same exit is a failure.
 */
export function refusedMode(cell: Cell, error: SubjectError): UnsupportedReason | null {
  if (cell.subject.builtIn !== undefined) return null;
  if (error.exit === undefined || error.exit.code !== EXIT_CONTRACT_ERROR) return null;
  const said = error.stderr.trim().split("\n").at(-1) ?? "";
  return {
    kind: "mode-not-supported",
    message: `${cell.subject.name} exited ${EXIT_CONTRACT_ERROR} at start in ${cell.mode}${said === "" ? "" : `: ${said}`}`,
  };
}

/** Whether a cell can run, and why not. */
export function unsupportedReason(cell: Cell): UnsupportedReason | null {
  const botMode: BotMode = MODES[cell.mode].botMode;
  if (!cell.subject.modes.includes(botMode)) {
    return { kind: "mode-not-supported", message: `${cell.subject.name} has no ${botMode} mode` };
  }
  const builtIn = cell.subject.builtIn;
  if (cell.mode === "short-polling" && builtIn !== undefined && !builtIn.pollTimeoutConfigurable) {
    return {
      kind: "poll-timeout-fixed",
      message: `${cell.subject.name} cannot short-poll: its getUpdates timeout is fixed at ${builtIn.defaultPollTimeoutSeconds} s`,
    };
  }
  return null;
}

/** The effective settings of a cell, as stored in its result. */
export function cellSettings(
  scenario: ResolvedScenario,
  cell: Cell,
): Record<string, string | number | boolean | null> {
  switch (cell.mode) {
    case "short-polling":
      return {
        pollIntervalMs: scenario.pollIntervalMs,
        pollTimeoutSeconds: 0,
        antiBusyLoop: scenario.antiBusyLoop,
      };
    case "long-polling":
      return {
        pollTimeoutSeconds: effectivePollTimeoutSeconds(scenario, cell),
        pollTimeoutSource: scenario.pollTimeoutSeconds === null ? "framework default" : "scenario",
      };
    case "webhook":
      return {
        webhookMaxConnections: scenario.webhookMaxConnections,
        webhookReply: scenario.webhookReply,
        webhookFront: scenario.webhookFront ?? "direct",
      };
  }
}

/** The long-polling timeout the bot really uses. */
export function effectivePollTimeoutSeconds(scenario: ResolvedScenario, cell: Cell): number | null {
  const builtIn = cell.subject.builtIn;
  if (builtIn !== undefined && !builtIn.pollTimeoutConfigurable) return builtIn.defaultPollTimeoutSeconds;
  return scenario.pollTimeoutSeconds ?? builtIn?.defaultPollTimeoutSeconds ?? null;
}

/**
 * The command and environment contract for a cell's bot; `frontEnv` is what the webhook front
 * sets (the bot's port and the URL to register behind a proxy).
 */
export function subjectLaunchSpec(
  scenario: ResolvedScenario,
  cell: Cell,
  token: string,
  apiRoot: string,
  frontEnv: Record<string, string> = {},
): LaunchSpec {
  const mode = MODES[cell.mode];
  const env: Record<string, string> = {
    BOT_TOKEN: token,
    TELEGRAM_API_ROOT: apiRoot,
    WEBHOOK_HOST: "127.0.0.1",
    WEBHOOK_PORT: "0",
    WEBHOOK_PATH,
    WEBHOOK_SECRET: `tgbench_${token.slice(token.indexOf(":") + 1).replace(/[^A-Za-z0-9_-]/g, "_")}`,
    HANDLER_DELAY_MS: String(scenario.handlerDelayMs),
    ...mode.env({
      pollIntervalMs: scenario.pollIntervalMs,
      pollTimeoutSeconds: scenario.pollTimeoutSeconds,
      webhookMaxConnections: scenario.webhookMaxConnections,
      webhookReply: scenario.webhookReply,
    }),
    ...frontEnv,
  };
  const label = `${cell.subject.name} (${cell.mode})`;
  const readiness = mode.botMode;
  const builtIn = cell.subject.builtIn;
  if (builtIn !== undefined) {
    const script = scriptPath(builtIn, mode.botMode);
    if (script === undefined) throw new Error(`${label}: no script for ${mode.botMode}`);
    // Node bots run on this very Node; Python bots on the venv that prepareRuntimes set up.
    const interpreter = builtIn.runtime === "python" ? venvPython() : process.execPath;
    return {
      label,
      command: { file: interpreter, args: [script] },
      env,
      token,
      readiness,
      startupTimeoutMs: scenario.startupTimeoutMs,
    };
  }
  return {
    label,
    command: { shell: cell.subject.command! },
    env,
    token,
    readiness,
    startupTimeoutMs: scenario.startupTimeoutMs,
  };
}
