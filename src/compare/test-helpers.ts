/**
 * Builders of TrialResult, CellResult and Report objects for compare's tests, on top of the
 * renderers' fixtures (report/report-fixtures.ts): a fixture trial of the reference bot in webhook
 * mode at 50/s for 1 s, whose figures compare judges are those of a real trial from `tgbench run`
 * unless a test overrides them.
 */
import { fixtureCell, fixtureReport, fixtureTrial, latencyRecord } from "../report/report-fixtures.ts";
import type {
  CellResult,
  FailureReason,
  ModeName,
  Report,
  TrialOutcome,
  TrialResult,
  UnsupportedReason,
} from "../results/index.ts";

/** The figures compare judges, per trial. Anything left out keeps the template's value. */
export interface TrialFigures {
  p50Us?: number;
  p99Us?: number;
  requestsPerUpdate?: number;
  bytesPerUpdate?: number;
  botCpuUsPerUpdate?: number | null;
  botPeakRssBytes?: number | null;
  answeredPerSecond?: number;
  answered?: number;
  /** Default: completed. */
  outcome?: TrialOutcome;
}

/** The template: the figures of a real trial (reference bot, webhook, 50/s, 1 s) from `tgbench run`. */
const TEMPLATE = {
  p50Us: 4171,
  p99Us: 30527,
  requestsPerUpdate: 2,
  bytesPerUpdate: 1262.3,
  botCpuUsPerUpdate: 3518.5,
  botPeakRssBytes: 103411712,
  answeredPerSecond: 55.4,
  answered: 54,
} as const;

/** One trial with the template's figures, and `figures` where given. */
export function makeTrial(trial: number, figures: TrialFigures = {}): TrialResult {
  const answered = figures.answered ?? TEMPLATE.answered;
  const p50Us = figures.p50Us ?? TEMPLATE.p50Us;
  const fixture = fixtureTrial(REFERENCE_WEBHOOK_50.mode, REFERENCE_WEBHOOK_50.ratePerSecond, {
    trial,
    generated: answered,
    answered,
    durationSeconds: 1,
    p50Us,
    botPeakRssBytes:
      figures.botPeakRssBytes === undefined ? TEMPLATE.botPeakRssBytes : figures.botPeakRssBytes,
    ...(figures.outcome === undefined ? {} : { outcome: figures.outcome }),
  });
  const { latency, requests, throughput, cost } = fixture;
  return {
    ...fixture,
    seed: `tgbench/${trial}`,
    // A real histogram with these p50 and p99 (at its 0.1 % resolution): compare pools histograms.
    latency: {
      ...latency,
      endToEnd: latencyRecord(p50Us, (figures.p99Us ?? TEMPLATE.p99Us) / p50Us, answered),
    },
    requests: {
      ...requests,
      perAnsweredUpdate: {
        ...requests.perAnsweredUpdate,
        requests: figures.requestsPerUpdate ?? TEMPLATE.requestsPerUpdate,
        bytes: figures.bytesPerUpdate ?? TEMPLATE.bytesPerUpdate,
      },
    },
    throughput: { ...throughput, answeredPerSecond: figures.answeredPerSecond ?? TEMPLATE.answeredPerSecond },
    cost: {
      ...cost,
      botCpuUsPerUpdate:
        figures.botCpuUsPerUpdate === undefined ? TEMPLATE.botCpuUsPerUpdate : figures.botCpuUsPerUpdate,
    },
  };
}

/** Which cell: bot, mode and rate. */
export interface CellIdentity {
  bot: string;
  mode: ModeName;
  ratePerSecond: number;
}

/** The cell compare's tests use unless they need several. */
export const REFERENCE_WEBHOOK_50: CellIdentity = { bot: "reference", mode: "webhook", ratePerSecond: 50 };

/** A cell with these trials (unsupported, or failed, when `problem` says so; see fixtureCell). */
export function makeCell(
  identity: CellIdentity,
  trials: TrialResult[],
  problem: UnsupportedReason | FailureReason | null = null,
): CellResult {
  return fixtureCell(identity.bot, identity.mode, identity.ratePerSecond, trials, problem);
}

/** One trial per entry of `figures`, numbered from 1. */
export const makeTrials = (figures: readonly TrialFigures[]): TrialResult[] =>
  figures.map((f, i) => makeTrial(i + 1, f));

/** A cell whose trials have these values of one figure (everything else from the template). */
export function cellWith(
  identity: CellIdentity,
  figure: keyof TrialFigures,
  values: readonly (number | null)[],
): CellResult {
  return makeCell(identity, makeTrials(values.map((v) => ({ [figure]: v }))));
}

/** A report of these cells, its scenario 1 s long like the trials; `overrides` replace top-level fields. */
export function makeReport(cells: CellResult[], overrides: Partial<Report> = {}): Report {
  const report = fixtureReport(cells);
  return { ...report, scenario: { ...report.scenario, durationMs: 1000 }, ...overrides };
}

/** `center` scaled by each relative offset: spread(100, [-0.05, 0, 0.05]) → [95, 100, 105]. */
export const spread = (center: number, offsets: readonly number[]): number[] =>
  offsets.map((o) => center * (1 + o));

/** Five trials' worth of ±6 % noise, in an unsorted order as runs produce them. */
export const NOISE_5 = [0.03, -0.06, 0.06, 0, -0.03] as const;
