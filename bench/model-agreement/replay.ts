/**
 * The model of one measured trial given the trial's own arrivals: the schedule is regenerated from
 * the trial's seed exactly as the runner generated it (src/runner/scenario.ts `trafficFor`, the
 * generator's `createUpdateStream`), and the model's simulation replays it, many times over with
 * different draws of everything else (delays, jitter, timers, lateness) and, for short polling,
 * of the polling loop's phase against the schedule (uniform over one interval: a trial's is set by
 * when its warm-up ended, and not recorded). The pooled runs give the model's figures for this
 * schedule; their spread from run to run is the sampling noise a single trial of it has.
 *
 * The replays start from the connections the trial's warm-up left open (from its relays' counts).
 * Counted as the runner counts: its warm-up ends with a long poll parked when the fake API's
 * counters are reset, so that poll's answer is counted (as empty when it times out) and its call
 * is not; the replays count their first long poll the same way.
 */
import { createUpdateStream } from "../../src/generator/index.ts";
import { createRng } from "../../src/generator/rng.ts";
import { latencyOf, type ModelInput, quantileOfSorted, simulate } from "../../src/model/index.ts";
import type { CellResult, Report, TrialResult } from "../../src/results/index.ts";
import { warmConnections } from "../../src/runner/cell-model.ts";
import { trafficFor } from "../../src/runner/scenario.ts";

/** Replays of the schedule the model pools. */
export const REPLAY_RUNS = 20;

/** The trial's arrivals, as the runner's generator produced them from the trial's seed. */
export function trialArrivals(
  report: Report,
  cell: CellResult,
  trial: TrialResult,
): Array<{ intendedMs: number; chat: number }> {
  const s = report.scenario;
  const traffic = trafficFor(s, cell.ratePerSecond, s.durationMs, s.maxUpdates ?? undefined);
  const out: Array<{ intendedMs: number; chat: number }> = [];
  for (const spec of createUpdateStream(traffic, trial.seed))
    out.push({ intendedMs: spec.intendedAtMs, chat: spec.chat.id });
  return out;
}

/** One figure of the replays: the pooled value and the spread of the single runs' values. */
export interface Replayed {
  value: number | null;
  /** Standard deviation of the figure from one run to the next (NaN with fewer than two). */
  spread: number;
}

export interface ReplayFigures {
  emptyShare: Replayed;
  pollsPerHour: Replayed;
  requestsPerAnsweredUpdate: Replayed;
  deliveryWaitMeanMs: Replayed;
  endToEndP50Ms: Replayed;
  endToEndP99Ms: Replayed;
  answeredPerSecond: Replayed;
}

const sd = (values: readonly number[]) => {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
};

/** The model's figures for `trial` given its own arrivals. */
export function replayTrial(
  input: ModelInput,
  report: Report,
  cell: CellResult,
  trial: TrialResult,
): ReplayFigures {
  const arrivals = trialArrivals(report, cell, trial);
  const options = {
    durationMs: report.scenario.durationMs,
    drainTimeoutMs: report.scenario.drainTimeoutMs,
    arrivals,
    openConnectionsAtStart: warmConnections(trial),
  };
  const intervalMs = input.mode.mode === "short-polling" ? input.mode.intervalMs : 0;
  const phases = createRng(`${trial.seed}/replay-phase`);
  const runs = Array.from({ length: REPLAY_RUNS }, (_, i) =>
    simulate(input, {
      ...options,
      seed: `${trial.seed}/replay/${i + 1}`,
      pollStartMs: phases.next() * intervalMs,
    }),
  );
  // The first long poll began before the counters were reset (see the file's comment).
  const uncounted = input.mode.mode === "long-polling" ? 1 : 0;
  const calls = (r: (typeof runs)[number]) => Math.max(0, r.getUpdates - uncounted);
  const waits = runs.flatMap((r) => r.samples.deliveryWaitMs);
  const e2e = runs.flatMap((r) => r.samples.endToEndMs).sort((a, b) => a - b);
  const getUpdates = runs.reduce((a, r) => a + calls(r), 0);
  const empty = runs.reduce((a, r) => a + r.emptyGetUpdates, 0);
  const answeredPolls = runs.reduce((a, r) => a + r.answeredPolls, 0);
  const answered = runs.reduce((a, r) => a + r.answered, 0);
  const measuredMs = runs.reduce((a, r) => a + r.measuredMs, 0);
  const requests = runs.reduce((a, r) => a + calls(r) + r.replies + r.webhookPosts, 0);
  const windowMs = report.scenario.durationMs;
  const perRun = <T>(pick: (r: (typeof runs)[number]) => T | null) =>
    runs.map(pick).filter((v): v is T => v !== null) as number[];
  const sortedRun = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    // Of the polls answered, as the runner counts it (a poll still held at the end is neither).
    emptyShare: {
      value: answeredPolls > 0 ? empty / answeredPolls : null,
      spread: sd(perRun((r) => (r.answeredPolls > 0 ? r.emptyGetUpdates / r.answeredPolls : null))),
    },
    pollsPerHour: {
      value: (getUpdates / (runs.length * windowMs)) * 3_600_000,
      spread: sd(perRun((r) => (calls(r) / windowMs) * 3_600_000)),
    },
    requestsPerAnsweredUpdate: {
      value: answered > 0 ? requests / answered : null,
      spread: sd(
        perRun((r) => (r.answered > 0 ? (calls(r) + r.replies + r.webhookPosts) / r.answered : null)),
      ),
    },
    deliveryWaitMeanMs: {
      value: latencyOf(waits).meanMs,
      spread: sd(perRun((r) => latencyOf(r.samples.deliveryWaitMs).meanMs)),
    },
    endToEndP50Ms: {
      value: quantileOfSorted(e2e, 0.5),
      spread: sd(perRun((r) => quantileOfSorted(sortedRun(r.samples.endToEndMs), 0.5))),
    },
    endToEndP99Ms: { value: quantileOfSorted(e2e, 0.99), spread: Number.NaN },
    answeredPerSecond: {
      value: measuredMs > 0 ? (answered / measuredMs) * 1_000 : null,
      spread: sd(perRun((r) => r.answeredPerSecond)),
    },
  };
}
