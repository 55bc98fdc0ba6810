import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { holmAdjust } from "./holm.ts";
import { fewestTrialsPerSide, mannWhitneyU, smallestOneSidedP, upperTailNormal } from "./mann-whitney.ts";

/** Samples without ties in which x has exactly `u` pairs above y: y = 2, 4, …; x placed between them. */
function samplesWithU(nx: number, ny: number, u: number): { x: number[]; y: number[] } {
  const y = Array.from({ length: ny }, (_, i) => 2 * (i + 1));
  const x: number[] = [];
  let left = u;
  for (let i = 0; i < nx; i++) {
    const above = Math.min(ny, left); // how many y values this x exceeds
    left -= above;
    x.push(2 * above + 1 + i / (nx + 1)); // distinct values, no ties with y
  }
  assert.equal(left, 0, "u must be at most nx·ny");
  return { x, y };
}

const close = (actual: number, expected: number, digits: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) < 0.5 * 10 ** -digits,
    `${what}: expected ${expected}, got ${actual}`,
  );

describe("the exact Mann–Whitney U test matches the published tables", () => {
  // P(U ≤ u) for n1 = n2 = 5, as tabulated by Mann & Whitney (1947), three decimals.
  const cumulative5x5 = [
    0.004, 0.008, 0.016, 0.028, 0.048, 0.075, 0.111, 0.155, 0.21, 0.274, 0.345, 0.421, 0.5,
  ];
  for (const [u, expected] of cumulative5x5.entries()) {
    test(`n = 5 and 5 with U = ${u} gives a one-sided p of ${expected}`, () => {
      const { x, y } = samplesWithU(5, 5, u);
      const result = mannWhitneyU(x, y);
      assert.equal(result.method, "exact");
      assert.equal(result.u, u);
      close(result.pLess, expected, 3, "P(U ≤ u)");
    });
  }

  // Largest U that is significant two-sided at 0.05 (the usual table of critical values).
  const critical: Array<[number, number, number]> = [
    [3, 6, 1],
    [3, 8, 2],
    [4, 4, 0],
    [4, 6, 2],
    [4, 8, 4],
    [5, 5, 2],
    [5, 7, 5],
    [5, 10, 8],
    [6, 6, 5],
    [6, 8, 8],
    [7, 7, 8],
    [8, 8, 13],
    [10, 10, 23],
  ];
  for (const [nx, ny, uCritical] of critical) {
    test(`n = ${nx} and ${ny}: U = ${uCritical} is significant at 0.05 two-sided and U = ${uCritical + 1} is not`, () => {
      const at = mannWhitneyU(samplesWithU(nx, ny, uCritical).x, samplesWithU(nx, ny, uCritical).y);
      const above = mannWhitneyU(
        samplesWithU(nx, ny, uCritical + 1).x,
        samplesWithU(nx, ny, uCritical + 1).y,
      );
      assert.ok(at.pTwoSided <= 0.05, `p at the critical value: ${at.pTwoSided}`);
      assert.ok(above.pTwoSided > 0.05, `p just above it: ${above.pTwoSided}`);
    });
  }

  test("R's wilcox.test example (x greater than y) gives W = 35 and p = 0.1272", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitneyU(x, y);
    assert.equal(result.u, 35);
    close(result.pGreater, 0.1272, 4, "one-sided p");
    close(result.pTwoSided, 0.2544, 4, "two-sided p");
  });
});

describe("the normal approximation matches R's wilcox.test with ties and continuity correction", () => {
  const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
  const cases: Array<[string, number[], number, number]> = [
    ["overlapping samples", [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5], 51.5, 0.5966],
    ["separated samples", [1233, 4356, 987, 39999, 1111, 200000], 0, 0.001364],
  ];
  for (const [what, y, w, p] of cases) {
    test(`${what}: W = ${w}, two-sided p = ${p}`, () => {
      const result = mannWhitneyU(x, y, { method: "normal" });
      assert.equal(result.u, w);
      assert.equal(result.ties, true);
      assert.ok(Math.abs(result.pTwoSided - p) / p < 5e-4, `expected ${p}, got ${result.pTwoSided}`);
    });
  }

  test("auto switches to the normal approximation above 50 values in all", () => {
    const x = Array.from({ length: 30 }, (_, i) => i);
    const y = Array.from({ length: 30 }, (_, i) => i + 0.5);
    assert.equal(mannWhitneyU(x, y).method, "normal");
    assert.equal(mannWhitneyU(x.slice(0, 25), y.slice(0, 25)).method, "exact");
  });

  test("the standard normal tail is right to seven decimals at known points", () => {
    for (const [z, tail] of [
      [0, 0.5],
      [1.959964, 0.025],
      [2.575829, 0.005],
      [-1.644854, 0.95],
    ] as const) {
      assert.ok(Math.abs(upperTailNormal(z) - tail) < 1e-7, `Q(${z}) = ${upperTailNormal(z)}`);
    }
  });
});

