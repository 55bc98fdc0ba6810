import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createLatencyHistogram, decodeLatencyHistogram } from "../metrics/latency-histogram.ts";
import { botExitedOutcome, fixtureTrial } from "../report/report-fixtures.ts";
import { CELL_PERCENTILES, poolCellLatency, pooledPercentile, pooledTrials } from "./cell-latency.ts";
import type { TrialResult } from "./trial-result.ts";

const PERCENT = { p50: 50, p90: 90, p99: 99, p999: 99.9, max: 100 } as const;

/** The endToEnd histograms of `trials`, merged by hand. */
function merged(trials: readonly TrialResult[]) {
  const all = createLatencyHistogram();
  for (const t of trials) all.merge(decodeLatencyHistogram(t.latency.endToEnd.histogram!));
  return all;
}

describe("a cell's latency", () => {
  const trials = [
    fixtureTrial("webhook", 20, { trial: 1, p50Us: 2_000, tail: 3 }),
    fixtureTrial("webhook", 20, { trial: 2, p50Us: 5_000, tail: 2 }),
    fixtureTrial("webhook", 20, { trial: 3, p50Us: 9_000, tail: 4 }),
  ];

  test("of 3 trials is that of their merged histogram, not a median of the trials' figures", () => {
    const pooled = poolCellLatency(trials)!;
    const all = merged(trials);
    for (const p of CELL_PERCENTILES) {
      assert.equal(pooled.endToEnd[p]?.us, all.valueAtPercentile(PERCENT[p]), p);
    }
    assert.equal(pooled.endToEnd.count, all.count);
    const trialP99s = trials.map((t) => t.latency.endToEnd.p99Us!).sort((a, b) => a - b);
    assert.notEqual(
      pooled.endToEnd.p99?.us,
      trialP99s[1],
      "the median of the trials' p99s is another figure",
    );
    assert.equal(
      pooledPercentile(trials, (t) => t.latency.endToEnd, "p99"),
      all.valueAtPercentile(99),
    );
    assert.deepEqual(pooled.trials, [1, 2, 3]);
    assert.equal(pooled.source, "merged-histograms");
  });

  test("has a confidence interval around every percentile, from the trials, the same every time", () => {
    const pooled = poolCellLatency(trials)!;
    assert.equal(pooled.interval, "bootstrap-trials");
    assert.equal(pooled.confidence, 0.95);
    for (const p of ["p50", "p90", "p99"] as const) {
      const e = pooled.endToEnd[p]!;
      assert.ok(
        e.lowUs !== null && e.highUs !== null && e.lowUs <= e.us && e.us <= e.highUs,
        `${p} ${JSON.stringify(e)}`,
      );
      assert.ok(e.highUs > e.lowUs, `${p}: the trials disagree, so the interval is wide`);
    }
    assert.deepEqual(poolCellLatency(trials), pooled, "seeded by the trials' seeds");
  });

  test("of one trial has intervals from resampling its updates", () => {
    const pooled = poolCellLatency([trials[0]!])!;
    assert.equal(pooled.interval, "bootstrap-updates");
    const p50 = pooled.endToEnd.p50!;
    assert.ok(p50.lowUs! <= p50.us && p50.us <= p50.highUs! && p50.lowUs! < p50.highUs!);
  });

  test("leaves out trials whose bot exited, unless every trial did", () => {
    const exited = fixtureTrial("webhook", 20, {
      trial: 4,
      p50Us: 900_000,
      outcome: botExitedOutcome("gone"),
    });
    assert.deepEqual(
      pooledTrials([...trials, exited]).map((t) => t.trial),
      [1, 2, 3],
    );
    assert.equal(
      poolCellLatency([...trials, exited])?.endToEnd.p50?.us,
      poolCellLatency(trials)?.endToEnd.p50?.us,
    );
    assert.deepEqual(pooledTrials([exited]), [exited]);
  });

  test("is null without trials, and has null percentiles when nothing was answered", () => {
    assert.equal(poolCellLatency([]), null);
    const silent = poolCellLatency([fixtureTrial("webhook", 1, { generated: 0 })])!;
    assert.equal(silent.endToEnd.count, 0);
    assert.equal(silent.endToEnd.p99, null);
    assert.equal(silent.endToEnd.meanUs, null);
  });
});
