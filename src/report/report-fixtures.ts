/**
 * Reports built in code for the renderers' tests: small hand-made cells for table-driven cases,
 * and {@link realisticReport}, shaped like `npm run bench` output (three bots × three modes ×
 * three rates, an unsupported mode, a failed trial), for the HTML and browser tests. Deterministic.
 */
import { newBotCounters } from "../fake-api/counters.ts";
import { createLatencyHistogram } from "../metrics/latency-histogram.ts";
import { computeLedger } from "../metrics/ledger.ts";
import type { TimelineBucket } from "../metrics/timeline.ts";
import { type ModelInput, predict } from "../model/index.ts";
import { networkPreset } from "../network/index.ts";
import {
  attemptedCellStatus,
  type CellPrediction,
  type CellResult,
  type FailureReason,
  type LatencyRecord,
  type ModeName,
  poolCellLatency,
  REPORT_SCHEMA,
  type Report,
  type ResolvedScenario,
  type StartFailure,
  type TrialOutcome,
  type TrialResult,
  type UnsupportedReason,
} from "../results/index.ts";

/** What a fixture trial looks like; everything else follows from these. */
export interface TrialShape {
  trial?: number;
  /** p50 latency, µs; the other percentiles are multiples of it. */
  p50Us?: number;
  /** p99 / p50. */
  tail?: number;
  generated?: number;
  answered?: number;
  /** Ledger discrepancy: > 0 leaves that many updates unaccounted for. */
  lost?: number;
  getUpdates?: number;
  emptyGetUpdates?: number;
  webhookPosts?: number;
  botCpuMs?: number | null;
  botPeakRssBytes?: number | null;
  sustained?: boolean;
  backlog?: number;
  durationSeconds?: number;
  /** Default: completed. */
  outcome?: TrialOutcome;
}

/** The outcome of a trial that Ctrl-C stopped. */
export const CANCELLED: TrialOutcome = { kind: "cancelled" };

/** The outcome of a trial whose bot exited under measurement. */
export function botExitedOutcome(message: string, stderrTail = ""): TrialOutcome {
  return { kind: "bot-exited", message, exit: { code: 1, signal: null }, stderrTail };
}

/** Why a cell did not run (a bot without that mode). */
export function unsupported(message: string): UnsupportedReason {
  return { kind: "mode-not-supported", message };
}

/** A bot that did not start in trial `trial`. */
export function startFailure(message: string, stderrTail = "", trial = 1): StartFailure {
  return { kind: "bot-failed-to-start", trial, message, stderrTail };
}

/**
 * A real latency histogram of `count` values shaped so that its p50 is `p50Us` and its p99
 * `tail` × p50 (both at the histogram's 0.1 % resolution): values rise from p50/2 to p50 up to the
 * median rank, on to p99 at the 99th-percentile rank, and to 1.3 × p99 at the top.
 */
export function latencyRecord(p50Us: number, tail = 2, count = 100): LatencyRecord {
  const histogram = createLatencyHistogram();
  const p99Us = p50Us * tail;
  const medianRank = Math.ceil(count / 2);
  const p99Rank = Math.max(medianRank, Math.ceil(count * 0.99));
  for (let rank = 1; rank <= count; rank++) {
    let us: number;
    if (rank <= medianRank) us = p50Us * (0.5 + (0.5 * rank) / medianRank);
    else if (rank <= p99Rank) us = p50Us + ((p99Us - p50Us) * (rank - medianRank)) / (p99Rank - medianRank);
    else us = p99Us * (1 + (0.3 * (rank - p99Rank)) / (count - p99Rank));
    histogram.recordUs(us);
  }
  return { ...histogram.summary(), histogram: histogram.encode() };
}

