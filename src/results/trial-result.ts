import type { BotCounters } from "../fake-api/index.ts";
import type { LatencySummary } from "../metrics/latency-histogram.ts";
import type { Ledger } from "../metrics/ledger.ts";
import type { MatchCounts } from "../metrics/reply-matcher-types.ts";
import type { TimelineBucket } from "../metrics/timeline.ts";
import type { TrialOutcome } from "./outcome.ts";
import type { TrialBehaviour } from "./trial-behaviour.ts";

/** What one trial of one cell measured. Figures are measured, never derived from a model. */
export interface TrialResult {
  trial: number;
  /** The seed of this trial's update stream (scenario seed + trial). */
  seed: string;
  startedAt: string;
  /** From the first scheduled update to the end of the drain, ms. */
  measuredMs: number;
  /** Length of the schedule itself, ms. */
  scheduleMs: number;
  ledger: Ledger;
  latency: {
    /** Intended send time → reply reached the fake API (open model, the headline figure). */
    endToEnd: LatencySummary;
    /** Actual injection time → reply: what a closed-loop tool would report. */
    endToEndRaw: LatencySummary;
    /** Intended time → handed to the bot (getUpdates answer or webhook POST). */
    deliveryWait: LatencySummary;
    /** Handed to the bot → its reply arrived. */
    botTime: LatencySummary;
  };
  generator: {
    /** How late the generator handed each update over (actual − intended). */
    lateness: LatencySummary;
    /** Updates handed over more than 1 ms late. */
    lateOver1Ms: number;
  };
  requests: {
    total: number;
    getUpdates: number;
    emptyGetUpdates: number;
    /** Empty getUpdates / all getUpdates (0 when none). */
    emptyShare: number;
    webhookPosts: number;
    perAnsweredUpdate: { requests: number; emptyRequests: number; bytes: number };
    /** The measured rates extrapolated to one hour at this cell's arrival rate. */
    perHour: { requests: number; emptyRequests: number; bytes: number };
    bytesIn: number;
    bytesOut: number;
  };
  throughput: {
    offeredPerSecond: number;
    answeredPerSecond: number;
    /** Updates still unanswered when the schedule ended. */
    backlogAtScheduleEnd: number;
    /** True when everything was answered and the backlog at the schedule's end was under a second of traffic. */
    sustained: boolean;
  };
  cost: {
    botCpuMs: number | null;
    /** Resolution of the bot's CPU time (one kernel clock tick), ms: small totals are coarse. */
    botCpuResolutionMs: number;
    botCpuUsPerUpdate: number | null;
    botPeakRssBytes: number | null;
    tcpConnectionsOpened: number;
    webhookConnectionsOpened: number;
    harnessCpuMs: number;
    harnessCpuUsPerUpdate: number | null;
  };
  matching: MatchCounts;
  webhook: { attempts: number; retries: number; failures: number };
  counters: BotCounters;
  timeline: TimelineBucket[];
  /** How the trial ended; when not `completed`, the figures above cover what happened until then. */
  outcome: TrialOutcome;
  /**
   * What the fake API saw the bot do (the mode it used, its API errors), how it stopped, and what
   * the webhook front cost; absent in reports written before tgbench checked these.
   */
  behaviour?: TrialBehaviour;
}
