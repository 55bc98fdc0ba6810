import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  preciseRatioOf,
  type RatePair,
  ratioOf,
  renderHarnessCostJson,
  renderHarnessCostMarkdown,
  summarise,
  summaryLine,
  tableHeader,
  tableRow,
  verdictLines,
  verdictOf,
} from "./render.ts";
import type { StepResult, StepSide } from "./step.ts";

function step(
  side: StepSide,
  ratePerSecond: number,
  cpuUsPerUpdate: number | null,
  sustained = true,
): StepResult {
  return {
    side,
    ratePerSecond,
    generated: ratePerSecond * 5,
    answered: ratePerSecond * 5,
    answeredPerSecond: ratePerSecond,
    backlogAtScheduleEnd: 1,
    sustained,
    measuredMs: 5_000,
    cpuMs: cpuUsPerUpdate === null ? 0 : (cpuUsPerUpdate * ratePerSecond * 5) / 1000,
    cpuUsPerUpdate,
    mainThreadShare: 0.8,
    latenessP99Us: 900,
    lateOver1Ms: 0,
    botCpuUsPerUpdate: 120,
    endToEndP50Us: side === "harness" ? 1_500 : null,
    endToEndP99Us: side === "harness" ? 9_000 : null,
    window: null,
  };
}

const pair = (rate: number, harnessUs: number | null, floorUs: number, sustained = true): RatePair => ({
  ratePerSecond: rate,
  first: "floor",
  harness: step("harness", rate, harnessUs, sustained),
  floor: step("floor", rate, floorUs),
});

