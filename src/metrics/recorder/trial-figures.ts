/**
 * The trial recorder's last step: from what it counted and timed to the trial's result, the
 * figures in it (rates over the window, figures per answered update, per hour), and the check
 * that the timeline adds up. Pure.
 */
import type { BotCounters } from "../../fake-api/index.ts";
import type { TrialOutcome } from "../../results/outcome.ts";
import { checkTimeline } from "../../results/timeline-check.ts";
import type { TrialNetwork } from "../../results/trial-network.ts";
import type { LatencyRecord, MeasurementWindow, TrialResult } from "../../results/trial-result.ts";
import type { LatencyHistogram } from "../latency-histogram.ts";
import { computeLedger, type LedgerInput } from "../ledger.ts";
import type { ReplyMatcher } from "../reply-matcher.ts";
import type { Timeline } from "../timeline.ts";
import type { WindowSeries } from "./trial-recorder.ts";

const MS_PER_SECOND = 1_000;
const MS_PER_HOUR = 3_600_000;

/** What the runner knows about the trial that the recorder does not. */
export interface TrialEnd {
  trial: number;
  seed: string;
  startedAt: string;
  /** The network the trial ran across (the runner's; the recorder only stores it). */
  network: TrialNetwork;
  outcome: TrialOutcome;
}

/** How the window ended, and the backlog at that moment. */
export interface WindowEnd {
  endedBy: MeasurementWindow["endedBy"];
  /** Updates offered and not answered when the window ended. */
  backlog: number;
}

/** Everything the recorder hands over at the end. */
export interface RecordedTrial {
  end: TrialEnd;
  startMs: number;
  /** When the recording ended (after the drain), ms. */
  endMs: number;
  /** Length of the window: the duration exactly, unless it was closed earlier. */
  windowMs: number;
  windowEnd: WindowEnd;
  ratePerSecond: number;
  counters: BotCounters;
  matcher: ReplyMatcher;
  histograms: Record<
    "endToEnd" | "fromActualSend" | "deliveryWait" | "botTime" | "lateness",
    LatencyHistogram
  >;
  /** Counts of events inside the window. */
  inWindow: Record<WindowSeries, number>;
  ledgerInput: LedgerInput;
  lateOver1Ms: number;
  timeline: Timeline;
  botCpuMs: number | null;
  /** Resolution of the bot's CPU time (one kernel clock tick), ms. */
  botCpuResolutionMs: number;
  botPeakRssBytes: number | null;
  harnessCpuMs: number;
}

const record = (histogram: LatencyHistogram): LatencyRecord => ({
  ...histogram.summary(),
  histogram: histogram.encode(),
});

/** The trial's result, timeline check included. */
export function buildTrialResult(r: RecordedTrial): TrialResult {
  const { counters, matcher, inWindow } = r;
  const ledger = computeLedger(r.ledgerInput);
  const answered = ledger.answered;
  const windowMs = r.windowMs;
  const botRequests =
    Object.values(counters.requestsByMethod).reduce((sum, n) => sum + n, 0) - counters.webhookReplies;
  const requests = botRequests + counters.webhookAttempts;
  const bytesIn = counters.bytesIn + counters.webhookBytesIn;
  const bytesOut = counters.bytesOut + counters.webhookBytesOut;
  const perAnswered = (n: number) => (answered > 0 ? n / answered : null);
  const perHour = (n: number) => (windowMs > 0 ? (n / windowMs) * MS_PER_HOUR : null);
  // A rate of what was offered means nothing when nothing was: "–", not 0/s.
  const perSecond = (n: number) =>
    windowMs > 0 && ledger.generated > 0 ? (n / windowMs) * MS_PER_SECOND : null;
  const botCpuMs = r.botCpuMs;
  const result: Omit<TrialResult, "timelineCheck"> = {
    trial: r.end.trial,
    seed: r.end.seed,
    startedAt: r.end.startedAt,
    network: r.end.network,
    window: { windowMs, endedBy: r.windowEnd.endedBy, recordedMs: Math.max(0, r.endMs - r.startMs) },
    ledger,
    latency: {
      endToEnd: record(r.histograms.endToEnd),
      fromActualSend: record(r.histograms.fromActualSend),
      deliveryWait: record(r.histograms.deliveryWait),
      botTime: record(r.histograms.botTime),
    },
    generator: { lateness: record(r.histograms.lateness), lateOver1Ms: r.lateOver1Ms },
    requests: {
      total: requests,
      getUpdates: counters.getUpdatesCalls,
      getUpdatesAnswered: counters.getUpdatesAnswered,
      emptyGetUpdates: counters.emptyGetUpdates,
      // Of the polls answered: one still held when the trial ended is neither empty nor not.
      emptyShare:
        counters.getUpdatesAnswered > 0 ? counters.emptyGetUpdates / counters.getUpdatesAnswered : null,
      webhookPosts: counters.webhookAttempts,
      perAnsweredUpdate: {
        requests: perAnswered(requests),
        emptyRequests: perAnswered(counters.emptyGetUpdates),
        bytes: perAnswered(bytesIn + bytesOut),
      },
      perHour: {
        requests: perHour(inWindow.requests),
        emptyRequests: perHour(inWindow.emptyGetUpdates),
        bytes: perHour(inWindow.bytesIn + inWindow.bytesOut),
      },
      bytesIn,
      bytesOut,
    },
    throughput: {
      offeredPerSecond: perSecond(inWindow.offered),
      answeredPerSecond: perSecond(inWindow.answered),
      backlogAtWindowEnd: r.windowEnd.backlog,
      sustained:
        r.end.outcome.kind === "completed" &&
        matcher.unansweredCount === 0 &&
        r.windowEnd.backlog <= r.ratePerSecond,
    },
    cost: {
      botCpuMs,
      botCpuResolutionMs: r.botCpuResolutionMs,
      botCpuUsPerUpdate: botCpuMs === null || answered === 0 ? null : (botCpuMs * 1000) / answered,
      botPeakRssBytes: r.botPeakRssBytes,
      tcpConnectionsOpened: counters.connectionsOpened,
      webhookConnectionsOpened: counters.webhookConnectionsOpened,
      harnessCpuMs: r.harnessCpuMs,
      harnessCpuUsPerUpdate: ledger.generated === 0 ? null : (r.harnessCpuMs * 1000) / ledger.generated,
    },
    matching: matcher.counts,
    webhook: {
      attempts: counters.webhookAttempts,
      retries: counters.webhookRetries,
      failures: counters.webhookFailures,
    },
    counters,
    timeline: r.timeline.buckets(r.endMs),
    outcome: r.end.outcome,
  };
  return { ...result, timelineCheck: checkTimeline(result, r.timeline.ignoredCount) };
}
