/**
 * For the upgrade tests: tgbench/report@2 files written back from this schema's fixtures, in the
 * shape @2 had (summaries without histograms, zeros for figures without data, `measuredMs`,
 * `endToEndRaw`, `backlogAtScheduleEnd`, no pooled cell latency).
 */
import type { LatencySummary } from "../metrics/latency-histogram.ts";
import type { Report } from "./run-report.ts";
import type { LatencyRecord, TrialResult } from "./trial-result.ts";
import { REPORT_SCHEMA_V2, type V2Trial } from "./upgrade-v2.ts";

type Numbers<T> = { [K in keyof T]: T[K] extends number | null ? number : T[K] };

/** A record as @2 kept it: the summary only, all zeros when empty. */
function v2Summary(record: LatencyRecord): Numbers<LatencySummary> {
  const { histogram: _histogram, ...summary } = record;
  const zero = (v: number | null) => v ?? 0;
  return {
    count: summary.count,
    minUs: zero(summary.minUs),
    meanUs: zero(summary.meanUs),
    p50Us: zero(summary.p50Us),
    p90Us: zero(summary.p90Us),
    p99Us: zero(summary.p99Us),
    p999Us: zero(summary.p999Us),
    maxUs: zero(summary.maxUs),
  };
}

/** A trial as @2 wrote it. */
export function v2Trial(t: TrialResult): V2Trial {
  const { window, latency, generator, requests, throughput, timelineCheck: _check, timeline, ...rest } = t;
  const zero = (v: number | null) => v ?? 0;
  return {
    ...rest,
    measuredMs: window.recordedMs,
    scheduleMs: window.windowMs,
    latency: {
      endToEnd: v2Summary(latency.endToEnd),
      endToEndRaw: v2Summary(latency.fromActualSend),
      deliveryWait: v2Summary(latency.deliveryWait),
      botTime: v2Summary(latency.botTime),
    },
    generator: { lateness: v2Summary(generator.lateness), lateOver1Ms: generator.lateOver1Ms },
    requests: {
      ...requests,
      emptyShare: zero(requests.emptyShare),
      perAnsweredUpdate: {
        requests: zero(requests.perAnsweredUpdate.requests),
        emptyRequests: zero(requests.perAnsweredUpdate.emptyRequests),
        bytes: zero(requests.perAnsweredUpdate.bytes),
      },
      perHour: {
        requests: zero(requests.perHour.requests),
        emptyRequests: zero(requests.perHour.emptyRequests),
        bytes: zero(requests.perHour.bytes),
      },
    },
    throughput: {
      offeredPerSecond: zero(throughput.offeredPerSecond),
      answeredPerSecond: zero(throughput.answeredPerSecond),
      backlogAtScheduleEnd: throughput.backlogAtWindowEnd,
      sustained: throughput.sustained,
    },
    timeline: timeline.map(({ requests: _requests, ...bucket }) => ({
      ...bucket,
      latencyMeanUs: zero(bucket.latencyMeanUs),
      latencyMaxUs: zero(bucket.latencyMaxUs),
    })) as unknown as TrialResult["timeline"],
  };
}

/** A report as @2 wrote it: its trials in @2's shape, no pooled latency per cell. */
export function v2Report(report: Report): Record<string, unknown> {
  return {
    ...report,
    schema: REPORT_SCHEMA_V2,
    cells: report.cells.map(({ latency: _latency, ...cell }) => ({
      ...cell,
      trials: cell.trials.map(v2Trial),
    })),
  };
}
