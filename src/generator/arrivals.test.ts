import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ArrivalSpec } from "./arrival-options.ts";
import { ARRIVAL_PROCESSES, createArrivals } from "./arrivals.ts";
import { createRng } from "./rng.ts";

const schedule = (spec: ArrivalSpec, seed: number | string = 1): number[] => [
  ...createArrivals(spec, createRng(seed)),
];

const gapsOf = (timesMs: readonly number[]): number[] => timesMs.slice(1).map((t, i) => t - timesMs[i]!);

function meanAndCv(values: readonly number[]): { mean: number; cv: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return { mean, cv: Math.sqrt(variance) / mean };
}

const EVERY_PROCESS: ArrivalSpec[] = [
  { process: "constant", ratePerSecond: 50, durationMs: 5_000 },
  { process: "poisson", ratePerSecond: 50, durationMs: 5_000 },
  { process: "burst", ratePerSecond: 200, onMs: 300, offMs: 700, durationMs: 5_000 },
  { process: "ramp", fromRatePerSecond: 5, toRatePerSecond: 100, durationMs: 5_000 },
  { process: "replay", timelineMs: [0, 0, 5, 10.5, 10.5, 4_000] },
];

describe("arrival processes", () => {
  test("the registry holds constant, poisson, burst, ramp and replay", () => {
    assert.deepEqual(Object.keys(ARRIVAL_PROCESSES), ["constant", "poisson", "burst", "ramp", "replay"]);
  });

  for (const spec of EVERY_PROCESS) {
    test(`${spec.process}: the same seed gives the same schedule, non-decreasing and within bounds`, () => {
      const timesMs = schedule(spec, "s");
      assert.ok(timesMs.length > 0);
      assert.deepEqual(schedule(spec, "s"), timesMs);
      for (const gapMs of gapsOf(timesMs)) assert.ok(gapMs >= 0);
      assert.ok(timesMs[0]! >= 0 && timesMs.at(-1)! < 5_000);
    });
  }

  for (const spec of EVERY_PROCESS.filter((s) => s.process !== "constant" && s.process !== "replay")) {
    test(`${spec.process}: different seeds give different schedules`, () => {
      assert.notDeepEqual(schedule(spec, 1), schedule(spec, 2));
    });
  }

  test("constant: arrivals are exactly 1000/rate ms apart, starting at 0", () => {
    assert.deepEqual(
      schedule({ process: "constant", ratePerSecond: 10, durationMs: 1_000 }),
      [0, 100, 200, 300, 400, 500, 600, 700, 800, 900],
    );
    const thirds = schedule({ process: "constant", ratePerSecond: 3, maxCount: 4 });
    assert.deepEqual(thirds, [0, 1000 / 3, 2000 / 3, 1000]);
  });

  test("poisson: the count over a long window is within 3 sigma of λT and gaps have CV ≈ 1", () => {
    const ratePerSecond = 100;
    const durationMs = 1_000_000;
    const timesMs = schedule({ process: "poisson", ratePerSecond, durationMs }, "poisson-long");
    const expected = (ratePerSecond * durationMs) / 1_000;
    assert.ok(Math.abs(timesMs.length - expected) < 3 * Math.sqrt(expected), `count ${timesMs.length}`);
    const { mean, cv } = meanAndCv(gapsOf(timesMs));
    assert.ok(Math.abs(mean - 10) < 0.1, `mean gap ${mean} ms`);
    assert.ok(Math.abs(cv - 1) < 0.02, `cv ${cv}`);
  });

  test("ramp with constant spacing: the count equals the integral of the rate", () => {
    // (10 + 90) / 2 per second over 10 s = 500.
    const spec: ArrivalSpec = {
      process: "ramp",
      fromRatePerSecond: 10,
      toRatePerSecond: 90,
      durationMs: 10_000,
      spacing: "constant",
    };
    const timesMs = schedule(spec);
    assert.ok(Math.abs(timesMs.length - 500) <= 1, `count ${timesMs.length}`);
    // Over the first half the rate goes 10 → 50: (10 + 50) / 2 × 5 s = 150.
    assert.ok(Math.abs(timesMs.filter((t) => t < 5_000).length - 150) <= 1);
  });

  test("ramp with poisson spacing: counts in each half are within 3 sigma of the integral", () => {
    const spec: ArrivalSpec = {
      process: "ramp",
      fromRatePerSecond: 0,
      toRatePerSecond: 200,
      durationMs: 100_000,
    };
    const timesMs = schedule(spec, "ramp");
    for (const [fromMs, toMs, expected] of [
      [0, 50_000, 2_500],
      [50_000, 100_000, 7_500],
    ] as const) {
      const count = timesMs.filter((t) => t >= fromMs && t < toMs).length;
      assert.ok(Math.abs(count - expected) < 3 * Math.sqrt(expected), `${fromMs}–${toMs}: ${count}`);
    }
  });

  test("ramp: a ramp down to 0 ends by itself, and the rate holds after rampDurationMs", () => {
    const down = schedule({
      process: "ramp",
      fromRatePerSecond: 20,
      toRatePerSecond: 0,
      rampDurationMs: 1_000,
      maxCount: 1e6,
      spacing: "constant",
    });
    assert.ok(Math.abs(down.length - 10) <= 1);
    const held = schedule({
      process: "ramp",
      fromRatePerSecond: 0,
      toRatePerSecond: 10,
      rampDurationMs: 1_000,
      durationMs: 3_000,
      spacing: "constant",
    });
    // 5 during the ramp, then 10 per second for 2 s.
    assert.ok(Math.abs(held.length - 25) <= 1, `count ${held.length}`);
    const gapsAfterRampMs = gapsOf(held.filter((t) => t >= 1_000));
    for (const gapMs of gapsAfterRampMs) assert.ok(Math.abs(gapMs - 100) < 1e-6, `gap ${gapMs} ms`);
  });

  test("burst: nothing arrives in off windows, and each on window gets rate × onMs", () => {
    const onMs = 250;
    const offMs = 750;
    const poisson = schedule({ process: "burst", ratePerSecond: 400, onMs, offMs, durationMs: 100_000 }, "b");
    for (const t of poisson) assert.ok(t % (onMs + offMs) < onMs, `arrival at ${t} ms is in an off window`);
    // 100 windows × 400/s × 0.25 s = 10 000 expected.
    assert.ok(Math.abs(poisson.length - 10_000) < 300, `count ${poisson.length}`);
    const even = schedule({
      process: "burst",
      ratePerSecond: 40,
      onMs,
      offMs,
      durationMs: 3_000,
      spacing: "constant",
    });
    const firstWindowMs = [0, 25, 50, 75, 100, 125, 150, 175, 200, 225];
    const windowStartsMs = [0, 1_000, 2_000];
    assert.deepEqual(
      even,
      windowStartsMs.flatMap((startMs) => firstWindowMs.map((t) => startMs + t)),
    );
  });

  test("replay reproduces the timeline, scaled by timeScale", () => {
    const timelineMs = [0, 3, 3, 10, 250.5];
    assert.deepEqual(schedule({ process: "replay", timelineMs }), timelineMs);
    assert.deepEqual(schedule({ process: "replay", timelineMs, timeScale: 2 }), [0, 6, 6, 20, 501]);
    assert.deepEqual(schedule({ process: "replay", timelineMs, durationMs: 10 }), [0, 3, 3]);
  });

  test("replay does not change when the caller later edits the timeline", () => {
    const timelineMs = [1, 2, 3];
    const arrivals = createArrivals({ process: "replay", timelineMs }, createRng(1));
    timelineMs[2] = 99;
    assert.deepEqual([...arrivals], [1, 2, 3]);
  });
});

