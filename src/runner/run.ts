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
  trialFailures,
  type UnsupportedReason,
  usableTrials,
} from "../results/index.ts";
import { pythonRequired } from "../subjects/python-env.ts";
import { trialChecks } from "./cell-checks.ts";
import { cellPrediction } from "./cell-model.ts";
import type { RunnerEventSink } from "./events.ts";
import { prepareRuntimes } from "./runtimes.ts";
import { type Cell, cellsOf, type ResolvedScenario } from "./scenario.ts";
import { cellSettings, effectivePollTimeoutSeconds, unsupportedReason } from "./subject-launch.ts";
import { runTrial, type TrialAttempt, type TrialContext } from "./trial.ts";
import { type NetworkFactory, relayNetwork } from "./trial-network.ts";

export interface RunOptions {
  signal?: AbortSignal;
  emit?: RunnerEventSink;
  /**
   * Called after every cell with the report so far, so a crash later loses nothing. The report is
   * marked `partial` until the run's end: one written here and never overwritten (the harness was
   * killed) says so.
   */
  onProgress?: (report: Report) => void | Promise<void>;
  toolVersion: string;
  /**
   * The control token of the fake APIs the run starts (their `/__tgbench/` routes), so that the
   * run can be watched from outside; default: a new random token per fake API.
   */
  controlToken?: string;
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
 * Runs every cell of a scenario's sweep, one after another (two bots at once would share the two
 * cores and measure each other), except the cells the scenario lets run together
 * (`scenario.concurrency`: bots at or below a rate, which mostly wait): those run first, up to its
 * number at a time. Returns the report, its cells in the sweep's order; writes nothing itself.
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
  // A mode a `--bot-command` bot refused (exit 2 at start) is not tried again at other rates.
  const refused = new Map<string, UnsupportedReason>();
  const results: Array<CellResult | undefined> = cells.map(() => undefined);
  // Progress reports are written one at a time, in the order the cells end.
  let written: Promise<void> = Promise.resolve();
  const runAt = async (index: number) => {
    const ctx = {
      scenario,
      cell: cells[index]!,
      index,
      total: cells.length,
      signal,
      emit,
      unavailable,
      refused,
      controlToken: options.controlToken,
      network: options.network ?? relayNetwork,
      model: options.model ?? true,
    };
    results[index] = await runCell(ctx);
    const snapshot = results.filter((r): r is CellResult => r !== undefined);
    written = written.then(() => options.onProgress?.({ ...report, cells: snapshot, partial: true }));
    await written;
  };
  const together = scenario.concurrency;
  const indices = cells.map((_, index) => index);
  const concurrent =
    together == null ? [] : indices.filter((i) => cells[i]!.ratePerSecond <= together.maxRatePerSecond);
  const alone = indices.filter((i) => !concurrent.includes(i));
  await inPool(concurrent, together?.cells ?? 1, signal, runAt);
  await inPool(alone, 1, signal, runAt);
  report.cells = results.filter((r): r is CellResult => r !== undefined);
  if (signal.aborted || report.cells.length < cells.length) report.partial = true;
  return report;
}

/** Runs `work` for every item, at most `size` at a time, taking no new item once `signal` aborts. */
async function inPool(
  items: readonly number[],
  size: number,
  signal: AbortSignal,
  work: (item: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

interface CellContext {
  scenario: ResolvedScenario;
  cell: Cell;
  index: number;
  total: number;
  signal: AbortSignal;
  emit: RunnerEventSink;
  unavailable: ReadonlyMap<string, string>;
  refused: Map<string, UnsupportedReason>;
  controlToken: string | undefined;
  network: NetworkFactory;
  /** Compute the cell's model prediction (RunOptions.model). */
  model: boolean;
}

async function runCell(ctx: CellContext): Promise<CellResult> {
  const { scenario, cell, index, total, signal, emit, controlToken, network, model } = ctx;
  const base = {
    bot: cell.subject.name,
    framework: cell.subject.builtIn?.framework ?? cell.subject.command ?? "",
    mode: cell.mode,
    ratePerSecond: cell.ratePerSecond,
    network: cell.network,
    settings: cellSettings(scenario, cell),
  };
  const refusedKey = `${cell.subject.name}\u0000${cell.mode}`;
  const missingRuntime = ctx.unavailable.get(cell.subject.name);
  const reason =
    unsupportedReason(cell) ??
    ctx.refused.get(refusedKey) ??
    (missingRuntime === undefined ? null : { kind: "runtime-unavailable" as const, message: missingRuntime });
  if (reason !== null) {
    emit({ type: "cell-skipped", cell, index, total, reason });
    const prediction = model ? cellPrediction(scenario, cell, []) : null;
    return { ...base, prediction, trials: [], latency: null, status: "unsupported", reason };
  }
  emit({ type: "cell-start", cell, index, total });
  const checked = {
    mode: cell.mode,
    pollIntervalMs: scenario.pollIntervalMs,
    pollTimeoutSeconds: cell.mode === "long-polling" ? effectivePollTimeoutSeconds(scenario, cell) : null,
    drainTimeoutMs: scenario.drainTimeoutMs,
  };
  const trials: TrialResult[] = [];
  const failures: FailureReason[] = [];
  for (let trial = 1; trial <= scenario.trials && !signal.aborted; trial++) {
    const attempt = await attemptTrial({
      scenario,
      cell,
      cellIndex: index,
      trial,
      signal,
      emit,
      controlToken,
      network,
    });
    if (attempt.kind === "cancelled") break;
    if (attempt.kind === "unsupported" && trials.length === 0) {
      ctx.refused.set(refusedKey, attempt.reason);
      emit({ type: "cell-skipped", cell, index, total, reason: attempt.reason });
      const prediction = model ? cellPrediction(scenario, cell, []) : null;
      return {
        ...base,
        prediction,
        trials: [],
        latency: null,
        status: "unsupported",
        reason: attempt.reason,
      };
    }
    if (attempt.kind !== "measured") {
      // A refusal after a measured trial is a bot that changed its mind: a failure like any other.
      const failure: FailureReason =
        attempt.kind === "not-measured"
          ? attempt.reason
          : { kind: "bot-failed-to-start", trial, message: attempt.reason.message, stderrTail: "" };
      emit({ type: "trial-failed", cell, trial, reason: failure });
      failures.push(failure);
      break;
    }
    trials.push(attempt.result);
    // Correctness first: the checks' verdicts, then the bot's exit and the ledger.
    const checks = trialChecks(attempt.result, checked);
    failures.push(...checks);
    emit({
      type: "trial-end",
      cell,
      trial,
      result: attempt.result,
      failures: [...checks, ...trialFailures(attempt.result)],
    });
  }
  const status = attemptedCellStatus(trials, failures);
  // The cell's latency pools the trials whose figures can be used (none that failed a check).
  const usable = usableTrials({ ...base, prediction: null, trials, latency: null, ...status });
  const result: CellResult = {
    ...base,
    // After the trials: the generator's lateness they measured is one of the model's inputs.
    prediction: model ? cellPrediction(scenario, cell, usable) : null,
    trials,
    latency: poolCellLatency(usable),
    ...status,
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
