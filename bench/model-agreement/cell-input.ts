/**
 * A measured cell of a report.json as a model input: the mode and its settings, the rate, the bot,
 * the scenario's handler time, population and anti-busy-loop switch, the harness's measured
 * lateness (an input of the model, not a prediction), and the network when the cell records one.
 */
import type { ModelInput, NetworkInput, SimulationOptions } from "../../src/model/index.ts";
import { isBuiltInBotName } from "../../src/model/index.ts";
import type { CellResult, Report, TrialResult } from "../../src/results/index.ts";

/** A setting of the cell as a number, or undefined when missing or not a number. */
const numberSetting = (cell: CellResult, key: string): number | undefined => {
  const value = cell.settings[key];
  return typeof value === "number" ? value : undefined;
};

/**
 * The network of a cell. Reports do not record one yet (cells run on loopback); when the network
 * issue lands its settings are read from `settings.rttMs` / `settings.jitterMs` (ms).
 */
function networkOf(cell: CellResult): NetworkInput {
  const rttMs = numberSetting(cell, "rttMs");
  const jitterMeanMs = numberSetting(cell, "jitterMs");
  return {
    ...(rttMs === undefined ? {} : { rttMs }),
    ...(jitterMeanMs === undefined || jitterMeanMs === 0
      ? {}
      : { jitterMs: { kind: "exponential", meanMs: jitterMeanMs } }),
  };
}

/** Why a cell cannot be modelled, or null. */
export function unmodelledReason(report: Report, cell: CellResult): string | null {
  if (cell.status === "unsupported") return cell.reason.message;
  if (cell.trials.length === 0) return "no trial";
  if (!isBuiltInBotName(cell.bot)) return `no behaviour known for bot "${cell.bot}"`;
  if (cell.mode === "long-polling" && numberSetting(cell, "pollTimeoutSeconds") === undefined) {
    return "the long-polling timeout is not recorded";
  }
  const arrival = report.scenario.arrival;
  if (arrival !== "poisson" && arrival !== "constant")
    return `arrivals are "${arrival}": the model takes Poisson or constant`;
  return null;
}

/** The model input for one trial of a cell (call `unmodelledReason` first). */
export function modelInputFor(report: Report, cell: CellResult, trial: TrialResult): ModelInput {
  const scenario = report.scenario;
  const mode: ModelInput["mode"] =
    cell.mode === "short-polling"
      ? {
          mode: "short-polling",
          intervalMs: numberSetting(cell, "pollIntervalMs") ?? scenario.pollIntervalMs,
        }
      : cell.mode === "long-polling"
        ? { mode: "long-polling", timeoutSeconds: numberSetting(cell, "pollTimeoutSeconds")! }
        : {
            mode: "webhook",
            maxConnections: numberSetting(cell, "webhookMaxConnections") ?? scenario.webhookMaxConnections,
            webhookReply: cell.settings.webhookReply === true,
          };
  const antiBusyLoop =
    typeof cell.settings.antiBusyLoop === "boolean" ? cell.settings.antiBusyLoop : scenario.antiBusyLoop;
  return {
    ratePerSecond: cell.ratePerSecond,
    arrivals: scenario.arrival === "constant" ? "constant" : "poisson",
    mode,
    bot: cell.bot,
    antiBusyLoop,
    handlerMs: scenario.handlerDelayMs,
    network: networkOf(cell),
    population: { users: scenario.users, groups: scenario.groups },
    // The generator's lateness is added to every measured wait: feed the measured mean in.
    injectionLatencyMs: trial.generator.lateness.count > 0 ? trial.generator.lateness.meanUs / 1_000 : 0,
  };
}

/** A simulated trial shaped like the measured one (length, drain), for cells past their ceiling. */
export function trialLikeRun(report: Report, trial: TrialResult): SimulationOptions {
  return {
    durationMs: report.scenario.durationMs,
    drainTimeoutMs: report.scenario.drainTimeoutMs,
    seed: trial.seed,
  };
}
