/**
 * Reading report.json files of schema tgbench/report@1, so that `tgbench report`, `compare` and
 * the performance job (which compares a base ref's reports with this version's tool) keep working
 * across the change to @2 (and, through upgrade-v2.ts, to @3). @1 kept outcomes as text: a trial's `error` (null, "cancelled" or the
 * message) and a cell's `skipped` (the reason it did not run, "bot failed to start: …" or
 * "trial failed: …" when it failed). This file is the only place that reads those texts; it turns
 * them into the outcomes and statuses of @2 once, when a report is read; upgrade-v2.ts takes it on
 * from there.
 */
import { attemptedCellStatus } from "./cell-status.ts";
import type { FailureReason, TrialOutcome, UnsupportedReason } from "./outcome.ts";
import type { Report } from "./run-report.ts";
import type { TrialResult } from "./trial-result.ts";
import { REPORT_SCHEMA_V2, upgradeReportV2, type V2Cell, type V2Trial } from "./upgrade-v2.ts";

/** The schema tag of the reports this file upgrades. */
export const REPORT_SCHEMA_V1 = "tgbench/report@1";

type V1Trial = Omit<V2Trial, "outcome"> & { error: string | null };
type V1Cell = Omit<V2Cell, "trials" | "status" | "reason" | "reasons"> & {
  trials: V1Trial[];
  skipped: string | null;
};

/** An @1 report (already checked to have cells with trials) as a current one, by way of @2 and @3. */
export function upgradeReportV1(data: Record<string, unknown>): Report {
  const cells = (data.cells as V1Cell[]).map(upgradeCell);
  return upgradeReportV2({ ...data, schema: REPORT_SCHEMA_V2, cells });
}

/** The status of an @1 cell, from its trials' figures alone (no timeline check: @1 had none). */
const statusOf = (trials: readonly V2Trial[], unmeasured: FailureReason[]) =>
  attemptedCellStatus(
    trials.map((t) => ({ ...t, timelineCheck: null }) as unknown as TrialResult),
    unmeasured,
  );

function upgradeCell(cell: V1Cell): V2Cell {
  const { skipped, trials: v1Trials, ...base } = cell;
  const trials = v1Trials.map(upgradeTrial);
  if (skipped === null || skipped === undefined) return { ...base, trials, ...statusOf(trials, []) };
  const [line = "", ...rest] = skipped.split("\n");
  const stderrTail = rest.filter((l) => !l.startsWith("--- last stderr")).join("\n");
  const trial = trials.length + 1;
  let failure: FailureReason | undefined;
  if (line.startsWith("bot failed to start: ")) {
    failure = { kind: "bot-failed-to-start", trial, message: line.slice(21), stderrTail };
  } else if (line.startsWith("trial failed: ")) {
    failure = { kind: "warm-up-failed", trial, message: line.slice(14), exit: null, stderrTail };
  }
  if (failure !== undefined) return { ...base, trials, ...statusOf(trials, [failure]) };
  return { ...base, trials: [], status: "unsupported", reason: unsupportedReason(skipped) };
}

function unsupportedReason(text: string): UnsupportedReason {
  if (text.startsWith("Python unavailable")) return { kind: "runtime-unavailable", message: text };
  if (text.includes("cannot short-poll")) return { kind: "poll-timeout-fixed", message: text };
  return { kind: "mode-not-supported", message: text };
}

function upgradeTrial(trial: V1Trial): V2Trial {
  const { error, ...figures } = trial;
  let outcome: TrialOutcome;
  if (error === null || error === undefined) outcome = { kind: "completed" };
  else if (error === "cancelled") outcome = { kind: "cancelled" };
  else {
    const [message = "", ...stderr] = error.split("\n");
    outcome = { kind: "bot-exited", message, exit: null, stderrTail: stderr.join("\n") };
  }
  return { ...figures, outcome };
}
