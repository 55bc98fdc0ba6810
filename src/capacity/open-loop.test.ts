import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ResolvedScenario } from "../runner/scenario.ts";
import type { OpenLoopStep } from "./knee.ts";
import { roundRate, runOpenLoopSteps, type StepRunner, stepRates } from "./open-loop.ts";

describe("stepRates", () => {
  test("fractions of the closed-loop capacity, two significant digits, rising, no repeats", () => {
    assert.deepEqual(stepRates(3_691, [0.125, 0.25, 0.5, 1, 2], 10, 20_000), [460, 920, 1_800, 3_700, 7_400]);
  });

  test("raised to the lowest rate and capped at the highest", () => {
    assert.deepEqual(stepRates(20, [0.125, 0.25, 0.5, 1, 2, 4], 10, 60), [10, 20, 40, 60]);
  });

  test("a bot that answered nothing still gets the lowest rate", () => {
    assert.deepEqual(stepRates(0, [0.5, 1, 2], 10, 100), [10]);
  });
});

describe("roundRate", () => {
  test("keeps two significant digits", () => {
    assert.equal(roundRate(3_691), 3_700);
    assert.equal(roundRate(46.1), 46);
    assert.equal(roundRate(7), 7);
  });
});

/** A step runner whose p50 per rate comes from a table: no process, no socket. */
function fakeSteps(p50MsByRate: Record<number, number[]>): { run: StepRunner; asked: number[] } {
  const asked: number[] = [];
  const run: StepRunner = async (_scenario, rate) => {
    const n = asked.filter((r) => r === rate).length;
    asked.push(rate);
    const p50Ms = p50MsByRate[rate]?.[n] ?? 1;
    return {
      kind: "open-loop",
      targetPerSecond: rate,
      offeredPerSecond: rate,
      answeredPerSecond: rate,
      keptUp: true,
      p50Us: p50Ms * 1000,
      p99Us: p50Ms * 2000,
      generatorLatenessP50Us: 10,
      harnessCpuShare: 0.2,
      harnessBound: false,
    } satisfies OpenLoopStep;
  };
  return { run, asked };
}

const scenario = {} as ResolvedScenario;
const ctx = (run: StepRunner) => ({
  signal: new AbortController().signal,
  toolVersion: "test",
  onStep: () => {},
  runStep: run,
});

describe("runOpenLoopSteps", () => {
  test("stops at the step that confirms the knee", async () => {
    const f = fakeSteps({ 400: [5], 800: [9] });
    const { analysis } = await runOpenLoopSteps(
      scenario,
      { ratesPerSecond: [100, 200, 400, 800, 1600, 3200], kneeFactor: 3, maxSteps: 12 },
      ctx(f.run),
    );
    assert.deepEqual(f.asked, [100, 200, 400, 800]);
    assert.equal(analysis.end.kind, "knee");
  });

  test("repeats the highest rate once when it left the floor with nothing above to confirm it", async () => {
    const f = fakeSteps({ 400: [5, 6] });
    const { analysis } = await runOpenLoopSteps(
      scenario,
      { ratesPerSecond: [100, 200, 400], kneeFactor: 3, maxSteps: 12 },
      ctx(f.run),
    );
    assert.deepEqual(f.asked, [100, 200, 400, 400]);
    assert.equal(analysis.end.kind, "knee");
  });

  test("a repeat of the highest rate back on the floor ends at the max rate", async () => {
    const f = fakeSteps({ 400: [5, 1] });
    const { analysis } = await runOpenLoopSteps(
      scenario,
      { ratesPerSecond: [100, 200, 400], kneeFactor: 3, maxSteps: 12 },
      ctx(f.run),
    );
    assert.deepEqual(f.asked, [100, 200, 400, 400]);
    assert.equal(analysis.end.kind, "max-rate");
  });

  test("never runs more than maxSteps steps", async () => {
    const f = fakeSteps({});
    await runOpenLoopSteps(
      scenario,
      { ratesPerSecond: [1, 2, 3, 4, 5], kneeFactor: 3, maxSteps: 3 },
      ctx(f.run),
    );
    assert.deepEqual(f.asked, [1, 2, 3]);
  });
});
