import type { BotCounters } from "../fake-api/index.ts";
import type { LatencySummary } from "../metrics/latency-histogram.ts";
import type { Ledger } from "../metrics/ledger.ts";
import type { MatchCounts } from "../metrics/reply-matcher-types.ts";
import type { TimelineBucket, TimelineCounter } from "../metrics/timeline.ts";
import type { TrialOutcome } from "./outcome.ts";
import type { TrialBehaviour } from "./trial-behaviour.ts";
import type { TrialNetwork } from "./trial-network.ts";

/**
 * One latency histogram of a trial: its figures (µs, null when nothing was recorded) and the
 * histogram itself, from which a cell's figures, compare and merge are computed.
 */
export interface LatencyRecord extends LatencySummary {
  /**
   * The HDR histogram of the values in µs, as HdrHistogram's compressed base64 (V2 encoding,
   * `decodeFromCompressedBase64` in hdr-histogram-js and every other HdrHistogram). null only in
   * trials read from a tgbench/report@2 file, which kept the summary alone.
   */
  histogram: string | null;
}

/**
 * The measured window of a trial. It starts at the schedule's start (intended time 0) and ends
 * at the scenario's duration whatever the arrivals, so that a quiet cell still measures its
 * whole duration; every per-second and per-hour figure is divided by it and counts only events
 * inside it.
 */
export interface MeasurementWindow {
  /** Length of the window, ms. */
  windowMs: number;
  /**
   * Where the window ends: `duration`: at the scenario's duration; `update-count`: when the
   * schedule handed over its last update (an update-count run that reached its count first);
   * `stopped-early`: when the trial stopped feeding the bot (the bot exited, or Ctrl-C).
   */
  endedBy: "duration" | "update-count" | "stopped-early";
  /** From the schedule's start to the end of the drain (what the timeline covers), ms. */
  recordedMs: number;
}

/** A timeline series whose buckets did not add up to the trial's total. */
export interface TimelineMismatch {
  series: TimelineCounter | "latencyCount";
  bucketSum: number;
  total: number;
}

/**
 * The check that every per-second series of the timeline adds up to the trial's total for it
 * (src/results/timeline-check.ts). An unbalanced check fails the cell, like a ledger that does
 * not balance.
 */
export interface TimelineCheck {
  balanced: boolean;
  mismatches: TimelineMismatch[];
  /** Events the timeline could not place (a non-finite time); must be 0. */
  ignoredEvents: number;
}

/** What one trial of one cell measured. Figures are measured, never derived from a model. */
export interface TrialResult {
  trial: number;
  /** The seed of this trial's update stream (scenario seed + trial). */
  seed: string;
  startedAt: string;
  /** The network the trial ran across, and what its emulator counted. */
  network: TrialNetwork;
  window: MeasurementWindow;
  ledger: Ledger;
  latency: {
    /** Intended send time → reply reached the fake API (open model, the headline figure). */
    endToEnd: LatencyRecord;
    /**
     * Actual hand-over to the fake API → reply: the end-to-end latency minus the generator's
     * lateness. Not a closed-loop figure: updates keep arriving on schedule, so a queue that
     * builds up in front of a slow bot counts here too.
     */
    fromActualSend: LatencyRecord;
    /** Intended time → handed to the bot (getUpdates answer or first webhook POST). */
    deliveryWait: LatencyRecord;
    /** Handed to the bot → its reply arrived. */
    botTime: LatencyRecord;
  };
  generator: {
    /** How late the generator handed each update over (actual − intended). */
    lateness: LatencyRecord;
    /** Updates handed over more than 1 ms late. */
    lateOver1Ms: number;
  };
  requests: {
    /** Requests on the wire, both directions: the bot's HTTP calls and the webhook POSTs. */
    total: number;
    getUpdates: number;
    /**
     * getUpdates answered (with updates or empty) in the trial; a poll still held when it ended is
     * not. Absent in reports written before it was counted (schema @4 until 2026-12-01).
     */
    getUpdatesAnswered?: number;
    emptyGetUpdates: number;
    /**
     * Empty answers / answered getUpdates; null when no getUpdates was answered. (Reports before
     * `getUpdatesAnswered` divided by every getUpdates received, so a poll still held at the end
     * counted as a non-empty one.)
     */
    emptyShare: number | null;
    webhookPosts: number;
    /** Whole-trial totals per answered update; null when nothing was answered. */
    perAnsweredUpdate: { requests: number | null; emptyRequests: number | null; bytes: number | null };
    /** What the window saw, extrapolated to one hour (events in the window / window × 1 h); null for an empty window. */
    perHour: { requests: number | null; emptyRequests: number | null; bytes: number | null };
    /** Body bytes from the bot: its API requests and its webhook responses (headers excluded). */
    bytesIn: number;
    /** Body bytes to the bot: the API's responses and the webhook POSTs (headers excluded). */
    bytesOut: number;
  };
  throughput: {
    /** Updates offered in the window / window; null when none was offered (no arrival). */
    offeredPerSecond: number | null;
    /** Replies that arrived in the window / window; null when nothing was offered. */
    answeredPerSecond: number | null;
    /** Updates offered and still unanswered when the window ended. */
    backlogAtWindowEnd: number;
    /**
     * The bot kept up: the trial completed, everything was answered by the end of the drain, and
     * the backlog at the window's end was at most one second of traffic (the cell's rate × 1 s).
     */
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
  /** The fake API's counters for this bot over the trial (from the end of the warm-up). */
  counters: BotCounters;
  /** Per-second series, each event in the second it happened (see src/metrics/timeline.ts). */
  timeline: TimelineBucket[];
  /** Whether the timeline's series add up to the totals above; null for trials read from @2 reports. */
  timelineCheck: TimelineCheck | null;
  /** How the trial ended; when not `completed`, the figures above cover what happened until then. */
  outcome: TrialOutcome;
  /**
   * What the fake API saw the bot do (the mode it used, its API errors), how it stopped, and what
   * the webhook front cost; absent in reports written before tgbench checked these.
   */
  behaviour?: TrialBehaviour;
}
