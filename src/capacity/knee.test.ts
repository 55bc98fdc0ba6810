import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseSteps, isHarnessBound, type OpenLoopStep } from "./knee.ts";

const step = (
  offeredPerSecond: number,
  p50Ms: number | null,
  extra: { keptUp?: boolean; harnessBound?: boolean } = {},
): OpenLoopStep => {
  const keptUp = extra.keptUp ?? true;
  return {
    kind: "open-loop",
    targetPerSecond: offeredPerSecond,
    offeredPerSecond,
    answeredPerSecond: keptUp ? offeredPerSecond : offeredPerSecond / 2,
    keptUp,
    p50Us: p50Ms === null ? null : p50Ms * 1_000,
    p99Us: p50Ms === null ? null : p50Ms * 3_000,
    generatorLatenessP50Us: 50,
    harnessCpuShare: 0.3,
    harnessBound: extra.harnessBound ?? false,
  };
};

describe("analyseSteps", () => {
  test("the knee is the first step off the floor whose next step is off it too", () => {
    const a = analyseSteps([step(50, 1), step(100, 1.2), step(200, 3.5), step(400, 9)], 3, false);
    assert.deepEqual(a.end, {
      kind: "knee",
      index: 2,
      confirmedBy: 3,
      reason: "p50 3.50 ms > 3 × floor 1.00 ms",
    });
    assert.equal(a.highestSustainedPerSecond, 100);
  });

  test("one step off the floor followed by one on it is a blip, not the knee", () => {
    const a = analyseSteps(
      [step(50, 2), step(100, 1), step(200, 140), step(400, 1.1), step(800, 1.2)],
      3,
      false,
    );
    assert.equal(a.end.kind, "open");
    assert.deepEqual(
      a.marks.map((m) => m.onFloor),
      [true, true, false, true, true],
    );
    // Steps above a blip that stayed on the floor are sustained.
    assert.equal(a.highestSustainedPerSecond, 800);
  });

  test("the floor is the lowest p50 of the steps on it, so a slow first step does not hide the knee", () => {
    const a = analyseSteps([step(50, 2.4), step(400, 1), step(1600, 3.3), step(2000, 4.5)], 3, true);
    assert.equal(a.floorUs, 1_000);
    assert.equal(a.end.kind, "knee");
    if (a.end.kind === "knee") assert.equal(a.end.index, 2);
  });

  test("a step that did not keep up is off the floor, even with a low p50", () => {
    const a = analyseSteps(
      [step(50, 1), step(100, 1.1, { keptUp: false }), step(200, 1.1, { keptUp: false })],
      3,
      false,
    );
    assert.deepEqual(a.end, { kind: "knee", index: 1, confirmedBy: 2, reason: "did not keep up" });
    assert.equal(a.highestSustainedPerSecond, 50);
  });

  test("the lowest step not keeping up, confirmed, leaves nothing sustained", () => {
    const a = analyseSteps([step(50, 9, { keptUp: false }), step(100, 20, { keptUp: false })], 3, false);
    assert.equal(a.end.kind, "knee");
    assert.equal(a.highestSustainedPerSecond, null);
  });

  test("a last step off the floor is not a knee until a step confirms it", () => {
    const a = analyseSteps([step(50, 1), step(100, 5)], 3, true);
    assert.equal(a.end.kind, "open");
    assert.match(a.end.reason, /confirm/);
  });

  test("every step on the floor up to the highest rate ends at the max rate", () => {
    assert.equal(analyseSteps([step(50, 1), step(100, 2.9), step(200, 3)], 3, true).end.kind, "max-rate");
    assert.equal(analyseSteps([step(50, 1), step(100, 2.9)], 3, false).end.kind, "open");
  });

  test("a knee that one harness-bound step shows, and a step with the harness on schedule confirms, is the bot's", () => {
    const a = analyseSteps(
      [
        step(500, 1),
        step(800, 1),
        step(1100, 900, { keptUp: false, harnessBound: true }),
        step(1300, 900, { keptUp: false }),
      ],
      3,
      false,
    );
    assert.equal(a.end.kind, "knee");
  });

  test("a knee whose step and confirming step were harness-bound is the harness's ceiling", () => {
    const a = analyseSteps(
      [
        step(500, 1),
        step(1000, 1),
        step(2000, 5, { harnessBound: true }),
        step(3000, 9, { harnessBound: true }),
      ],
      3,
      false,
    );
    assert.equal(a.end.kind, "harness-ceiling");
    assert.equal(a.highestSustainedPerSecond, 1000);
  });
});

describe("isHarnessBound", () => {
  test("the generator's lateness p50 above 1 ms or the harness above 90 % of a core", () => {
    assert.equal(isHarnessBound(200, 0.5), false);
    assert.equal(isHarnessBound(1_500, 0.5), true);
    assert.equal(isHarnessBound(200, 0.95), true);
    assert.equal(isHarnessBound(null, null), false);
  });
});
