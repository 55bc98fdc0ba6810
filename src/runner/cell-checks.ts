/**
 * The verdicts about a bot's correctness, which come before any figure: a trial in which the bot
 * replied to nothing, left updates unanswered, answered twice, sent replies to nothing, got mostly
 * API errors, or used another mode than its cell asked for is failed, with the counts in its
 * reason. Pure: they read a measured {@link TrialResult} (its ledger, reply matching and the
 * behaviour the fake API saw), never the bot.
 */
import {
  type ApiActivity,
  type FailureReason,
  formatApiErrors,
  type ModeName,
  type ObservedMode,
  type TrialResult,
} from "../results/index.ts";

/** What a cell asked of its bot, as far as the checks need it. */
export interface CheckedCell {
  mode: ModeName;
  /** Short polling: one getUpdates this often, ms. */
  pollIntervalMs: number;
  /** Long polling: the timeout the bot should ask for (s); null: any timeout above 0 (the framework's own). */
  pollTimeoutSeconds: number | null;
  /** How long the trial waited for the last replies after the schedule, ms. */
  drainTimeoutMs: number;
}

/** The thresholds of the checks, named. */
export const CHECK_LIMITS = {
  /** A trial fails for API errors when more than this share of the bot's calls failed. */
  maxApiErrorShare: 0.5,
  /** A short-polling bot must not poll more often than this share of the interval asked for. */
  minPollIntervalShare: 0.5,
  /**
   * Unanswered updates are the bot's fault when no answer came for this share of the drain (and
   * at least {@link CHECK_LIMITS.minQuietMs}): it had stopped working on them, rather than being
   * slow.
   */
  quietDrainShare: 0.5,
  minQuietMs: 1_000,
} as const;

/** Every check's failures for one trial, correctness first; none for a trial Ctrl-C stopped. */
export function trialChecks(t: TrialResult, cell: CheckedCell): FailureReason[] {
  if (t.outcome.kind === "cancelled") return [];
  const failures: FailureReason[] = [];
  const trial = t.trial;
  const { answered, deliveredUnanswered } = t.ledger;
  const received = answered + deliveredUnanswered;
  const completed = t.outcome.kind === "completed";
  if (completed && received > 0 && answered === 0) {
    failures.push({
      kind: "no-replies",
      trial,
      message: `received ${received} update${received === 1 ? "" : "s"} and answered none`,
      received,
      unmatched: t.matching.unmatched,
    });
  } else if (completed && deliveredUnanswered > 0) {
    const quietMs = t.window.recordedMs - Math.max(t.window.windowMs, t.behaviour?.lastAnswerAtMs ?? 0);
    if (quietMs >= Math.max(CHECK_LIMITS.minQuietMs, cell.drainTimeoutMs * CHECK_LIMITS.quietDrainShare)) {
      failures.push({
        kind: "unanswered",
        trial,
        message:
          `answered ${answered} of the ${received} updates it received; ${deliveredUnanswered} got no answer, ` +
          `and none came in the last ${(quietMs / 1000).toFixed(1)} s of the drain`,
        received,
        answered,
        unanswered: deliveredUnanswered,
        quietMs,
      });
    }
  }
  const { duplicates, unmatched } = t.matching;
  if (duplicates > 0) {
    failures.push({
      kind: "duplicate-replies",
      trial,
      message: `${duplicates} repl${duplicates === 1 ? "y" : "ies"} to updates it had already answered (${answered} answered)`,
      duplicates,
    });
  }
  if (unmatched > 0) {
    failures.push({
      kind: "unmatched-replies",
      trial,
      message: `${unmatched} message${unmatched === 1 ? "" : "s"} that answer${unmatched === 1 ? "s" : ""} no update it was sent`,
      unmatched,
    });
  }
  const activity = t.behaviour?.activity;
  if (activity !== undefined) failures.push(...apiErrorFailures(trial, activity));
  const observed = t.behaviour?.observedMode;
  if (observed !== undefined) {
    const mismatch = modeMismatch(cell, observed, t);
    if (mismatch !== null) {
      failures.push({ kind: "mode-mismatch", trial, message: mismatch, expected: cell.mode, observed });
    }
  }
  return failures;
}

function apiErrorFailures(trial: number, activity: ApiActivity): FailureReason[] {
  const { calls, errors, firstErrors } = activity;
  if (errors === 0 || errors <= calls * CHECK_LIMITS.maxApiErrorShare) return [];
  return [
    {
      kind: "api-errors",
      trial,
      message: `${errors} of its ${calls} API calls failed: ${formatApiErrors(errors, firstErrors)}`,
      calls,
      errors,
      firstErrors,
    },
  ];
}

/** "asked for short polling, saw getUpdates with timeout 50 (…)", or null when the bot did what was asked. */
export function modeMismatch(cell: CheckedCell, observed: ObservedMode, t: TrialResult): string | null {
  const saw = `saw ${observed.summary}`;
  if (observed.mode === null) {
    // Nothing to judge when no update arrived, or a short poll may not have been due yet.
    const due = cell.mode !== "short-polling" || t.window.recordedMs >= 2 * cell.pollIntervalMs;
    return t.ledger.generated > 0 && due ? `asked for ${words(cell.mode)}, ${saw}` : null;
  }
  if (observed.mode !== cell.mode) return `asked for ${words(cell.mode)}, ${saw}`;
  if (cell.mode === "short-polling") {
    const interval = observed.medianPollIntervalMs;
    if (interval !== null && interval < cell.pollIntervalMs * CHECK_LIMITS.minPollIntervalShare) {
      return `asked for short polling every ${cell.pollIntervalMs} ms, ${saw}`;
    }
  }
  if (
    cell.mode === "long-polling" &&
    cell.pollTimeoutSeconds !== null &&
    observed.pollTimeoutSeconds !== cell.pollTimeoutSeconds
  ) {
    return `asked for long polling with timeout ${cell.pollTimeoutSeconds}, ${saw}`;
  }
  return null;
}

const words = (mode: ModeName) => mode.replace("-", " ");
