import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../generator/rng.ts";
import { createLatencyHistogram, type LatencyHistogram } from "./latency-histogram.ts";
import { percentileIntervals, rankAtPercentile } from "./percentile-intervals.ts";

/** A histogram of `n` skewed latencies (log-normal around `medianUs`), seeded. */
function skewed(seed: string, n: number, medianUs: number): LatencyHistogram {
  const rng = createRng(seed);
  const h = createLatencyHistogram();
  for (let i = 0; i < n; i++) {
    const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    h.recordUs(medianUs * Math.exp(0.6 * normal));
  }
  return h;
}

/** The value of rank `rank` (1-based) in a histogram, walking its recorded values. */
function valueAtRank(h: LatencyHistogram, rank: number): number {
  let seen = 0;
  for (const { valueUs, count } of h.recordedValues()) {
    seen += count;
    if (seen >= rank) return valueUs;
  }
  throw new Error(`rank ${rank} beyond ${seen}`);
}

describe("rankAtPercentile", () => {
  test("picks the same value as HdrHistogram's getValueAtPercentile", () => {
    for (const n of [1, 2, 3, 7, 100, 999, 1_000, 12_345]) {
      const h = skewed(`rank-${n}`, n, 2_000);
      for (const p of [0.1, 1, 10, 25, 50, 90, 99, 99.9, 99.99, 100]) {
        assert.equal(valueAtRank(h, rankAtPercentile(p, n)), h.valueAtPercentile(p), `n=${n} p=${p}`);
      }
    }
  });
});

describe("percentileIntervals", () => {
  test("no values: no intervals", () => {
    assert.equal(percentileIntervals([createLatencyHistogram()], [50], { seed: "s" }), null);
    assert.equal(
      percentileIntervals([createLatencyHistogram(), createLatencyHistogram()], [50], { seed: "s" }),
      null,
    );
  });

  test("are seeded: the same seed gives the same intervals, another seed may not", () => {
    const h = skewed("seeded", 500, 3_000);
    const a = percentileIntervals([h], [50, 99], { seed: "one" });
    assert.deepEqual(percentileIntervals([h], [50, 99], { seed: "one" }), a);
    assert.equal(a?.method, "bootstrap-updates");
    assert.notDeepEqual(percentileIntervals([h], [50, 99], { seed: "two", replicates: 200 }), a);
  });

  test("one trial: contain the figure, and match a brute-force bootstrap that resamples every update", () => {
    const n = 400;
    const h = skewed("brute", n, 5_000);
    const percentiles = [50, 90, 99];
    const fast = percentileIntervals([h], percentiles, { seed: "fast", replicates: 4_000 })!;
    // The textbook bootstrap: draw n of the n values with replacement, take the percentile; 4,000 times.
    const sample = h.recordedValues().flatMap((v) => Array<number>(v.count).fill(v.valueUs));
    const rng = createRng("brute-force");
    const replicateValues = percentiles.map(() => [] as number[]);
    for (let b = 0; b < 4_000; b++) {
      const resample = Array.from({ length: n }, () => sample[rng.int(0, n - 1)]!).sort((x, y) => x - y);
      for (const [i, p] of percentiles.entries())
        replicateValues[i]!.push(resample[rankAtPercentile(p, n) - 1]!);
    }
    const rankOf = (valueUs: number) => sample.filter((v) => v <= valueUs).length;
    for (const [i, p] of percentiles.entries()) {
      const sorted = replicateValues[i]!.sort((x, y) => x - y);
      const brute = { lowUs: sorted[100]!, highUs: sorted[3_899]! };
      const interval = fast.intervals[i]!;
      const figure = h.valueAtPercentile(p)!;
      assert.ok(interval.lowUs <= figure && figure <= interval.highUs, `p${p}: ${JSON.stringify(interval)}`);
      assert.ok(interval.lowUs < interval.highUs, `p${p} has a spread`);
      // Both are Monte Carlo estimates of the same interval: their ends are within three ranks of
      // each other in the sample (the two differ by at most one rank with these seeds).
      for (const end of ["lowUs", "highUs"] as const) {
        const gap = Math.abs(rankOf(interval[end]) - rankOf(brute[end]));
        assert.ok(gap <= 3, `p${p} ${end}: ${interval[end]} vs ${brute[end]} (${gap} ranks)`);
      }
    }
  });

  test("several trials: identical trials leave no doubt, different ones span their figures", () => {
    const same = skewed("same", 200, 4_000);
    const identical = percentileIntervals([same, same, same], [50, 99], { seed: "s" })!;
    assert.equal(identical.method, "bootstrap-trials");
    assert.deepEqual(identical.intervals, [
      { lowUs: same.valueAtPercentile(50), highUs: same.valueAtPercentile(50) },
      { lowUs: same.valueAtPercentile(99), highUs: same.valueAtPercentile(99) },
    ]);
    const trials = [skewed("a", 200, 1_000), skewed("b", 200, 2_000), skewed("c", 200, 4_000)];
    const merged = createLatencyHistogram();
    for (const t of trials) merged.merge(t);
    const [p50] = percentileIntervals(trials, [50], { seed: "s" })!.intervals;
    const medians = trials.map((t) => t.valueAtPercentile(50)!);
    assert.ok(p50!.lowUs <= merged.valueAtPercentile(50)! && merged.valueAtPercentile(50)! <= p50!.highUs);
    assert.ok(p50!.lowUs >= medians[0]! && p50!.highUs <= medians[2]!, JSON.stringify({ p50, medians }));
    assert.ok(p50!.highUs / p50!.lowUs > 1.5, "the trials disagree, and the interval says so");
  });

  test("a trial without values still counts as a draw (it carries no weight)", () => {
    const full = skewed("full", 100, 1_000);
    const result = percentileIntervals([full, createLatencyHistogram()], [50], { seed: "s" })!;
    assert.deepEqual(result.intervals, [
      { lowUs: full.valueAtPercentile(50), highUs: full.valueAtPercentile(50) },
    ]);
  });

  test("bad options are refused with a RangeError", () => {
    const h = skewed("opts", 10, 100);
    assert.throws(() => percentileIntervals([h], [50], { seed: "s", confidence: 1 }), RangeError);
    assert.throws(() => percentileIntervals([h], [50], { seed: "s", replicates: 0 }), RangeError);
  });
});
