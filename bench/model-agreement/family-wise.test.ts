import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sidakSigmas, twoSidedTail, twoSidedZ, withinFamilyWise } from "./family-wise.ts";
import { agreementSummary } from "./print.ts";
import { type AgreementRow, BENCH_TARGETS, summarise } from "./rows.ts";

const close = (a: number, b: number, tolerance: number) =>
  assert.ok(Math.abs(a - b) <= tolerance, `${a} is not within ${tolerance} of ${b}`);

describe("family-wise allowance", () => {
  test("the normal tail and its inverse match the tables", () => {
    close(twoSidedTail(1.959964), 0.05, 1e-6);
    close(twoSidedTail(3), 0.0026998, 1e-6);
    close(twoSidedZ(0.05), 1.959964, 1e-5);
  });

  test("Šidák's allowance is 1.96σ for one figure and grows with the number judged", () => {
    close(sidakSigmas(1), 1.959964, 1e-5);
    // 1 − 0.95^(1/150) = 3.4190e-4 two-sided: z = 3.5798 (normal tables).
    close(sidakSigmas(150), 3.58, 0.005);
    assert.ok(sidakSigmas(150) < sidakSigmas(300));
  });

  test("only the σ allowance widens: a figure beyond the fixed target without noise stays outside", () => {
    const target = BENCH_TARGETS.deliveryWaitMeanMs; // 10% or 2 ms, or 2σ
    // 3σ off with σ = 5 ms around 50 ms: outside at 2σ, within at 3.58σ.
    assert.equal(withinFamilyWise(65, 50, target, 5, 2), false);
    assert.equal(withinFamilyWise(65, 50, target, 5, 3.58), true);
    // 20% off with no sampling noise: outside however many figures are judged.
    assert.equal(withinFamilyWise(60, 50, target, 0, 3.58), false);
    assert.equal(withinFamilyWise(60, 50, target, Number.NaN, 3.58), false);
  });

  test("the summary prints the per-figure 2σ result and the family-wise one beside it", () => {
    const row = (cell: string, measured: number, within: boolean): AgreementRow => ({
      cell,
      trial: 1,
      figure: "delivery wait, mean (ms)",
      samples: 50,
      measured,
      model: 50,
      source: "replay",
      difference: measured - 50,
      standardError: 5,
      within,
      by: within ? "target" : null,
      target: BENCH_TARGETS.deliveryWaitMeanMs,
    });
    const lines = agreementSummary(summarise([row("a", 51, true), row("b", 63, false), row("c", 80, false)]));
    const text = lines.join("\n");
    assert.match(text, /^1\/3 figures with a target are within it/m);
    // Three figures: Šidák 2.39σ = 11.9 ms, so b (13 ms off) stays outside; c (30 ms) too.
    assert.match(text, /Family-wise \(Šidák, 95% over the 3 judged figures: 2\.39σ per figure/);
    assert.match(text, /1\/3 figures within \(33%\); 1\/3 cells have every figure within/);
    assert.match(text, /family-wise outside: c, delivery wait, mean \(ms\): \+30\.00 \(6\.00σ\)/);
    assert.match(text, /Outside the target \(per figure, 2σ\):/);
  });
});