/** A trial of a cell at `ratePerSecond`; shapes not given get plausible defaults. */
export function fixtureTrial(mode: ModeName, ratePerSecond: number, shape: TrialShape = {}): TrialResult {
  const seconds = shape.durationSeconds ?? 4;
  const generated = shape.generated ?? Math.round(ratePerSecond * seconds);
  const answered = shape.answered ?? generated;
  const lost = shape.lost ?? 0;
  const polling = mode !== "webhook";
  const getUpdates = shape.getUpdates ?? (polling ? Math.max(1, Math.round(answered * 0.9)) : 0);
  const emptyGetUpdates = shape.emptyGetUpdates ?? 0;
  const webhookPosts = shape.webhookPosts ?? (polling ? 0 : answered);
  const total = getUpdates + webhookPosts + answered;
  const per = (n: number) => (answered === 0 ? null : n / answered);
  const hourFactor = (3600 * ratePerSecond) / Math.max(1, generated);
  const p50Us = shape.p50Us ?? 2_000;
  const botCpuMs = shape.botCpuMs === undefined ? answered * 1 : shape.botCpuMs;
  const latency = latencyRecord(p50Us, shape.tail ?? 2, answered);
  return {
    trial: shape.trial ?? 1,
    seed: `fixture/${shape.trial ?? 1}`,
    startedAt: "2026-01-02T03:04:05.000Z",
    network: {
      profile: networkPreset("loopback"),
      seed: `fixture/${shape.trial ?? 1}`,
      emulator: "none",
      stats: null,
    },
    window: { windowMs: seconds * 1000, endedBy: "duration", recordedMs: seconds * 1000 + 200 },
    ledger: computeLedger({
      generated,
      notInjected: 0,
      filtered: 0,
      answered,
      deliveredUnanswered: Math.max(0, generated - answered - lost),
      pending: 0,
      expired: 0,
    }),
    latency: {
      endToEnd: latency,
      fromActualSend: latency,
      deliveryWait: latency,
      botTime: latencyRecord(500, 2, answered),
    },
    generator: { lateness: latencyRecord(300, 3, generated), lateOver1Ms: 0 },
    requests: {
      total,
      getUpdates,
      emptyGetUpdates,
      emptyShare: getUpdates === 0 ? null : emptyGetUpdates / getUpdates,
      webhookPosts,
      perAnsweredUpdate: {
        requests: per(total),
        emptyRequests: per(emptyGetUpdates),
        bytes: per(total * 420),
      },
      perHour: {
        requests: total * hourFactor,
        emptyRequests: emptyGetUpdates * hourFactor,
        bytes: total * 420 * hourFactor,
      },
      bytesIn: total * 120,
      bytesOut: total * 300,
    },
    throughput: {
      offeredPerSecond: generated === 0 ? null : generated / seconds,
      answeredPerSecond: generated === 0 ? null : answered / seconds,
      backlogAtWindowEnd: shape.backlog ?? 0,
      sustained: shape.sustained ?? answered === generated,
    },
    cost: {
      botCpuMs,
      botCpuResolutionMs: 10,
      botCpuUsPerUpdate: botCpuMs === null || answered === 0 ? null : (botCpuMs * 1000) / answered,
      botPeakRssBytes: shape.botPeakRssBytes === undefined ? 80 * 1024 * 1024 : shape.botPeakRssBytes,
      tcpConnectionsOpened: 1,
      webhookConnectionsOpened: polling ? 0 : 2,
      harnessCpuMs: answered * 0.1,
      harnessCpuUsPerUpdate: 100,
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
    webhook: { attempts: webhookPosts, retries: 0, failures: 0 },
    counters: newBotCounters(),
    timeline: fixtureTimeline(
      ratePerSecond,
      seconds,
      answered === generated ? 1 : answered / Math.max(1, generated),
      p50Us,
    ),
    // The fixture's timeline is drawn for the charts, not counted event by event: not checked.
    timelineCheck: null,
    outcome: shape.outcome ?? { kind: "completed" },
  };
}

/** Per-second buckets: offered at the rate, answered at `keptUp` of it, latency around `p50Us`. */
function fixtureTimeline(
  ratePerSecond: number,
  seconds: number,
  keptUp: number,
  p50Us: number,
): TimelineBucket[] {
  return Array.from({ length: seconds + 2 }, (_, second) => {
    const inSchedule = second < seconds;
    const wobble = 1 + 0.15 * Math.sin(second * 1.7);
    const offered = inSchedule ? Math.round(ratePerSecond * wobble) : 0;
    const answered = Math.round(offered * keptUp);
    return {
      second,
      offered,
      injected: offered,
      delivered: answered,
      answered,
      expired: 0,
      duplicates: 0,
      unmatched: 0,
      requests: answered * 2,
      getUpdates: answered,
      emptyGetUpdates: 0,
      webhookPosts: 0,
      webhookFailures: 0,
      bytesIn: answered * 120,
      bytesOut: answered * 300,
      pending: 0,
      deliveredUnanswered: 0,
      botCpuMs: 100 + second * 10,
      botRssBytes: 80 * 1024 * 1024,
      harnessCpuMs: 50 + second * 5,
      latencyCount: answered,
      latencyMeanUs: answered > 0 ? p50Us * wobble : null,
      latencyMaxUs: answered > 0 ? p50Us * 2 * wobble : null,
    };
  });
}

/**
 * A cell with the given trials. Its status follows from them (failed when a trial's bot exited or
 * its ledger is off) and from `problem`: unsupported (with no trials) for an
 * {@link UnsupportedReason}, failed for a {@link FailureReason} of an attempt without a trial.
 */
export function fixtureCell(
  bot: string,
  mode: ModeName,
  ratePerSecond: number,
  trials: TrialResult[],
  problem: UnsupportedReason | FailureReason | null = null,
): CellResult {
  const prediction = fixturePrediction(mode, ratePerSecond);
  const network = networkPreset("loopback");
  const base = { bot, framework: bot, mode, ratePerSecond, network, settings: {}, prediction };
  if (problem !== null && !("trial" in problem)) {
    return { ...base, trials: [], latency: null, status: "unsupported", reason: problem };
  }
  return {
    ...base,
    trials,
    latency: poolCellLatency(trials),
    ...attemptedCellStatus(trials, problem === null ? [] : [problem]),
  };
}

/** The model's closed forms for a fixture cell (short polling every 1 s, long polling 30 s, webhook), on loopback. */
export function fixturePrediction(mode: ModeName, ratePerSecond: number): CellPrediction {
  const input: ModelInput & { bot: string } = {
    ratePerSecond,
    mode:
      mode === "short-polling"
        ? { mode, intervalMs: 1000 }
        : mode === "long-polling"
          ? { mode, timeoutSeconds: 30 }
          : { mode },
    bot: "reference",
  };
  const model = predict(input, { simulation: false });
  return { ...model.figures, sources: model.sources, input, notes: model.notes };
}

/** A report around `cells`, its scenario listing the cells' bots, modes and rates. */
export function fixtureReport(cells: CellResult[], overrides: Partial<Report> = {}): Report {
  const unique = <T>(values: T[]) => [...new Set(values)];
  const scenario: ResolvedScenario = {
    name: "fixture",
    description: "",
    subjects: unique(cells.map((c) => c.bot)).map((name) => ({
      name,
      builtIn: undefined,
      command: `node ${name}.mjs`,
      modes: ["polling", "webhook"],
    })),
    modes: unique(cells.map((c) => c.mode)),
    ratesPerSecond: unique(cells.map((c) => c.ratePerSecond)),
    networks: unique(cells.map((c) => c.network.name)).map(
      (name) => cells.find((c) => c.network.name === name)!.network,
    ),
    arrival: "poisson",
    timelineMs: null,
    durationMs: 4000,
    maxUpdates: null,
    warmupUpdates: 3,
    trials: Math.max(1, ...cells.map((c) => c.trials.length)),
    seed: "fixture",
    pollIntervalMs: 1000,
    pollTimeoutSeconds: null,
    webhookMaxConnections: 40,
    webhookReply: false,
    handlerDelayMs: 0,
    antiBusyLoop: true,
    drainTimeoutMs: 5000,
    startupTimeoutMs: 10000,
    users: 200,
    groups: 5,
    mix: { text: 0.85, command: 0.15, callback: 0 },
  };
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "tgbench", version: "0.0.0-fixture" },
    createdAt: "2026-01-02T03:04:05.000Z",
    machine: {
      cpus: 2,
      cpuModel: "Fixture CPU",
      totalMemoryBytes: 8 * 1024 ** 3,
      platform: "linux x64",
      node: "v20.0.0",
    },
    scenario,
    cells,
    partial: false,
    ...overrides,
  };
}

