import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findKnee, type OpenLoopStep } from "./knee.ts";
import { stepRates } from "./open-loop.ts";
import { resolveSaturateOptions, SaturateOptionError } from "./options.ts";

const step = (offeredPerSecond: number, p50Ms: number | null, keptUp = true): OpenLoopStep => ({
  kind: "open-loop",
  offeredPerSecond,
  answeredPerSecond: keptUp ? offeredPerSecond : offeredPerSecond / 2,
  keptUp,
  p50Us: p50Ms === null ? null : p50Ms * 1_000,
  p99Us: p50Ms === null ? null : p50Ms * 3_000,
});

describe("findKnee", () => {
  test("is the first step whose p50 passes k × the floor", () => {
    const knee = findKnee([step(50, 1), step(100, 1.2), step(200, 3.5), step(400, 9)], 3);
    assert.equal(knee?.index, 2);
    assert.match(knee?.reason ?? "", /p50 3\.50 ms > 3 × floor 1\.00 ms/);
  });

  test("is the first step that did not keep up, even with a low p50", () => {
    assert.deepEqual(findKnee([step(50, 1), step(100, 1.1, false), step(200, 5)], 3), {
      index: 1,
      reason: "did not keep up",
    });
  });

  test("is null when every step stays near the floor", () => {
    assert.equal(findKnee([step(50, 1), step(100, 2.9), step(200, 3)], 3), null);
  });
});

describe("stepRates", () => {
  test("doubles from the first rate and ends at the maximum", () => {
    assert.deepEqual(stepRates(50, 2, 800, 12), [50, 100, 200, 400, 800]);
    assert.deepEqual(stepRates(50, 2, 300, 12), [50, 100, 200, 300]);
  });

  test("never has more than maxSteps steps, the maximum always last", () => {
    const rates = stepRates(1, 2, 1_000_000, 4);
    assert.equal(rates.length, 4);
    assert.equal(rates.at(-1), 1_000_000);
  });
});

describe("resolveSaturateOptions", () => {
  test("refuses a value out of range, naming the flag", () => {
    assert.throws(
      () => resolveSaturateOptions({ connections: 0 }),
      (e: unknown) => e instanceof SaturateOptionError && /--connections/.test(e.message),
    );
    assert.throws(
      () => resolveSaturateOptions({ durationMs: Number.NaN }),
      (e: unknown) => e instanceof SaturateOptionError && /--duration/.test(e.message),
    );
  });
});
