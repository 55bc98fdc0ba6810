/**
 * The analytic model's input for a bot, mode and rate of a report, at a network distance: the
 * scenario's settings, the bot's behaviour (built-in bots by name, any other as the reference
 * bot), and the round trip of the cell's network (its jitter is left out: see docs/report.md).
 */
import { isBuiltInBotName, type ModelInput } from "../model/index.ts";
import type { ModeName, ResolvedScenario } from "../results/index.ts";
import type { CellNetwork } from "./cell-network.ts";

/** The long-polling timeout a framework uses when the scenario leaves it to the framework, s. */
const FRAMEWORK_POLL_TIMEOUT_S = 30;

/** What the model is asked for one point of a curve. */
export interface ModelQuery {
  bot: string;
  mode: ModeName;
  ratePerSecond: number;
  network: CellNetwork;
  /** The long-polling timeout the cell used (its settings), if known, s. */
  pollTimeoutSeconds?: number | null;
}

/** The model's input for a query. */
export function modelInputFor(scenario: ResolvedScenario, q: ModelQuery): ModelInput {
  const mode: ModelInput["mode"] =
    q.mode === "short-polling"
      ? { mode: "short-polling", intervalMs: scenario.pollIntervalMs }
      : q.mode === "long-polling"
        ? {
            mode: "long-polling",
            timeoutSeconds: q.pollTimeoutSeconds ?? scenario.pollTimeoutSeconds ?? FRAMEWORK_POLL_TIMEOUT_S,
          }
        : {
            mode: "webhook",
            maxConnections: scenario.webhookMaxConnections,
            webhookReply: scenario.webhookReply,
          };
  return {
    ratePerSecond: q.ratePerSecond,
    mode,
    bot: isBuiltInBotName(q.bot) ? q.bot : "reference",
    antiBusyLoop: scenario.antiBusyLoop,
    handlerMs: scenario.handlerDelayMs,
    // The round trip only: jitter would need the simulation, too slow for a curve of many points.
    network: { rttMs: q.network.rttMs },
  };
}

/** A cell's long-polling timeout from its settings, s (null when it has none). */
export function settingsPollTimeout(settings: Record<string, unknown>): number | null {
  const value = settings.pollTimeoutSeconds;
  return typeof value === "number" ? value : null;
}
