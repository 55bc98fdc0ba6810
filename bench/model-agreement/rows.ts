/**
 * Measured against modelled, figure by figure, with the measurement's sampling uncertainty and
 * the issue's targets (empty share within 2 percentage points or 2σ; mean delivery wait and p50
 * latency within 10% or 2 ms; throughput ceiling within 10%). Pure: the caller prints.
 *
 * A trial is judged against the model given its own schedule (replay.ts): the runner's arrivals,
 * regenerated from the trial's seed, replayed in the model's simulation 20 times with everything
 * else drawn anew. One trial of 60 updates is one draw of arrivals; the model's figure over all
 * schedules (what the report shows, printed beside as "report's model") can be 2–3σ from it, and
 * the same seed gives the same draw every run. σ is the replays' spread from run to run. Where a
 * cell has too few updates for 10% to be within that noise (a mean of 3 waits), the wait and
 * latency targets also allow 2σ, as the empty share's does; each row says which allowance it
 * passed by (`by`), so that those cells are counted apart.
 */
import {
  AGREEMENT_TARGETS,
  type AgreementTarget,
  type ModelInput,
  withinTarget,
} from "../../src/model/index.ts";
import { cellLabel } from "../../src/report/figures.ts";
import type { CellResult, Report, TrialResult } from "../../src/results/index.ts";
import {
  cellModelInput,
  latenessInput,
  predictTrialLike,
  warmConnections,
} from "../../src/runner/cell-model.ts";
import { modelInputFor, trialLikeRun, unmodelledReason } from "./cell-input.ts";
import { replayTrial } from "./replay.ts";