describe("harness-cost verdict", () => {
  it("judges the ratio at every rate up to the highest sustained one, and the rate target", () => {
    const verdict = verdictOf([
      pair(100, 300, 250),
      pair(1000, 200, 150),
      pair(5000, 120, 100),
      pair(6000, 500, 90, false),
    ]);
    assert.equal(verdict.highestSustainedRate, 5000);
    assert.ok(verdict.rateMet);
    assert.deepEqual(verdict.worstRatio, { ratePerSecond: 1000, ratio: 200 / 150 });
    assert.ok(verdict.ratioMet, "the unsustained 6000/s step is not judged");
  });

  it("fails the ratio target when one sustained rate is above 1.5×", () => {
    const verdict = verdictOf([pair(100, 990, 400), pair(1000, 430, 230), pair(5000, 190, 88)]);
    assert.equal(verdict.worstRatio?.ratePerSecond, 100);
    assert.equal(verdict.ratioMet, false);
    assert.ok(verdict.rateMet);
  });

  it("takes the highest rate of the unbroken sustained run from the lowest rate, in any input order", () => {
    const verdict = verdictOf([pair(5000, 120, 100), pair(100, 150, 140), pair(1000, 110, 100, false)]);
    assert.equal(verdict.highestSustainedRate, 100);
    assert.equal(verdict.rateMet, false);
  });

  it("meets nothing without a sustained rate or without a harness figure", () => {
    const none = verdictOf([pair(100, 300, 250, false)]);
    assert.equal(none.highestSustainedRate, null);
    assert.equal(none.ratioMet, false);
    const unknown = verdictOf([pair(100, null, 250)]);
    assert.equal(ratioOf(pair(100, null, 250)), null);
    assert.equal(unknown.ratioMet, false);
  });

  it("judges a rate on the median of its pairs' ratios, taken within each pair", () => {
    // Noise moves a pair's two sides together: 1.2×, 1.4× and 2.0× have the median 1.4×, whereas
    // the ratio of the medians (240 / 150) would be 1.6×.
    const pairs = [pair(1000, 180, 150), pair(1000, 280, 200), pair(1000, 240, 120)];
    const [rate] = summarise(pairs);
    assert.equal(rate!.pairs, 3);
    assert.equal(rate!.harnessUsPerUpdate, 240);
    assert.equal(rate!.floorUsPerUpdate, 150);
    assert.equal(rate!.ratio, 1.4);
    assert.equal(rate!.ratioMin, 1.2);
    assert.equal(rate!.ratioMax, 2);
    assert.match(summaryLine(rate!), /median of 3 pairs: .*ratio 1\.40× \(range 1\.20–2\.00×\)/);
    const verdict = verdictOf(pairs);
    assert.deepEqual(verdict.worstRatio, { ratePerSecond: 1000, ratio: 1.4 });
    assert.ok(verdict.ratioMet);
  });

  it("counts a rate as sustained only when every pair's harness step was, and has no ratio if one is unknown", () => {
    const verdict = verdictOf([pair(100, 150, 140), pair(1000, 110, 100), pair(1000, 120, 100, false)]);
    assert.equal(verdict.highestSustainedRate, 100);
    const [, rate] = summarise([pair(100, 150, 140), pair(1000, null, 100), pair(1000, 120, 100)]);
    assert.equal(rate!.ratio, null);
    assert.equal(verdictOf([pair(1000, null, 100), pair(1000, 120, 100)]).ratioMet, false);
  });

  it("renders the ratio in the table, the Markdown and the JSON", () => {
    const pairs = [pair(1000, 300, 200)];
    assert.match(tableRow(pairs[0]!), /300 µs\s+200 µs\s+1\.50×/);
    const context = {
      startedAt: "2025-01-01T00:00:00.000Z",
      durationSeconds: 5,
      warmupUpdates: 2000,
      node: "20",
      cpu: "cpu",
      cores: 2,
      loadAverage: { before: 1, after: 2 },
      profiled: false,
    };
    const summary = {
      rows: [{ name: "inject", location: "src/runner/trial-probe.ts", selfMs: 12, share: 0.1 }],
      totalMs: 120,
      idleMs: 900,
      windowed: true,
    };
    const md = renderHarnessCostMarkdown(pairs, context, [
      { file: "profiles/harness-1000.cpuprofile", summary },
    ]);
    assert.match(md, /\| 1000 \| 300 µs \| 200 µs \| 1\.50× \|/);
    assert.match(md, /\| 12\.0 \| 10\.0% \| inject \| src\/runner\/trial-probe\.ts \|/);
    const json = JSON.parse(renderHarnessCostJson(pairs, context, []));
    assert.equal(json.rates[0].ratio, 1.5);
    assert.equal(json.summaries[0].ratio, 1.5);
    assert.match(md, /\| 1000 \| 1 \| 300 µs \| 200 µs \| 1\.50× \| 1\.50–1\.50× \| yes \|/);
    assert.equal(json.verdict.highestSustainedRate, 1000);
  });

  it("shows the precise floor beside the floor, its ratio summarised but never judged", () => {
    const withPrecise = (rate: number, harnessUs: number, floorUs: number, preciseUs: number): RatePair => ({
      ...pair(rate, harnessUs, floorUs),
      preciseFloor: step("precise-floor", rate, preciseUs),
    });
    const pairs = [
      withPrecise(1000, 300, 200, 240),
      withPrecise(1000, 330, 220, 200),
      withPrecise(1000, 280, 200, 280),
      withPrecise(5000, 180, 90, 120),
    ];
    assert.equal(preciseRatioOf(pairs[0]!), 1.25);
    assert.equal(preciseRatioOf(pair(1000, 300, 200)), null);
    const [low, high] = summarise(pairs);
    assert.equal(low!.preciseFloorUsPerUpdate, 240);
    assert.equal(low!.preciseRatio, 1.25);
    assert.deepEqual([low!.preciseRatioMin, low!.preciseRatioMax], [1, 1.65]);
    assert.equal(high!.preciseRatio, 1.5);
    const verdict = verdictOf(pairs);
    assert.deepEqual(verdict.worstRatio, { ratePerSecond: 5000, ratio: 2 });
    assert.equal(verdict.ratioMet, false, "judged on the floor alone");
    assert.deepEqual(verdict.worstPreciseRatio, { ratePerSecond: 5000, ratio: 1.5 });
    assert.match(verdictLines(verdict)[2]!, /precise floor .*not judged.*1\.50× \(at 5000\/s\)/);
    assert.match(summaryLine(low!), /precise floor 240 µs, ratio 1\.25× \(range 1\.00–1\.65×\)/);
    assert.match(tableHeader(true), /ratio\s+precise floor\s+ratio p/);
    assert.match(tableRow(pairs[3]!, true), /180 µs\s+90 µs\s+2\.00×\s+120 µs\s+1\.50×/);
    assert.doesNotMatch(tableHeader(), /precise/);
    // Without a precise floor at every rate there is no precise verdict.
    assert.equal(verdictOf([...pairs, pair(6000, 170, 85)]).worstPreciseRatio, null);
  });
});
