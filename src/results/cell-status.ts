import { formatLedger } from "../metrics/ledger.ts";
import type { CellResult, CellStatus } from "./cell-result.ts";
import type { FailureReason } from "./outcome.ts";
import { formatTimelineCheck } from "./timeline-check.ts";
import type { TrialResult } from "./trial-result.ts";

/**
 * What makes a measured trial a failure: a bot that died under measurement, a ledger that does
 * not balance, a timeline whose seconds do not add up to the totals.
 */
export function trialFailures(t: TrialResult): FailureReason[] {
  const reasons: FailureReason[] = [];
  if (t.outcome.kind === "bot-exited") {
    const { message, exit, stderrTail, activity } = t.outcome;
    reasons.push({
      kind: "bot-exited",
      trial: t.trial,
      message,
      exit,
      stderrTail,
      ...(activity === undefined ? {} : { activity }),
    });
  }
  if (!t.ledger.balanced) {
    reasons.push({
      kind: "ledger-unbalanced",
      trial: t.trial,
      message: formatLedger(t.ledger),
      discrepancy: t.ledger.discrepancy,
    });
  }
  if (t.timelineCheck !== null && !t.timelineCheck.balanced) {
    reasons.push({
      kind: "timeline-unbalanced",
      trial: t.trial,
      message: formatTimelineCheck(t.timelineCheck),
      mismatches: t.timelineCheck.mismatches,
    });
  }
  return reasons;
}

/**
 * The status of a cell that was attempted: `failed` with every reason (the failures of attempts
 * that produced no trial, then those of the measured trials, in trial order), else `ran`.
 */
export function attemptedCellStatus(
  trials: readonly TrialResult[],
  unmeasured: readonly FailureReason[],
): CellStatus {
  const reasons = [...unmeasured, ...trials.flatMap(trialFailures)].sort(
    (a, b) => (a.trial ?? Number.MAX_SAFE_INTEGER) - (b.trial ?? Number.MAX_SAFE_INTEGER),
  );
  return reasons.length === 0 ? { status: "ran" } : { status: "failed", reasons };
}

/**
 * The trials whose figures can be used: completed, and not failed by any check of the bot (a
 * trial whose bot replied to nothing, or used another mode, measured nothing worth comparing).
 */
export function usableTrials(cell: CellResult): TrialResult[] {
  // An unbalanced ledger is flagged beside the figures (it is the harness's bookkeeping, not the bot).
  const failed = new Set(
    cell.status === "failed"
      ? cell.reasons.filter((r) => r.kind !== "ledger-unbalanced").map((r) => r.trial)
      : [],
  );
  return cell.trials.filter((t) => t.outcome.kind === "completed" && !failed.has(t.trial));
}