/** One figure of one trial. */
export interface AgreementRow {
  cell: string;
  trial: number;
  figure: string;
  /** How many measurements the figure is made of (polls for the empty share, updates otherwise). */
  samples: number;
  measured: number;
  model: number;
  /** Where the model's figure came from. */
  source: string;
  difference: number;
  /** Standard error of the measurement (from the model's distribution and the measured count); NaN when unknown. */
  standardError: number;
  /** Whether the difference is within the target; null for figures without one. */
  within: boolean | null;
  /** `target`: within the fixed allowance (2 pp, 10% or 2 ms); `2σ`: only within twice the sampling error. */
  by: "target" | "2σ" | null;
  /** The target it was judged against (null for figures without one), for the family-wise reading (family-wise.ts). */
  target: AgreementTarget | null;
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

/** The targets as judged here: the issue's, with 2σ of sampling noise allowed for waits and latency too. */
export const BENCH_TARGETS = {
  emptyShare: AGREEMENT_TARGETS.emptyShare,
  deliveryWaitMeanMs: { ...AGREEMENT_TARGETS.deliveryWaitMeanMs, sigmas: 2 },
  endToEndP50Ms: { ...AGREEMENT_TARGETS.endToEndP50Ms, sigmas: 2 },
  throughputCeilingPerSecond: AGREEMENT_TARGETS.throughputCeilingPerSecond,
} as const satisfies Record<string, AgreementTarget>;

/** The model input of a trial: the runner's stored one, or one built from the cell (older reports). */
export type InputFor = (report: Report, cell: CellResult, trial: TrialResult) => ModelInput;

/**
 * The runner's input for the cell (src/runner/cell-model.ts: the one it stores with its prediction,
 * or the same built now for a cell run without one), with this trial's own lateness; one built
 * from the cell's settings for reports before @4.
 */
export const storedInput: InputFor = (report, cell, trial) => {
  const lateness = latenessInput([trial]);
  const stored = cell.prediction?.input;
  if (stored != null) return { ...stored, injectionLatencyMs: lateness };
  const subject = report.scenario.subjects.find((s) => s.name === cell.bot);
  const runnerCell =
    subject === undefined || cell.network === undefined
      ? null
      : { subject, mode: cell.mode, ratePerSecond: cell.ratePerSecond, network: cell.network };
  const input = runnerCell === null ? null : cellModelInput(report.scenario, runnerCell, lateness);
  return input ?? modelInputFor(report, cell, trial);
};

interface RowSpec {
  figure: string;
  samples: number;
  measured: number | null;
  model: number | null;
  source: string;
  standardError: number;
  target: AgreementTarget | null;
}

function row(cell: string, trial: number, spec: RowSpec): AgreementRow | null {
  const { measured, model, target } = spec;
  // An unknown sampling error allows nothing beyond the fixed target.
  const standardError = Number.isFinite(spec.standardError) ? spec.standardError : 0;
  if (measured === null || model === null || !Number.isFinite(measured) || !Number.isFinite(model))
    return null;
  const within = target === null ? null : withinTarget(measured, model, target, standardError);
  const byTarget =
    target === null ? null : withinTarget(measured, model, { ...target, sigmas: 0 }, standardError);
  return {
    cell,
    trial,
    figure: spec.figure,
    samples: spec.samples,
    measured,
    model,
    source: spec.source,
    difference: measured - model,
    standardError: spec.standardError,
    within,
    by: within === true ? (byTarget ? "target" : "2σ") : null,
    target,
  };
}

/** Answered per second below this share of offered per second: the cell ran at its ceiling. */
const LIMITED_BELOW = 0.9;

/**
 * Whether the trial measured its throughput ceiling: it answered clearly fewer updates per second
 * than were offered (not merely "not sustained", which a backlog of a few held polls also makes).
 */
function throughputLimited(trial: TrialResult): boolean {
  const { offeredPerSecond, answeredPerSecond } = trial.throughput;
  return (
    offeredPerSecond !== null &&
    answeredPerSecond !== null &&
    answeredPerSecond < LIMITED_BELOW * offeredPerSecond
  );
}

/** The rows of one trial against the model of `input`. */
export function trialRows(
  report: Report,
  cell: CellResult,
  trial: TrialResult,
  input: ModelInput,
  label = cellLabel(cell),
): AgreementRow[] {
  // The model as the report shows it (the cell's expected figures, over all schedules) …
  const { model } = predictTrialLike(input, {
    ...trialLikeRun(report, trial),
    seed: trial.seed,
    openConnectionsAtStart: warmConnections(trial),
  });
  // … and given this trial's own schedule, which is what it is judged against.
  const replay = replayTrial(input, report, cell, trial);
  const f = model.figures;
  const answered = trial.ledger.answered;
  const ms = (us: number | null) => (us === null ? null : us / 1_000);
  const polls = trial.requests.getUpdates;
  const answeredPolls = trial.requests.getUpdatesAnswered ?? polls;
  const windowMs = trial.window.windowMs;
  const pollsPerHour = windowMs > 0 ? (polls / windowMs) * 3_600_000 : null;
  const fmt = (x: number | null) =>
    x === null || !Number.isFinite(x) ? "–" : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2);
  const source = (reportFigure: number | null) => `replay; report's model ${fmt(reportFigure)}`;
  const specs: Array<RowSpec | null> = [
    cell.mode === "webhook"
      ? null
      : {
          figure: "empty share",
          samples: answeredPolls,
          measured: trial.requests.emptyShare,
          model: replay.emptyShare.value,
          source: source(f.emptyShare),
          standardError: replay.emptyShare.spread,
          target: BENCH_TARGETS.emptyShare,
        },
    cell.mode === "webhook"
      ? null
      : {
          figure: "polls / hour",
          samples: polls,
          measured: pollsPerHour,
          model: replay.pollsPerHour.value,
          source: source(f.pollsPerHour),
          standardError: replay.pollsPerHour.spread,
          target: null,
        },
    {
      figure: "requests / update",
      samples: answered,
      measured: trial.requests.perAnsweredUpdate.requests,
      model: replay.requestsPerAnsweredUpdate.value,
      source: source(f.requestsPerAnsweredUpdate),
      standardError: replay.requestsPerAnsweredUpdate.spread,
      target: null,
    },
    {
      figure: "delivery wait, mean (ms)",
      samples: trial.latency.deliveryWait.count,
      measured: trial.latency.deliveryWait.count > 0 ? ms(trial.latency.deliveryWait.meanUs) : null,
      model: replay.deliveryWaitMeanMs.value,
      source: source(f.deliveryWaitMs.meanMs),
      standardError: replay.deliveryWaitMeanMs.spread,
      target: BENCH_TARGETS.deliveryWaitMeanMs,
    },
    {
      figure: "end to end, p50 (ms)",
      samples: trial.latency.endToEnd.count,
      measured: trial.latency.endToEnd.count > 0 ? ms(trial.latency.endToEnd.p50Us) : null,
      model: replay.endToEndP50Ms.value,
      source: source(f.endToEndMs.p50Ms),
      standardError: replay.endToEndP50Ms.spread,
      target: BENCH_TARGETS.endToEndP50Ms,
    },
    {
      figure: "end to end, p99 (ms)",
      samples: trial.latency.endToEnd.count,
      measured: trial.latency.endToEnd.count > 0 ? ms(trial.latency.endToEnd.p99Us) : null,
      model: replay.endToEndP99Ms.value,
      source: source(f.endToEndMs.p99Ms),
      standardError: Number.NaN,
      target: null,
    },
    // The ceiling is only measured where the cell ran past it: fewer answered than offered.
    !throughputLimited(trial)
      ? null
      : {
          figure: "throughput ceiling (/s)",
          samples: answered,
          measured: trial.throughput.answeredPerSecond,
          model: f.throughputCeilingPerSecond,
          source: model.sources.throughputCeilingPerSecond,
          standardError: Number.NaN,
          target: BENCH_TARGETS.throughputCeilingPerSecond,
        },
  ];
  return specs
    .filter((spec): spec is RowSpec => spec !== null)
    .map((spec) => row(label, trial.trial, spec))
    .filter((r): r is AgreementRow => r !== null);
}

/** Every completed trial of every cell against the model (`inputFor`: the model's input per trial). */
export function agreementOf(report: Report, inputFor: InputFor = storedInput): Agreement {
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
      rows.push(...trialRows(report, cell, trial, inputFor(report, cell, trial)));
    }
  }
  return summarise(rows, skipped);
}

/** Counts the rows with a target and those within it. */
export function summarise(rows: AgreementRow[], skipped: SkippedCell[] = []): Agreement {
  const targeted = rows.filter((r) => r.within !== null);
  return { rows, skipped, targeted: targeted.length, withinTargets: targeted.filter((r) => r.within).length };
}
