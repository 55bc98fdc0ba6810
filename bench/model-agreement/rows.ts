/**
 * Measured against modelled, figure by figure, with the measurement's sampling uncertainty and
 * the targets (empty share within 2 percentage points or 2σ; mean delivery wait and p50
 * latency within 10% or 2 ms; throughput ceiling within 10%). Pure: the caller prints.
 */
import {
  AGREEMENT_TARGETS,
  type AgreementTarget,
  emptyShareStandardError,
  type ModelPrediction,
  meanStandardError,
  predict,
  quantileInterval,
  simulate,
  withinTarget,
} from "../../src/model/index.ts";
import { cellLabel } from "../../src/report/figures.ts";
import type { CellResult, Report, TrialResult } from "../../src/results/index.ts";
import { modelInputFor, trialLikeRun, unmodelledReason } from "./cell-input.ts";

/** One figure of one trial. */
export interface AgreementRow {
  cell: string;
  trial: number;
  figure: string;
  measured: number;
  model: number;
  /** Where the model's figure came from. */
  source: string;
  difference: number;
  /** Standard error of the measurement (from the model's distribution and the measured count); NaN when unknown. */
  standardError: number;
  /** Whether the difference is within the target; null for figures without one. */
  within: boolean | null;
}

/** A cell the model could not be compared with, and why. */
export interface SkippedCell {
  cell: string;
  reason: string;
}

export interface Agreement {
  rows: AgreementRow[];
  skipped: SkippedCell[];
  /** Rows with a target, and how many of them are within it. */
  targeted: number;
  withinTargets: number;
}

/** Updates the steady-state simulation uses for the model's spread (independent of the trial's length). */
const SPREAD_UPDATES = 4_000;

function row(
  cell: string,
  trial: number,
  figure: string,
  measured: number | null,
  model: number | null,
  source: string,
  standardError: number,
  target: AgreementTarget | null,
): AgreementRow | null {
  if (measured === null || model === null || !Number.isFinite(measured) || !Number.isFinite(model))
    return null;
  return {
    cell,
    trial,
    figure,
    measured,
    model,
    source,
    difference: measured - model,
    standardError,
    within: target === null ? null : withinTarget(measured, model, target, standardError),
  };
}

function trialRows(report: Report, cell: CellResult, trial: TrialResult): AgreementRow[] {
  const label = cellLabel(cell);
  const input = modelInputFor(report, cell, trial);
  const steady = predict(input, { simulation: { updates: SPREAD_UPDATES, seed: trial.seed } });
  const ceiling = steady.figures.throughputCeilingPerSecond ?? Number.POSITIVE_INFINITY;
  // Past its ceiling a cell never reaches a steady state: compare with a simulated trial of the same length.
  const overloaded = cell.ratePerSecond >= ceiling;
  const model: ModelPrediction = overloaded
    ? predict(input, { simulation: trialLikeRun(report, trial) })
    : steady;
  const spread = model.simulation ?? simulate(input, { updates: SPREAD_UPDATES, seed: trial.seed });
  const answered = trial.ledger.answered;
  const f = model.figures;
  const s = model.sources;
  const ms = (us: number) => us / 1_000;
  const sortedE2e = [...spread.samples.endToEndMs].sort((a, b) => a - b);
  const p50Interval = quantileInterval(sortedE2e, 0.5, answered);
  const rows = [
    cell.mode === "webhook"
      ? null
      : row(
          label,
          trial.trial,
          "empty share",
          trial.requests.getUpdates > 0 ? trial.requests.emptyShare : null,
          f.emptyShare,
          s.emptyShare,
          emptyShareStandardError(f.emptyShare ?? 0, trial.requests.getUpdates),
          AGREEMENT_TARGETS.emptyShare,
        ),
    cell.mode === "webhook"
      ? null
      : row(
          label,
          trial.trial,
          "polls / hour",
          (trial.requests.getUpdates / trial.measuredMs) * 3_600_000,
          f.pollsPerHour,
          s.pollsPerHour,
          ((trial.requests.getUpdates / trial.measuredMs) * 3_600_000) /
            Math.sqrt(Math.max(1, trial.requests.getUpdates)),
          null,
        ),
    row(
      label,
      trial.trial,
      "requests / update",
      trial.requests.perAnsweredUpdate.requests,
      f.requestsPerAnsweredUpdate,
      s.requestsPerAnsweredUpdate,
      trial.requests.getUpdates / Math.max(1, answered) / Math.sqrt(Math.max(1, answered)),
      null,
    ),
    row(
      label,
      trial.trial,
      "delivery wait, mean (ms)",
      trial.latency.deliveryWait.count > 0 ? ms(trial.latency.deliveryWait.meanUs) : null,
      f.deliveryWaitMs.meanMs,
      s.deliveryWaitMs.meanMs,
      meanStandardError(spread.samples.deliveryWaitMs, answered),
      AGREEMENT_TARGETS.deliveryWaitMeanMs,
    ),
    row(
      label,
      trial.trial,
      "end to end, p50 (ms)",
      trial.latency.endToEnd.count > 0 ? ms(trial.latency.endToEnd.p50Us) : null,
      f.endToEndMs.p50Ms,
      s.endToEndMs.p50Ms,
      p50Interval === null ? Number.NaN : (p50Interval.highMs - p50Interval.lowMs) / 4,
      AGREEMENT_TARGETS.endToEndP50Ms,
    ),
    row(
      label,
      trial.trial,
      "end to end, p99 (ms)",
      trial.latency.endToEnd.count > 0 ? ms(trial.latency.endToEnd.p99Us) : null,
      f.endToEndMs.p99Ms,
      s.endToEndMs.p99Ms,
      Number.NaN,
      null,
    ),
    // The ceiling is only measured where the cell ran past it.
    trial.throughput.sustained
      ? null
      : row(
          label,
          trial.trial,
          "throughput ceiling (/s)",
          trial.throughput.answeredPerSecond,
          f.throughputCeilingPerSecond,
          s.throughputCeilingPerSecond,
          Number.NaN,
          AGREEMENT_TARGETS.throughputCeilingPerSecond,
        ),
  ];
  return rows.filter((r): r is AgreementRow => r !== null);
}

/** Every trial of every cell against the model. */
export function agreementOf(report: Report): Agreement {
  const rows: AgreementRow[] = [];
  const skipped: SkippedCell[] = [];
  for (const cell of report.cells) {
    const reason = unmodelledReason(report, cell);
    if (reason !== null) {
      skipped.push({ cell: cellLabel(cell), reason });
      continue;
    }
    for (const trial of cell.trials) {
      if (trial.outcome.kind !== "completed") continue;
      rows.push(...trialRows(report, cell, trial));
    }
  }
  const targeted = rows.filter((r) => r.within !== null);
  return { rows, skipped, targeted: targeted.length, withinTargets: targeted.filter((r) => r.within).length };
}
