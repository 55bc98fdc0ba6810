import { cpus, totalmem } from "node:os";
import {
  attemptedCellStatus,
  type CellResult,
  type FailureReason,
  type MachineInfo,
  poolCellLatency,
  REPORT_SCHEMA,
  type Report,
  type TrialResult,
} from "../results/index.ts";
import { pythonRequired } from "../subjects/python-env.ts";
import { cellPrediction } from "./cell-model.ts";
import type { RunnerEventSink } from "./events.ts";
import { prepareRuntimes } from "./runtimes.ts";
import { type Cell, cellsOf, type ResolvedScenario } from "./scenario.ts";
import { cellSettings, unsupportedReason } from "./subject-launch.ts";
import { runTrial, type TrialAttempt, type TrialContext } from "./trial.ts";
import { type NetworkFactory, relayNetwork } from "./trial-network.ts";

export interface RunOptions {
  signal?: AbortSignal;
  emit?: RunnerEventSink;
  /** Called after every cell with the report so far, so a crash later loses nothing. */
  onProgress?: (report: Report) => void | Promise<void>;
  toolVersion: string;
  /**
   * Fail the run when a bot's interpreter (Python 3.10+ and the pinned packages) cannot be set
   * up, instead of reporting its cells as skipped. Default: in CI (`CI` set), where the Python
   * bots are required.
   */
  requireRuntimes?: boolean;
  /**
   * Opens each trial's network between the bot and the fake API. Default: tgbench's relay
   * (src/network/), nothing at all on loopback. bench/network-validate/ supplies Toxiproxy.
   */
  network?: NetworkFactory;
  /**
   * Compute each cell's model prediction (src/runner/cell-model.ts) when the cell ends. Default
   * true. A benchmark that runs several runners side by side and models the cells itself switches
   * it off: a prediction's simulation runs on the event loop every runner in the process shares.
   */
  model?: boolean;
}

/**
 * Runs every cell of a scenario's sweep, one after another (never two bots at once: they would
 * share the two cores and measure each other). Returns the report; writes nothing itself.
 */
export async function runScenario(scenario: ResolvedScenario, options: RunOptions): Promise<Report> {
  const emit = options.emit ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  const cells = cellsOf(scenario);
  // Interpreters (the Python bots' venv) are prepared once, before any cell: no install is timed.
  const unavailable = await prepareRuntimes(scenario, {
    required: options.requireRuntimes ?? pythonRequired(),
    signal,
    emit,
  });
  const report: Report = {
    schema: REPORT_SCHEMA,
    tool: { name: "tgbench", version: options.toolVersion },
    createdAt: new Date().toISOString(),
    machine: machineInfo(),
    scenario,
    cells: [],
    partial: false,
  };
  for (const [index, cell] of cells.entries()) {
    if (signal.aborted) {
      report.partial = true;
      break;
    }
    const network = options.network ?? relayNetwork;
    const model = options.model ?? true;
    const result = await runCell(scenario, cell, index, cells.length, signal, emit, unavailable, {
      network,
      model,
    });
    report.cells.push(result);
    if (signal.aborted) report.partial = true;
    await options.onProgress?.(report);
  }
  return report;
}

async function runCell(
  scenario: ResolvedScenario,
  cell: Cell,
  index: number,
  total: number,
  signal: AbortSignal,
  emit: RunnerEventSink,
  unavailable: ReadonlyMap<string, string>,
  { network, model }: { network: NetworkFactory; model: boolean },
): Promise<CellResult> {
  const base = {
    bot: cell.subject.name,
    framework: cell.subject.builtIn?.framework ?? cell.subject.command ?? "",
    mode: cell.mode,
    ratePerSecond: cell.ratePerSecond,
    network: cell.network,
    settings: cellSettings(scenario, cell),
  };
  const missingRuntime = unavailable.get(cell.subject.name);
  const reason =
    unsupportedReason(cell) ??
    (missingRuntime === undefined ? null : { kind: "runtime-unavailable" as const, message: missingRuntime });
  if (reason !== null) {
    emit({ type: "cell-skipped", cell, index, total, reason });
    const prediction = model ? cellPrediction(scenario, cell, []) : null;
    return { ...base, prediction, trials: [], latency: null, status: "unsupported", reason };
  }
  emit({ type: "cell-start", cell, index, total });
  const trials: TrialResult[] = [];
  const unmeasured: FailureReason[] = [];
  for (let trial = 1; trial <= scenario.trials && !signal.aborted; trial++) {
    const attempt = await attemptTrial({ scenario, cell, cellIndex: index, trial, signal, emit, network });
    if (attempt.kind === "cancelled") break;
    if (attempt.kind === "not-measured") {
      emit({ type: "trial-failed", cell, trial, reason: attempt.reason });
      unmeasured.push(attempt.reason);
      break;
    }
    trials.push(attempt.result);
    emit({ type: "trial-end", cell, trial, result: attempt.result });
  }
  const result: CellResult = {
    ...base,
    // After the trials: the generator's lateness they measured is one of the model's inputs.
    prediction: model ? cellPrediction(scenario, cell, trials) : null,
    trials,
    latency: poolCellLatency(trials),
    ...attemptedCellStatus(trials, unmeasured),
  };
  emit({ type: "cell-end", cell, index, total, result });
  return result;
}

/** A trial attempt; a fault of the harness itself (an exception) is a failure of the cell, not of the run. */
async function attemptTrial(ctx: TrialContext): Promise<TrialAttempt> {
  try {
    return await runTrial(ctx);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "not-measured", reason: { kind: "harness-error", trial: ctx.trial, message } };
  }
}

function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? "unknown",
    totalMemoryBytes: totalmem(),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
  };
}