describe("arrival bounds", () => {
  test("maxCount caps the schedule, and durationMs excludes arrivals at or after it", () => {
    assert.equal(schedule({ process: "poisson", ratePerSecond: 1_000, maxCount: 37 }).length, 37);
    assert.deepEqual(
      schedule({ process: "constant", ratePerSecond: 1, durationMs: 2_000, maxCount: 9 }),
      [0, 1_000],
    );
    assert.deepEqual(
      schedule({ process: "constant", ratePerSecond: 1, durationMs: 10_000, maxCount: 2 }),
      [0, 1_000],
    );
    assert.deepEqual(schedule({ process: "poisson", maxCount: 0 }), []);
  });

  test("schedules are lazy: a huge bound costs nothing until pulled", () => {
    const arrivals = createArrivals(
      { process: "poisson", ratePerSecond: 1, maxCount: Number.MAX_SAFE_INTEGER },
      createRng(1),
    );
    assert.equal(typeof arrivals.next().value, "number");
  });

  for (const process of ["constant", "poisson", "burst", "ramp"] as const) {
    test(`${process} without durationMs or maxCount throws a RangeError naming both`, () => {
      assert.throws(
        () => createArrivals({ process }, createRng(1)),
        (error: unknown) => {
          assert.ok(error instanceof RangeError);
          assert.match(error.message, /durationMs.*maxCount/);
          return true;
        },
      );
    });
  }
});

describe("invalid arrival options", () => {
  const cases: Array<[string, ArrivalSpec, RegExp]> = [
    ["a zero rate", { process: "poisson", ratePerSecond: 0, durationMs: 1 }, /ratePerSecond/],
    ["a negative duration", { process: "constant", durationMs: -5 }, /durationMs/],
    ["a fractional maxCount", { process: "constant", maxCount: 1.5 }, /maxCount/],
    ["a zero on window", { process: "burst", onMs: 0, durationMs: 1 }, /onMs/],
    ["a negative off window", { process: "burst", offMs: -1, durationMs: 1 }, /offMs/],
    ["an unknown spacing", { process: "burst", spacing: "uniform" as never, durationMs: 1 }, /spacing/],
    [
      "a ramp from 0 to 0",
      { process: "ramp", fromRatePerSecond: 0, toRatePerSecond: 0, durationMs: 1 },
      /0 to 0/,
    ],
    ["a ramp without a duration", { process: "ramp", maxCount: 10 }, /rampDurationMs/],
    ["a replay without a timeline", { process: "replay" }, /parseTimeline/],
    ["a replay going backwards", { process: "replay", timelineMs: [5, 4] }, /timelineMs\[1\]/],
    ["a replay with a zero time scale", { process: "replay", timelineMs: [1], timeScale: 0 }, /timeScale/],
    ["an unknown process", { process: "sine" } as never, /constant, poisson, burst, ramp, replay/],
  ];
  for (const [name, spec, message] of cases) {
    test(`${name} throws a RangeError when the schedule is created`, () => {
      assert.throws(
        () => createArrivals(spec, createRng(1)),
        (error: unknown) => {
          assert.ok(error instanceof RangeError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
