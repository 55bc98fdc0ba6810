/**
 * "Kept up": the one definition the progress line, the tables and the verdict use. A trial kept
 * up when it completed, every update was answered by the end of the drain, and at most one second
 * of traffic (the cell's rate × 1 s) was still waiting when the measured window ended; the runner
 * records this as `throughput.sustained`. A cell kept up when every trial its figures come from did.
 */
import { pooledTrials } from "./cell-latency.ts";
import type { CellResult } from "./cell-result.ts";
import type { TrialResult } from "./trial-result.ts";

/** The definition in words, for reports and `--help`. */
export const KEPT_UP_DEFINITION =
  "*Kept up*: the trial completed, every update was answered by the end of the drain, and at most one " +
  "second of traffic (the rate × 1 s) was still waiting when the measured window ended.";

/** Whether one trial kept up (see {@link KEPT_UP_DEFINITION}). */
export function trialKeptUp(trial: TrialResult): boolean {
  return trial.outcome.kind === "completed" && trial.throughput.sustained;
}

/**
 * Whether a cell kept up: every trial its figures come from ({@link pooledTrials}) kept up; null
 * when no trial was measured.
 */
export function cellKeptUp(cell: Pick<CellResult, "trials">): boolean | null {
  const trials = pooledTrials(cell.trials);
  return trials.length === 0 ? null : trials.every(trialKeptUp);
}

/** Why a trial did not keep up, in a few words; null when it did. */
export function fellBehindBecause(trial: TrialResult): string | null {
  if (trialKeptUp(trial)) return null;
  if (trial.outcome.kind !== "completed") return "the trial did not complete";
  const { answered, generated } = trial.ledger;
  if (answered < generated) return `${generated - answered} of ${generated} unanswered`;
  return `${trial.throughput.backlogAtWindowEnd} updates waiting when the window ended`;
}
