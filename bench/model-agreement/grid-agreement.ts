/** The grid's measured cells against the model, each under its grid name. Pure. */
import type { ModelInput } from "../../src/model/index.ts";
import type { Calibration } from "./calibration.ts";
import type { ProbeSamples } from "./probe.ts";
import { type AgreementRow, type SkippedCell, storedInput, trialRows } from "./rows.ts";
import type { GridResult } from "./run-grid.ts";

/** What `npm run bench:model` saves: every cell's report, to compare again without measuring. */
export interface SavedGrid {
  grid: "tgbench/model-grid@1";
  seed: string;
  results: GridResult[];
  /** The machine probe's samples over the run (null when it could not run). */
  probe: ProbeSamples | null;
}

/** Every grid cell's completed trials against the model (with the calibration applied to its input). */
export function gridAgreement(
  results: readonly GridResult[],
  calibration: Calibration,
): { rows: AgreementRow[]; skipped: SkippedCell[] } {
  const rows: AgreementRow[] = [];
  const skipped: SkippedCell[] = [];
  for (const result of results) {
    const { cell: gridCell, report } = result;
    if (gridCell.calibration === true) continue;
    const cell = report.cells[0];
    const trial = cell?.trials.find((t) => t.outcome.kind === "completed");
    if (cell === undefined || trial === undefined) {
      skipped.push({
        cell: gridCell.name,
        reason: cell?.status === "failed" ? "failed" : "no completed trial",
      });
      continue;
    }
    const input: ModelInput = calibration.apply(storedInput(report, cell, trial), result);
    rows.push(...trialRows(report, cell, trial, input, gridCell.name));
  }
  return { rows, skipped };
}
