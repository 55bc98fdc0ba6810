/**
 * Outcomes as data: how a trial ended, why a cell could not run, and why a cell failed. Renderers
 * and the CLI branch on `kind`, never on message text; `message` is the one-line human account
 * and `stderrTail` the bot's last stderr lines, both shown as they are.
 */

import type { TimelineMismatch } from "./trial-result.ts";

/** How a bot process ended: its exit code, or the signal that killed it (both null: never ran). */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** How one measured trial ended. Its figures cover what happened until then. */
export type TrialOutcome =
  /** The schedule ran to its end and the drain finished (or timed out). */
  | { kind: "completed" }
  /** The bot process exited while it was being measured; the schedule stopped feeding it. */
  | { kind: "bot-exited"; message: string; exit: ExitStatus | null; stderrTail: string }
  /** Ctrl-C (the run's AbortSignal) stopped the trial. */
  | { kind: "cancelled" };

/** The kinds of {@link TrialOutcome}. */
export type TrialOutcomeKind = TrialOutcome["kind"];

/** Why a cell never ran. Not a failure: the run's exit code stays 0. */
export interface UnsupportedReason {
  /**
   * - `mode-not-supported`: the bot has no script (or declared support) for the mode's BOT_MODE;
   * - `poll-timeout-fixed`: the framework cannot short-poll (its getUpdates timeout is hard-coded);
   * - `runtime-unavailable`: the bot's interpreter (Python 3.10+ and its packages) could not be set up.
   */
  kind: "mode-not-supported" | "poll-timeout-fixed" | "runtime-unavailable";
  message: string;
}

/** What every failure reason carries. */
interface FailureBase {
  /** The trial it concerns (1-based), or null when it concerns the cell as a whole. */
  trial: number | null;
  /** One line: what happened. */
  message: string;
}

/** The bot did not become ready: it exited, timed out or could not be spawned. */
export interface StartFailure extends FailureBase {
  kind: "bot-failed-to-start";
  stderrTail: string;
}

/** The bot started but did not answer the (unmeasured) warm-up updates in time, or died during it. */
export interface WarmUpFailure extends FailureBase {
  kind: "warm-up-failed";
  /** Set when the bot process had exited. */
  exit: ExitStatus | null;
  stderrTail: string;
}

/** The bot process exited while it was measured (the trial's outcome is `bot-exited` too). */
export interface BotExitedFailure extends FailureBase {
  kind: "bot-exited";
  exit: ExitStatus | null;
  stderrTail: string;
}

/** The trial's ledger did not balance: some updates are unaccounted for, so no figure can be trusted. */
export interface LedgerFailure extends FailureBase {
  kind: "ledger-unbalanced";
  /** generated − the sum of the ledger's outcomes. */
  discrepancy: number;
}

/**
 * The trial's timeline did not add up to its totals: some event was placed in no second or in
 * two, so its per-second figures cannot be trusted (a bug in the harness, reported, not hidden).
 */
export interface TimelineFailure extends FailureBase {
  kind: "timeline-unbalanced";
  mismatches: TimelineMismatch[];
}

/** The harness itself failed (an unexpected exception): a bug to report, not the bot's fault. */
export interface HarnessFailure extends FailureBase {
  kind: "harness-error";
}

/**
 * Why a cell failed. A union open to extension: a new check (API errors the bot received, the mode
 * it was observed to use, duplicate or unmatched replies, …) adds a member with its own `kind`
 * and fields, and an entry in {@link FAILURE_LABELS}; every reader that does not know a kind
 * still shows its `message`.
 */
export type FailureReason =
  | StartFailure
  | WarmUpFailure
  | BotExitedFailure
  | LedgerFailure
  | TimelineFailure
  | HarnessFailure;

/** The kinds of {@link FailureReason}. */
export type FailureKind = FailureReason["kind"];

/** What each failure kind is called in reports and on the terminal. */
export const FAILURE_LABELS: Readonly<Record<FailureKind, string>> = {
  "bot-failed-to-start": "bot failed to start",
  "warm-up-failed": "warm-up failed",
  "bot-exited": "bot exited",
  "ledger-unbalanced": "unbalanced",
  "timeline-unbalanced": "timeline unbalanced",
  "harness-error": "harness error",
};

/**
 * Failure kinds that end an attempt at a trial before it produced a result, so the trial is
 * missing from `trials` (the others concern a trial that is there).
 */
const UNMEASURED_KINDS: ReadonlySet<FailureKind> = new Set([
  "bot-failed-to-start",
  "warm-up-failed",
  "harness-error",
]);

/** Whether a failure means that its trial produced no result. */
export const endedBeforeMeasuring = (reason: FailureReason): boolean => UNMEASURED_KINDS.has(reason.kind);

/** One line for a failure: `bot failed to start: grammy (webhook): exited during start-up (code 3)`. */
export function describeFailure(reason: FailureReason): string {
  return `${FAILURE_LABELS[reason.kind] ?? reason.kind}: ${reason.message}`;
}

/** A failure with the bot's last stderr lines, where it has them, for a report's problems block. */
export function failureDetail(reason: FailureReason): string {
  const tail = "stderrTail" in reason ? reason.stderrTail.trim() : "";
  return tail === ""
    ? describeFailure(reason)
    : `${describeFailure(reason)}\n--- last stderr lines ---\n${tail}`;
}

/** One line for how a trial ended, or null when it completed. */
export function describeOutcome(outcome: TrialOutcome): string | null {
  switch (outcome.kind) {
    case "completed":
      return null;
    case "cancelled":
      return "cancelled (the run was interrupted)";
    case "bot-exited":
      return outcome.message;
  }
}

/** {@link describeOutcome} with the bot's last stderr lines, or null when it completed. */
export function outcomeDetail(outcome: TrialOutcome): string | null {
  const line = describeOutcome(outcome);
  if (line === null || outcome.kind !== "bot-exited" || outcome.stderrTail.trim() === "") return line;
  return `${line}\n--- last stderr lines ---\n${outcome.stderrTail.trim()}`;
}
