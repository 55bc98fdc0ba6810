/**
 * Outcomes as data: how a trial ended, why a cell could not run, and why a cell failed. Renderers
 * and the CLI branch on `kind`, never on message text; `message` is the one-line human account
 * and `stderrTail` the bot's last stderr lines, both shown as they are.
 */

import { constants } from "node:os";
import { type ApiActivity, type ApiErrorSample, describeActivity } from "./api-activity.ts";
import type { ModeName } from "./mode-name.ts";
import type { ObservedMode } from "./trial-behaviour.ts";
import type { TimelineMismatch } from "./trial-result.ts";

/** How a bot process ended: its exit code, or the signal that killed it (both null: never ran). */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/**
 * `code 3`, `SIGKILL`, or `still running`. A shell reports a command killed by a signal as code
 * 128 + the signal's number; that is named too (`code 143 (SIGTERM)`).
 */
export function exitText(exit: ExitStatus | null | undefined): string {
  if (exit === undefined || exit === null) return "still running";
  if (exit.signal !== null) return exit.signal;
  const byShell = exit.code !== null && exit.code > 128 ? SIGNAL_NAMES.get(exit.code - 128) : undefined;
  return `code ${exit.code}${byShell === undefined ? "" : ` (${byShell})`}`;
}

/** How one measured trial ended. Its figures cover what happened until then. */
export type TrialOutcome =
  /** The schedule ran to its end and the drain finished (or timed out). */
  | { kind: "completed" }
  /** The bot process exited while it was being measured; the schedule stopped feeding it. */
  | {
      kind: "bot-exited";
      message: string;
      exit: ExitStatus | null;
      stderrTail: string;
      /** What the fake API saw the bot do in the measured window (absent in older reports). */
      activity?: ApiActivity;
    }
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

/** What a failure that concerns the bot process says about it (absent in older reports). */
interface BotAccount {
  /** What the fake API saw the bot do (since it started, or in the measured window). */
  activity?: ApiActivity;
}

/** The bot did not become ready: it exited, timed out or could not be spawned. */
export interface StartFailure extends FailureBase, BotAccount {
  kind: "bot-failed-to-start";
  /** Set when the bot process had exited. */
  exit?: ExitStatus | null;
  stderrTail: string;
}

/** The bot started but did not answer the (unmeasured) warm-up updates in time, or died during it. */
export interface WarmUpFailure extends FailureBase, BotAccount {
  kind: "warm-up-failed";
  /** Set when the bot process had exited. */
  exit: ExitStatus | null;
  stderrTail: string;
}

/** The bot process exited while it was measured (the trial's outcome is `bot-exited` too). */
export interface BotExitedFailure extends FailureBase, BotAccount {
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
 * Correctness: the bot was handed updates and answered none of them. (`replies` counts the
 * messages it sent that answered no update.)
 */
export interface NoRepliesFailure extends FailureBase {
  kind: "no-replies";
  /** Updates handed to the bot in the measured window. */
  received: number;
  /** Messages it sent that matched no update. */
  unmatched: number;
}

/**
 * Correctness: the bot answered fewer updates than it was handed, with no reason in the ledger
 * (none expired, none still queued): after the schedule it left updates unanswered and sent no
 * answer for `quietMs`, so it was no longer working on them.
 */
export interface UnansweredFailure extends FailureBase {
  kind: "unanswered";
  received: number;
  answered: number;
  /** Handed over and never answered. */
  unanswered: number;
  /** How long before the end of the drain its last answer came (or the schedule ended), ms. */
  quietMs: number;
}

/** Correctness: the bot answered some updates more than once. */
export interface DuplicateRepliesFailure extends FailureBase {
  kind: "duplicate-replies";
  /** Replies to updates that were already answered. */
  duplicates: number;
}

/** Correctness: the bot sent messages that answer no update it was sent. */
export interface UnmatchedRepliesFailure extends FailureBase {
  kind: "unmatched-replies";
  unmatched: number;
}

/** Correctness: most of the bot's API calls were answered with an error. */
export interface ApiErrorsFailure extends FailureBase {
  kind: "api-errors";
  calls: number;
  errors: number;
  /** The first few, with Telegram's descriptions. */
  firstErrors: ApiErrorSample[];
}

/**
 * The bot did not use the mode its cell asked for: from what the fake API saw (getUpdates
 * timeouts and intervals, webhook POSTs), e.g. "asked for short polling, saw getUpdates with
 * timeout 50". Its figures would be another mode's.
 */
export interface ModeMismatchFailure extends FailureBase {
  kind: "mode-mismatch";
  expected: ModeName;
  observed: ObservedMode;
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
  | HarnessFailure
  | NoRepliesFailure
  | UnansweredFailure
  | DuplicateRepliesFailure
  | UnmatchedRepliesFailure
  | ApiErrorsFailure
  | ModeMismatchFailure;

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
  "no-replies": "replied to nothing",
  unanswered: "left updates unanswered",
  "duplicate-replies": "duplicate replies",
  "unmatched-replies": "unmatched replies",
  "api-errors": "mostly API errors",
  "mode-mismatch": "wrong mode",
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

/**
 * A failure in one block, for the terminal and a report's problems list: the line of
 * {@link describeFailure}, then what the fake API saw the bot do (calls by method, last call, API
 * errors, failed webhook POSTs) and the bot's last stderr lines, where the failure has them.
 */
export function failureDetail(reason: FailureReason): string {
  const activity = "activity" in reason ? reason.activity : undefined;
  const tail = "stderrTail" in reason ? reason.stderrTail : "";
  return detailBlock(describeFailure(reason), activity, tail);
}

function detailBlock(line: string, activity: ApiActivity | undefined, stderrTail: string): string {
  const lines = [line, ...(activity === undefined ? [] : describeActivity(activity).map((l) => `  ${l}`))];
  const tail = stderrTail.trim();
  if (tail !== "") lines.push("--- last stderr lines ---", tail);
  return lines.join("\n");
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

/** {@link describeOutcome} with what the fake API saw and the bot's last stderr lines, or null when it completed. */
export function outcomeDetail(outcome: TrialOutcome): string | null {
  const line = describeOutcome(outcome);
  if (line === null || outcome.kind !== "bot-exited") return line;
  return detailBlock(line, outcome.activity, outcome.stderrTail);
}