/** Bots of {@link realisticReport}, with how fast each is relative to the first. */
const REALISTIC_BOTS: ReadonlyArray<[string, number]> = [
  ["reference", 1],
  ["grammy", 1.2],
  ["telegraf", 1.4],
];
/** p50 latency by mode, µs: short polling waits half its 1 s interval. */
const REALISTIC_P50_US: Readonly<Record<ModeName, number>> = {
  "short-polling": 500_000,
  "long-polling": 3_500,
  webhook: 2_200,
};

/**
 * Shaped like `npm run bench -- --trials 3`: reference, grammy and telegraf (which cannot short-poll)
 * in three modes at 1, 20 and 200 updates/s. grammy's second short-polling trial at 200/s failed,
 * and grammy falls behind in short polling at 200/s.
 */
export function realisticReport(): Report {
  const cells: CellResult[] = [];
  for (const [bot, slowness] of REALISTIC_BOTS) {
    for (const mode of ["short-polling", "long-polling", "webhook"] as const) {
      for (const rate of [1, 20, 200]) {
        if (bot === "telegraf" && mode === "short-polling") {
          cells.push(
            fixtureCell(bot, mode, rate, [], {
              kind: "poll-timeout-fixed",
              message: "telegraf cannot short-poll: its getUpdates timeout is fixed at 50 s",
            }),
          );
          continue;
        }
        const trials = [1, 2, 3].map((trial) => {
          const behind = bot === "grammy" && mode === "short-polling" && rate === 200;
          const generated = rate * 4 + trial;
          const polls =
            mode === "short-polling" ? 4 : mode === "long-polling" ? Math.ceil(generated * 0.95) : 0;
          return fixtureTrial(mode, rate, {
            trial,
            generated,
            answered: behind ? generated - 40 : generated,
            p50Us:
              REALISTIC_P50_US[mode] *
              slowness *
              (1 + trial / 20) *
              (rate === 200 && mode !== "webhook" ? 1.3 : 1),
            tail: mode === "short-polling" ? 1.9 : 2.5,
            getUpdates: mode === "short-polling" ? Math.max(polls, generated) : polls,
            emptyGetUpdates: mode === "short-polling" && rate === 1 ? 1 : 0,
            botCpuMs: rate === 1 ? 0 : generated * (mode === "webhook" ? 0.8 : 1.1) * slowness,
            botPeakRssBytes: (60 + 20 * slowness + trial) * 1024 * 1024,
            ...(behind && trial === 2
              ? {
                  outcome: botExitedOutcome(
                    "grammy (short-polling) exited during the run (code 1)",
                    "    at <anonymous>",
                  ),
                }
              : {}),
          });
        });
        cells.push(fixtureCell(bot, mode, rate, trials));
      }
    }
  }
  return fixtureReport(cells, {
    scenario: {
      ...fixtureReport(cells).scenario,
      name: "default",
      description: "The reference bot, grammY & telegraf <in> three modes.",
    },
  });
}