describe("the exact test with ties counts the actual permutations", () => {
  /** Brute force: every way to pick |x| of the pooled values, share with U at least / at most the observed. */
  function bruteForce(x: number[], y: number[]): { pGreater: number; pLess: number } {
    const pooled = [...x, ...y];
    const uOf = (a: number[], b: number[]) =>
      a.reduce((s, v) => s + b.reduce((t, w) => t + (v > w ? 1 : v === w ? 0.5 : 0), 0), 0);
    const observed = uOf(x, y);
    let greater = 0;
    let less = 0;
    let total = 0;
    const n = pooled.length;
    for (let mask = 0; mask < 1 << n; mask++) {
      let bits = 0;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
      if (bits !== x.length) continue;
      const a = pooled.filter((_, i) => mask & (1 << i));
      const b = pooled.filter((_, i) => !(mask & (1 << i)));
      const u = uOf(a, b);
      total++;
      if (u >= observed - 1e-9) greater++;
      if (u <= observed + 1e-9) less++;
    }
    return { pGreater: greater / total, pLess: less / total };
  }

  const cases: Array<[string, number[], number[]]> = [
    ["CPU figures on a 10 ms tick", [3500, 3600, 3600, 3700, 3500], [3600, 3700, 3800, 3800, 3700]],
    ["many ties across the samples", [1, 1, 2, 2, 3], [2, 2, 3, 3, 3, 4]],
    ["one side constant", [2, 2, 2, 2], [2, 2.2, 2.4, 2.2]],
    ["uneven sizes", [10, 12, 12], [9, 12, 13, 13, 15, 16]],
  ];
  for (const [what, x, y] of cases) {
    test(`${what}`, () => {
      const expected = bruteForce(x, y);
      const result = mannWhitneyU(x, y, { method: "exact" });
      close(result.pGreater, expected.pGreater, 12, "pGreater");
      close(result.pLess, expected.pLess, 12, "pLess");
    });
  }

  test("identical values on both sides give p = 1 either way", () => {
    const result = mannWhitneyU([2, 2, 2], [2, 2, 2]);
    assert.equal(result.pGreater, 1);
    assert.equal(result.pLess, 1);
    assert.equal(mannWhitneyU([2, 2, 2], [2, 2, 2], { method: "normal" }).pTwoSided, 1);
  });
});

describe("the smallest possible p-value decides whether a test can be significant at all", () => {
  const cases: Array<[number, number, number]> = [
    [1, 1, 0.5],
    [3, 3, 0.05],
    [4, 4, 1 / 70],
    [5, 5, 1 / 252],
    [8, 8, 1 / 12870],
  ];
  for (const [nx, ny, p] of cases) {
    test(`with n = ${nx} and ${ny} it is ${p.toPrecision(3)}`, () => {
      close(smallestOneSidedP(nx, ny), p, 12, "smallest p");
      const separated = mannWhitneyU(
        Array.from({ length: nx }, (_, i) => 100 + i),
        Array.from({ length: ny }, (_, i) => i),
      );
      close(separated.pGreater, p, 12, "p of non-overlapping samples");
    });
  }
});

describe("the fewest trials per side that can give a verdict", () => {
  const cases: Array<[number, number]> = [
    [0.05, 4],
    [0.01, 5],
    [0.001, 7],
  ];
  for (const [alpha, n] of cases) {
    test(`is ${n} at α = ${alpha}`, () => {
      assert.equal(fewestTrialsPerSide(alpha), n);
    });
  }
});

describe("Holm's correction", () => {
  test("matches R's p.adjust(method = 'holm')", () => {
    assert.deepEqual(holmAdjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
  });

  test("caps at 1 and leaves a single p-value alone", () => {
    assert.deepEqual(holmAdjust([0.5, 0.9]), [1, 1]);
    assert.deepEqual(holmAdjust([0.2]), [0.2]);
    assert.deepEqual(holmAdjust([]), []);
  });
});
