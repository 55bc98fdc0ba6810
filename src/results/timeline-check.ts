/**
 * The timeline's invariant: every per-second series adds up to the trial's total for it. The
 * totals come from elsewhere on purpose — most from the fake API's counters, which are counted on
 * the request path and never bucketed — so a balanced check shows that the trial recorder placed
 * every event in some second and lost none at the window's edges.
 */
import type { TimelineCounter } from "../metrics/timeline.ts";
import type { TimelineCheck, TimelineMismatch, TrialResult } from "./trial-result.ts";

/** The figures of a trial the check reads. */
export type CheckedTrial = Pick<
  TrialResult,
  "ledger" | "matching" | "counters" | "requests" | "latency" | "timeline"
>;

/** Each series' total, from the trial's ledger, reply matching and the fake API's counters. */
function totals(t: CheckedTrial): Record<TimelineCounter | "latencyCount", number> {
  const c = t.counters;
  return {
    offered: t.ledger.generated,
    injected: t.ledger.generated - t.ledger.notInjected - t.ledger.filtered,
    // First hand-overs: fresh updates in getUpdates answers, and first webhook POSTs.
    delivered: c.updatesDeliveredByPolling + c.webhookAttempts - c.webhookRetries,
    answered: t.ledger.answered,
    expired: c.updatesExpired,
    duplicates: t.matching.duplicates,
    unmatched: t.matching.unmatched,
    requests: t.requests.total,
    getUpdates: c.getUpdatesCalls,
    emptyGetUpdates: c.emptyGetUpdates,
    webhookPosts: c.webhookAttempts,
    webhookFailures: c.webhookFailures,
    bytesIn: c.bytesIn + c.webhookBytesIn,
    bytesOut: c.bytesOut + c.webhookBytesOut,
    latencyCount: t.latency.endToEnd.count,
  };
}

/**
 * Checks that every counter series of the timeline (and its latency count) sums to the trial's
 * total, and that no event was left unplaced (`ignoredEvents`, from the timeline).
 */
export function checkTimeline(t: CheckedTrial, ignoredEvents = 0): TimelineCheck {
  const mismatches: TimelineMismatch[] = [];
  for (const [series, total] of Object.entries(totals(t)) as Array<[TimelineMismatch["series"], number]>) {
    const bucketSum = t.timeline.reduce((sum, bucket) => sum + bucket[series], 0);
    if (bucketSum !== total) mismatches.push({ series, bucketSum, total });
  }
  return { balanced: mismatches.length === 0 && ignoredEvents === 0, mismatches, ignoredEvents };
}

/** The check on one line: `timeline balanced` or `timeline off: getUpdates 41 in the seconds ≠ 42 in all; …`. */
export function formatTimelineCheck(check: TimelineCheck): string {
  if (check.balanced) return "timeline balanced: every series adds up to its total";
  const parts = check.mismatches.map((m) => `${m.series} ${m.bucketSum} in the seconds ≠ ${m.total} in all`);
  if (check.ignoredEvents > 0) parts.push(`${check.ignoredEvents} event(s) without a valid time`);
  return `timeline off: ${parts.join("; ")}`;
}
