/**
 * How much a cell measured, and whether that is enough for each kind of figure: a latency
 * percentile needs at least {@link EVIDENCE_MINIMUMS.latencyUpdates} answered updates, an empty
 * share or a request rate at least {@link EVIDENCE_MINIMUMS.polls} polls or requests. Below that a
 * report shows the model's figure instead, marked as the model's.
 */
import { pooledTrials } from "../results/index.ts";
import type { CellSummary } from "./cell-summary.ts";

/** The fewest samples behind a figure that reports state as measured. */
export const EVIDENCE_MINIMUMS = {
  /** Answered updates behind a latency percentile. */
  latencyUpdates: 100,
  /** getUpdates calls behind an empty share; requests behind a request rate. */
  polls: 30,
} as const;

/** What a cell measured, summed over the trials its figures come from. */
export interface CellEvidence {
  trials: number;
  /** Answered updates with a latency. */
  updates: number;
  /** getUpdates answered (what an empty share is a share of). */
  polls: number;
  /** Requests of every kind, both directions. */
  requests: number;
  /** Measured windows, summed, ms. */
  windowMs: number;
  /** Enough updates for a latency percentile. */
  latencyEnough: boolean;
  /** Enough polls for an empty share. */
  pollsEnough: boolean;
  /** Enough requests for a request rate. */
  requestsEnough: boolean;
}

/** The evidence of one cell. */
export function cellEvidence(summary: CellSummary): CellEvidence {
  const trials = pooledTrials(summary.cell.trials);
  const sum = (pick: (t: (typeof trials)[number]) => number) => trials.reduce((s, t) => s + pick(t), 0);
  const updates = summary.latencyEstimates?.count ?? 0;
  // The empty share is of the answered polls (older reports: of every poll received).
  const polls = sum((t) => t.requests.getUpdatesAnswered ?? t.requests.getUpdates);
  const requests = sum((t) => t.requests.total);
  return {
    trials: trials.length,
    updates,
    polls,
    requests,
    windowMs: sum((t) => t.window.windowMs),
    latencyEnough: updates >= EVIDENCE_MINIMUMS.latencyUpdates,
    pollsEnough: polls >= EVIDENCE_MINIMUMS.polls,
    requestsEnough: requests >= EVIDENCE_MINIMUMS.polls,
  };
}

/** `1 trial, 3.0 s: 612 updates, 40 polls` */
export function evidenceWords(e: CellEvidence): string {
  const seconds = (e.windowMs / 1000).toFixed(1);
  const parts = [`${e.updates} update${e.updates === 1 ? "" : "s"}`];
  if (e.polls > 0) parts.push(`${e.polls} poll${e.polls === 1 ? "" : "s"}`);
  return `${e.trials} trial${e.trials === 1 ? "" : "s"}, ${seconds} s: ${parts.join(", ")}`;
}
