/**
 * Reading report.json files of schema tgbench/report@2, so that `tgbench report`, `compare` and
 * the performance job (which compares a base ref's reports with this version's tool) keep working
 * across the change to @3 (and, through upgrade-v3.ts, to @4). @2 kept each latency as a summary only (no histogram), measured its
 * rates over a window that ended at the last arrival, wrote 0 for figures without data, called
 * the latency from the actual send `endToEndRaw`, and sampled its timeline on an interval.
 *
 * What can be carried over is: summaries become records without a histogram (`histogram: null`),
 * zeros that meant "no data" become null, the window is @2's schedule, the stored rates are kept
 * as @2 computed them, and each cell's latency falls back to the medians of its trials' summaries,
 * marked `source: "trial-summaries"` and without intervals. @2 timelines are not checked
 * (`timelineCheck: null`): they were sampled, not timed by events.
 */
import type { LatencySummary } from "../metrics/latency-histogram.ts";
import type { TimelineBucket } from "../metrics/timeline.ts";
import { poolCellLatency } from "./cell-latency.ts";
import type { CellResult } from "./cell-result.ts";
import type { Report } from "./run-report.ts";
import type { LatencyRecord, TrialResult } from "./trial-result.ts";
import { REPORT_SCHEMA_V3, upgradeReportV3 } from "./upgrade-v3.ts";

/** The schema tag of the reports this file upgrades. */
export const REPORT_SCHEMA_V2 = "tgbench/report@2";

type Numbers<T> = { [K in keyof T]: T[K] extends number | null ? number : T[K] };

/** A trial as @2 wrote it. */
export interface V2Trial
  extends Omit<
    TrialResult,
    "window" | "latency" | "generator" | "requests" | "throughput" | "timelineCheck"
  > {
  measuredMs: number;
  scheduleMs: number;
  latency: Record<"endToEnd" | "endToEndRaw" | "deliveryWait" | "botTime", Numbers<LatencySummary>>;
  generator: { lateness: Numbers<LatencySummary>; lateOver1Ms: number };
  requests: Omit<TrialResult["requests"], "emptyShare" | "perAnsweredUpdate" | "perHour"> & {
    emptyShare: number;
    perAnsweredUpdate: { requests: number; emptyRequests: number; bytes: number };
    perHour: { requests: number; emptyRequests: number; bytes: number };
  };
  throughput: {
    offeredPerSecond: number;
    answeredPerSecond: number;
    backlogAtScheduleEnd: number;
    sustained: boolean;
  };
}

/** A cell as @2 wrote it (each member of the CellResult union without `latency`). */
export type V2Cell = CellResult extends infer C
  ? C extends CellResult
    ? Omit<C, "trials" | "latency"> & { trials: V2Trial[] }
    : never
  : never;

/** An @2 report (already checked to have cells with trials) as a current one, by way of @3. */
export function upgradeReportV2(data: Record<string, unknown>): Report {
  const cells = (data.cells as V2Cell[]).map(upgradeCell);
  return upgradeReportV3({ ...data, schema: REPORT_SCHEMA_V3, cells });
}

function upgradeCell(cell: V2Cell): CellResult {
  const trials = cell.trials.map(upgradeTrial);
  return { ...cell, trials, latency: poolCellLatency(trials) } as CellResult;
}

/** A summary whose zeros meant "nothing recorded" as a record without a histogram. */
function record(summary: Numbers<LatencySummary>): LatencyRecord {
  if (summary.count > 0) return { ...summary, histogram: null };
  return {
    count: 0,
    minUs: null,
    meanUs: null,
    p50Us: null,
    p90Us: null,
    p99Us: null,
    p999Us: null,
    maxUs: null,
    histogram: null,
  };
}

function upgradeTrial(trial: V2Trial): TrialResult {
  const { measuredMs, scheduleMs, latency, generator, requests, throughput, ...rest } = trial;
  const answered = trial.ledger.answered;
  const perAnswered = (value: number) => (answered > 0 ? value : null);
  const offered = trial.ledger.generated > 0;
  return {
    ...rest,
    window: {
      windowMs: scheduleMs,
      endedBy: trial.outcome.kind === "completed" ? "duration" : "stopped-early",
      recordedMs: measuredMs,
    },
    latency: {
      endToEnd: record(latency.endToEnd),
      fromActualSend: record(latency.endToEndRaw),
      deliveryWait: record(latency.deliveryWait),
      botTime: record(latency.botTime),
    },
    generator: { lateness: record(generator.lateness), lateOver1Ms: generator.lateOver1Ms },
    requests: {
      ...requests,
      emptyShare: requests.getUpdates > 0 ? requests.emptyShare : null,
      perAnsweredUpdate: {
        requests: perAnswered(requests.perAnsweredUpdate.requests),
        emptyRequests: perAnswered(requests.perAnsweredUpdate.emptyRequests),
        bytes: perAnswered(requests.perAnsweredUpdate.bytes),
      },
      perHour: measuredMs > 0 ? requests.perHour : { requests: null, emptyRequests: null, bytes: null },
    },
    throughput: {
      offeredPerSecond: offered ? throughput.offeredPerSecond : null,
      answeredPerSecond: offered ? throughput.answeredPerSecond : null,
      backlogAtWindowEnd: throughput.backlogAtScheduleEnd,
      sustained: throughput.sustained,
    },
    timeline: trial.timeline.map(upgradeBucket),
    timelineCheck: null,
  };
}

/** @2 buckets had no `requests` series (0 here) and wrote 0 µs for seconds without a reply. */
function upgradeBucket(bucket: TimelineBucket): TimelineBucket {
  const none = bucket.latencyCount === 0;
  return {
    ...bucket,
    requests: bucket.requests ?? 0,
    latencyMeanUs: none ? null : bucket.latencyMeanUs,
    latencyMaxUs: none ? null : bucket.latencyMaxUs,
  };
}
