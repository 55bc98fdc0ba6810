import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keptUp, mainThreadShare, parseStepArgs, STEP_DEFAULTS, stepArgs, stepScenario } from "./step.ts";

describe("harness-cost steps", () => {
  it("pass their settings through the command line unchanged", () => {
    const settings = { ratePerSecond: 2500, durationMs: 3000, warmupUpdates: 10, drainTimeoutMs: 4000 };
    assert.deepEqual(parseStepArgs(stepArgs(settings)), settings);
    assert.deepEqual(parseStepArgs(["--rate", "100"]), {
      ratePerSecond: 100,
      durationMs: STEP_DEFAULTS.durationMs,
      warmupUpdates: STEP_DEFAULTS.warmupUpdates,
      drainTimeoutMs: STEP_DEFAULTS.drainTimeoutMs,
    });
    assert.throws(() => parseStepArgs([]), /--rate/);
    assert.throws(() => parseStepArgs(["--rate", "100", "--duration-ms", "x"]), /--duration-ms/);
  });

  it("run the reference bot in webhook mode with constant arrivals at the step's rate", () => {
    const scenario = stepScenario({
      ratePerSecond: 700,
      durationMs: 2000,
      warmupUpdates: 5,
      drainTimeoutMs: 1000,
    });
    assert.deepEqual(scenario.modes, ["webhook"]);
    assert.deepEqual(scenario.ratesPerSecond, [700]);
    assert.equal(scenario.arrival, "constant");
    assert.equal(scenario.subjects[0]?.name, "reference");
  });

  it("keep up by the runner's rule", () => {
    assert.ok(keptUp(5000, 5000, true));
    assert.equal(keptUp(5000, 5001, true), false);
    assert.ok(keptUp(1, 10, true), "at least 10 may be pending at any rate");
    assert.equal(keptUp(100, 0, false), false);
  });

  it("give the main thread's share of the CPU between two readings", () => {
    assert.equal(mainThreadShare({ mainMs: 100, otherMs: 50 }, { mainMs: 160, otherMs: 70 }), 0.75);
    assert.equal(mainThreadShare(null, { mainMs: 1, otherMs: 1 }), null);
    assert.equal(mainThreadShare({ mainMs: 1, otherMs: 1 }, { mainMs: 1, otherMs: 1 }), null);
  });
});
