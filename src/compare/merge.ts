/**
 * Merging the trials of several runs of the same sweep into one report, so that interleaved rounds
 * (base, head, head, base, …) can be compared as two samples. Pure.
 */
import { type CellResult, type CellStatus, cellKey, poolCellLatency, type Report } from "../results/index.ts";

/** Nothing to merge. */
export class MergeError extends Error {
  override readonly name = "MergeError";
}

/**
 * One report with every cell of every input, matched by bot, mode and rate. A cell's trials are
 * concatenated in input order and renumbered 1, 2, …; each keeps its own `seed` and `startedAt`
 * (and histograms), and the cell's latency is computed again from all of them, merged.
 * A cell unsupported in one input but measured in another keeps the measurements; a cell failed in
 * any input is failed, with every input's reasons (their trial numbers are those of their own
 * input, so they become null). Everything else
 * (scenario, machine, tool) comes from the first report; `scenario.trials` becomes the total and
 * `partial` is true when any input was partial.
 */
export function mergeReports(reports: readonly Report[]): Report {
  const [first] = reports;
  if (first === undefined) throw new MergeError("merge needs at least one report");
  const cells = new Map<string, CellResult>();
  for (const report of reports) {
    for (const cell of report.cells) {
      const key = cellKey(cell);
      const seen = cells.get(key);
      if (seen === undefined) {
        cells.set(key, { ...cell, trials: [...cell.trials] });
        continue;
      }
      const {
        status: _status,
        reason: _reason,
        reasons: _reasons,
        ...identity
      } = seen as CellResult & {
        reason?: unknown;
        reasons?: unknown;
      };
      cells.set(key, {
        ...identity,
        ...mergedStatus(seen, cell),
        trials: [...seen.trials, ...cell.trials],
        prediction: seen.prediction ?? cell.prediction,
      });
    }
  }
  const merged = [...cells.values()].map((cell) => {
    const trials = cell.trials.map((trial, i) => ({ ...trial, trial: i + 1 }));
    return { ...cell, trials, latency: poolCellLatency(trials) };
  });
  return {
    ...first,
    scenario: { ...first.scenario, trials: reports.reduce((sum, r) => sum + r.scenario.trials, 0) },
    cells: merged,
    partial: reports.some((r) => r.partial),
  };
}

function mergedStatus(a: CellStatus, b: CellStatus): CellStatus {
  if (a.status === "unsupported") return b;
  if (b.status === "unsupported") return a;
  const reasons = [a, b].flatMap((s) => (s.status === "failed" ? s.reasons : []));
  return reasons.length === 0
    ? { status: "ran" }
    : { status: "failed", reasons: reasons.map((r) => ({ ...r, trial: null })) };
}
