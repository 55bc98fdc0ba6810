import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { linearScale, logScale } from "./svg-scale.ts";

describe("linearScale", () => {
  const cases: Array<[string, [number, number], number, number, number[]]> = [
    ["rounds out to 1-2-5 steps", [0, 23], 5, 0, [0, 5, 10, 15, 20, 25]],
    ["handles fractions without float noise", [0, 0.3], 3, 0, [0, 0.1, 0.2, 0.3]],
    ["widens a single value", [0, 0], 5, 0, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    ["keeps whole ticks when asked", [0, 3], 8, 1, [0, 1, 2, 3]],
  ];
  for (const [what, [min, max], count, minStep, ticks] of cases) {
    test(what, () => assert.deepEqual(linearScale(min, max, [0, 100], count, minStep).ticks, ticks));
  }

  test("maps the domain onto the range, inverted ranges included", () => {
    const y = linearScale(0, 10, [200, 0]);
    assert.equal(y(0), 200);
    assert.equal(y(10), 0);
    assert.equal(y(5), 100);
  });
});

describe("logScale", () => {
  test("rounds out to decades, adding 2 and 5 when the span is short", () => {
    const s = logScale(1_500, 40_000, [0, 100]);
    assert.deepEqual(s.domain, [1_000, 100_000]);
    assert.deepEqual(s.ticks, [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]);
    assert.equal(s(10_000), 50);
  });

  test("only decades over a long span", () => {
    assert.deepEqual(
      logScale(2, 3_000_000, [0, 1]).ticks,
      [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000],
    );
  });

  test("survives a single value and values that cannot be on a log axis", () => {
    assert.deepEqual(logScale(100, 100, [0, 1]).domain, [100, 1_000]);
    assert.deepEqual(logScale(0, -5, [0, 1]).domain, [1, 10]);
  });
});
