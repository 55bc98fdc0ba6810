/**
 * Runs grid cells (grid.ts) through the real runner, one `runScenario` per cell with the reference
 * bot and one trial. Cells with a low rate run several at once, since each uses a few per cent of
 * a core; cells above {@link ALONE_ABOVE_PER_SECOND}, and those marked `alone`, run by themselves
 * afterwards, in grid order, so that what they measure is not the other cells' load (and a
 * calibration cell runs right before the cells it calibrates).
 */
import type { Report } from "../../src/results/index.ts";
import { runScenario } from "../../src/runner/run.ts";
import { resolveScenario } from "../../src/runner/scenario.ts";
import type { GridCell } from "./grid.ts";

/** A grid cell and what the runner measured for it. */
export interface GridResult {
  cell: GridCell;
  report: Report;
  /** Cells that ran beside this one (for the table: what else loaded the machine). */
  concurrent: number;
}

export interface GridRunOptions {
  /** Most cells at once. Default 8. */
  maxConcurrent?: number;
  /** Most offered updates per second of the cells running at once. Default 40. */
  loadBudgetPerSecond?: number;
  signal?: AbortSignal;
  onCellDone?: (result: GridResult, done: number, total: number) => void;
  seed?: string;
}

/** Cells offered more than this run alone. */
export const ALONE_ABOVE_PER_SECOND = 25;
const WARMUP_UPDATES = 3;

/** The scenario of one grid cell: the reference bot, one mode, one rate, one network, one trial. */
export function gridScenario(cell: GridCell, seed: string) {
  return resolveScenario({
    name: `model-grid ${cell.name}`,
    bots: ["reference"],
    modes: [cell.mode],
    ratesPerSecond: [cell.ratePerSecond],
    ...(cell.rttMs > 0 ? { network: { rttMs: [cell.rttMs] } } : {}),
    ...(cell.intervalMs === undefined ? {} : { pollIntervalMs: cell.intervalMs }),
    ...(cell.timeoutSeconds === undefined ? {} : { pollTimeoutSeconds: cell.timeoutSeconds }),
    ...(cell.maxConnections === undefined ? {} : { webhookMaxConnections: cell.maxConnections }),
    ...(cell.groups === undefined ? {} : { groups: cell.groups }),
    handlerDelayMs: cell.handlerMs,
    antiBusyLoop: cell.antiBusyLoop,
    durationMs: cell.durationMs,
    warmupUpdates: WARMUP_UPDATES,
    trials: 1,
    seed: `${seed}/${cell.name}`,
  });
}

/** Runs every cell; resolves with the results in the grid's order. */
export async function runGrid(
  cells: readonly GridCell[],
  options: GridRunOptions = {},
): Promise<GridResult[]> {
  const maxConcurrent = options.maxConcurrent ?? 8;
  const budget = options.loadBudgetPerSecond ?? 40;
  const seed = options.seed ?? "model-grid";
  const results = new Array<GridResult | undefined>(cells.length);
  // Longest first, so that short cells fill the gaps beside them.
  const queue = cells
    .map((cell, index) => ({ cell, index }))
    .sort((a, b) => b.cell.durationMs - a.cell.durationMs);
  const running = new Map<number, { cell: GridCell; done: Promise<void> }>();
  let done = 0;
  const load = () => [...running.values()].reduce((sum, r) => sum + r.cell.ratePerSecond, 0);
  const alone = (cell: GridCell) => cell.alone === true || cell.ratePerSecond > ALONE_ABOVE_PER_SECOND;
  // The cells that run together first (longest first), then the lone ones in grid order.
  queue.sort((a, b) =>
    alone(a.cell) !== alone(b.cell) ? (alone(a.cell) ? 1 : -1) : alone(a.cell) ? a.index - b.index : 0,
  );
  while (queue.length > 0 || running.size > 0) {
    if (options.signal?.aborted) break;
    const next = queue.findIndex(({ cell }, i) =>
      running.size === 0
        ? i === 0
        : !alone(cell) &&
          ![...running.values()].some((r) => alone(r.cell)) &&
          running.size < maxConcurrent &&
          load() + cell.ratePerSecond <= budget,
    );
    if (next >= 0) {
      const { cell, index } = queue.splice(next, 1)[0]!;
      const concurrent = running.size;
      const run = (async () => {
        const report = await runScenario(gridScenario(cell, seed), {
          toolVersion: "bench:model",
          requireRuntimes: false,
          // The cells are modelled afterwards (rows.ts): a simulation here would stall the others.
          model: false,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        const result = { cell, report, concurrent: Math.max(concurrent, running.size - 1) };
        results[index] = result;
        done++;
        options.onCellDone?.(result, done, cells.length);
      })().finally(() => running.delete(index));
      running.set(index, { cell, done: run });
      continue;
    }
    await Promise.race([...running.values()].map((r) => r.done));
  }
  await Promise.all([...running.values()].map((r) => r.done));
  return results.filter((r): r is GridResult => r !== undefined);
}
