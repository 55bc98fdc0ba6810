/**
 * Builders of TrialResult, CellResult and Report objects for compare's tests. The template is a
 * real trial (reference bot, webhook, 50/s, 1 s) from `tgbench run`, with its timeline dropped;
 * tests override only the figures compare reads.
 */
import type { ModeName } from "../runner/modes.ts";
import { type CellResult, REPORT_SCHEMA, type Report, type TrialResult } from "../runner/results.ts";
import type { ResolvedScenario } from "../runner/scenario.ts";

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
  error?: string | null;
}

const latency = (p50Us: number, p99Us: number) => ({
  count: 54,
  minUs: 1079,
  meanUs: 6824,
  p50Us,
  p90Us: Math.round((p50Us + p99Us) / 2),
  p99Us,
  p999Us: p99Us,
  maxUs: p99Us,
});

/** One trial with the template's figures, and `figures` where given. */
export function makeTrial(trial: number, figures: TrialFigures = {}): TrialResult {
  const answered = figures.answered ?? 54;
  const p50Us = figures.p50Us ?? 4171;
  const p99Us = figures.p99Us ?? 30527;
  return {
    trial,
    seed: `tgbench/${trial}`,
    startedAt: "2026-11-28T01:02:56.427Z",
    measuredMs: 974.4,
    scheduleMs: 953.6,
    ledger: {
      generated: answered,
      notInjected: 0,
      filtered: 0,
      answered,
      deliveredUnanswered: 0,
      pending: 0,
      expired: 0,
      dropped: 0,
      accounted: answered,
      discrepancy: 0,
      invalidFields: [],
      balanced: true,
    },
    latency: {
      endToEnd: latency(p50Us, p99Us),
      endToEndRaw: latency(2213, 28639),
      deliveryWait: latency(865, 11407),
      botTime: latency(2083, 28495),
    },
    generator: { lateness: latency(667, 11279), lateOver1Ms: 21 },
    requests: {
      total: 108,
      getUpdates: 0,
      emptyGetUpdates: 0,
      emptyShare: 0,
      webhookPosts: 54,
      perAnsweredUpdate: {
        requests: figures.requestsPerUpdate ?? 2,
        emptyRequests: 0,
        bytes: figures.bytesPerUpdate ?? 1262.3,
      },
      perHour: { requests: 399000.6, emptyRequests: 0, bytes: 251828500.9 },
      bytesIn: 7286,
      bytesOut: 42520,
    },
    throughput: {
      offeredPerSecond: 56.6,
      answeredPerSecond: figures.answeredPerSecond ?? 55.4,
      backlogAtScheduleEnd: 1,
      sustained: true,
    },
    cost: {
      botCpuMs: 190,
      botCpuResolutionMs: 10,
      botCpuUsPerUpdate: figures.botCpuUsPerUpdate === undefined ? 3518.5 : figures.botCpuUsPerUpdate,
      botPeakRssBytes: figures.botPeakRssBytes === undefined ? 103411712 : figures.botPeakRssBytes,
      tcpConnectionsOpened: 1,
      webhookConnectionsOpened: 2,
      harnessCpuMs: 175.7,
      harnessCpuUsPerUpdate: 3253.7,
    },
    matching: {
      matched: answered,
      byReplyTo: answered,
      byText: 0,
      byFirstUnanswered: 0,
      byCallbackId: 0,
      duplicates: 0,
      unmatched: 0,
    },
    webhook: { attempts: 54, retries: 0, failures: 0 },
    counters: {
      requestsByMethod: { sendmessage: 54 },
      errorsByStatus: {},
      getUpdatesCalls: 0,
      emptyGetUpdates: 0,
      getUpdatesCancelled: 0,
      bytesIn: 7286,
      bytesOut: 42520,
      connectionsOpened: 1,
      conflicts409: 0,
      tooManyRequests429: 0,
      updatesQueued: 54,
      updatesFiltered: 0,
      updatesDeliveredByPolling: 0,
      updatesDeliveredByWebhook: 54,
      updatesExpired: 0,
      updatesDropped: 0,
      webhookAttempts: 54,
      webhookRetries: 0,
      webhookFailures: 0,
      webhookConnectionsOpened: 2,
      webhookBytesOut: 18358,
      webhookBytesIn: 0,
      webhookReplies: 0,
      messagesSent: 54,
    },
    timeline: [],
    error: figures.error ?? null,
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

/** A cell with these trials (or skipped, with no trials, when `skipped` is given). */
export function makeCell(
  identity: CellIdentity,
  trials: TrialResult[],
  skipped: string | null = null,
): CellResult {
  return {
    ...identity,
    framework: identity.bot === "reference" ? "undici" : identity.bot,
    settings: { webhookMaxConnections: 40, webhookReply: false },
    trials,
    skipped,
    prediction: null,
  };
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

const SCENARIO: ResolvedScenario = {
  name: "custom",
  description: "",
  subjects: [],
  modes: ["webhook"],
  ratesPerSecond: [50],
  arrival: "poisson",
  timelineMs: null,
  durationMs: 1000,
  maxUpdates: null,
  warmupUpdates: 5,
  trials: 5,
  seed: "tgbench",
  pollIntervalMs: 1000,
  pollTimeoutSeconds: null,
  webhookMaxConnections: 40,
  webhookReply: false,
  handlerDelayMs: 0,
  antiBusyLoop: true,
  drainTimeoutMs: 5000,
  startupTimeoutMs: 20000,
  users: 200,
  groups: 5,
  mix: { text: 0.85, command: 0.15, callback: 0 },
};

/** A report of these cells on the template machine and scenario; `overrides` replace top-level fields. */
export function makeReport(cells: CellResult[], overrides: Partial<Report> = {}): Report {
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "tgbench", version: "0.1.0" },
    createdAt: "2026-11-28T01:02:55.987Z",
    machine: {
      cpus: 2,
      cpuModel: "AMD EPYC",
      totalMemoryBytes: 25276510208,
      platform: "linux x64",
      node: "v20.20.2",
    },
    scenario: { ...SCENARIO, trials: Math.max(0, ...cells.map((c) => c.trials.length)) },
    cells,
    partial: false,
    ...overrides,
  };
}

/** `center` scaled by each relative offset: spread(100, [-0.05, 0, 0.05]) → [95, 100, 105]. */
export const spread = (center: number, offsets: readonly number[]): number[] =>
  offsets.map((o) => center * (1 + o));

/** Five trials' worth of ±6 % noise, in an unsorted order as runs produce them. */
export const NOISE_5 = [0.03, -0.06, 0.06, 0, -0.03] as const;
