import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../generator/rng.ts";
import { type DurationSpec, duration } from "./distributions.ts";

describe("duration distributions", () => {
  const specs: Array<[string, DurationSpec]> = [
    ["constant", 5],
    ["uniform", { kind: "uniform", minMs: 2, maxMs: 6 }],
    ["exponential", { kind: "exponential", meanMs: 3 }],
    ["lognormal", { kind: "lognormal", medianMs: 2, sigma: 0.5 }],
    ["pareto", { kind: "pareto", minMs: 1, shape: 3.5 }],
    ["normal clamped at 0", { kind: "normal", meanMs: 1, sdMs: 2 }],
    ["empirical", { kind: "empirical", samplesMs: [1, 2, 2, 9] }],
  ];
  for (const [name, spec] of specs) {
    test(`${name}: draws are ≥ 0 and their mean and second moment match the exact ones`, () => {
      const d = duration("x", spec);
      const rng = createRng(`dist/${name}`);
      const n = 40_000;
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < n; i++) {
        const x = d.sample(rng);
        assert.ok(x >= 0, `${x} < 0`);
        sum += x;
        sum2 += x * x;
      }
      const variance = d.secondMomentMs2 - d.meanMs ** 2;
      const tolerance = 5 * Math.sqrt(variance / n) + 1e-12;
      assert.ok(Math.abs(sum / n - d.meanMs) <= tolerance, `mean ${sum / n} vs ${d.meanMs}`);
      if (name !== "pareto") {
        // Pareto's fourth moment is infinite below shape 4: its sample second moment converges slowly.
        assert.ok(
          Math.abs(sum2 / n - d.secondMomentMs2) / d.secondMomentMs2 < 0.05,
          `E[X²] ${sum2 / n} vs ${d.secondMomentMs2}`,
        );
      }
      assert.equal(d.constant, name === "constant");
    });
  }

  test("invalid parameters are refused with a RangeError naming them", () => {
    const bad: Array<[string, DurationSpec]> = [
      ["handlerMs", -1],
      ["handlerMs.maxMs", { kind: "uniform", minMs: 3, maxMs: 1 }],
      ["handlerMs.shape", { kind: "pareto", minMs: 1, shape: 1 }],
      ["handlerMs.samplesMs", { kind: "empirical", samplesMs: [] }],
    ];
    for (const [name, spec] of bad) {
      assert.throws(
        () => duration("handlerMs", spec),
        (e: unknown) => e instanceof RangeError && e.message.includes(name),
        name,
      );
    }
  });
});
