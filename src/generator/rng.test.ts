import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng, type Rng } from "./rng.ts";

const draws = (rng: Rng, count: number): number[] => Array.from({ length: count }, () => rng.next());

describe("createRng", () => {
  test("the same seed gives the same sequence", () => {
    assert.deepEqual(draws(createRng(42), 1000), draws(createRng(42), 1000));
    assert.deepEqual(draws(createRng("run-a"), 1000), draws(createRng("run-a"), 1000));
  });

  test("a number seed and its decimal string give the same sequence", () => {
    assert.deepEqual(draws(createRng(42), 100), draws(createRng("42"), 100));
  });

  test("different seeds give different sequences", () => {
    const sequences = [1, 2, 3, "1 ", "a", "b"].map((seed) => draws(createRng(seed), 8).join());
    assert.equal(new Set(sequences).size, sequences.length);
  });

  test("rejects a non-finite number seed", () => {
    assert.throws(() => createRng(Number.NaN), RangeError);
    assert.throws(() => createRng(Number.POSITIVE_INFINITY), RangeError);
  });

  test("next() stays in [0, 1) with mean ≈ 0.5 and variance ≈ 1/12 over 100k draws", () => {
    const rng = createRng(7);
    const count = 100_000;
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = 0; i < count; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1, `draw ${x} out of range`);
      sum += x;
      sumOfSquares += x * x;
    }
    const mean = sum / count;
    // Standard error of the mean is sqrt(1/12 / n) ≈ 0.0009; allow 5 of them.
    assert.ok(Math.abs(mean - 0.5) < 0.0046, `mean ${mean}`);
    assert.ok(Math.abs(sumOfSquares / count - mean * mean - 1 / 12) < 0.002);
  });

  test("int() covers the whole inclusive range evenly", () => {
    const rng = createRng(11);
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const value = rng.int(-2, 3);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    assert.deepEqual(
      [...counts.keys()].sort((a, b) => a - b),
      [-2, -1, 0, 1, 2, 3],
    );
    for (const count of counts.values()) assert.ok(Math.abs(count - 10_000) < 500, `count ${count}`);
    assert.equal(rng.int(5, 5), 5);
  });

  for (const [min, max] of [
    [3, 2],
    [0.5, 2],
    [0, 2 ** 32],
  ] as const) {
    test(`int(${min}, ${max}) throws a RangeError`, () => {
      assert.throws(() => createRng(1).int(min, max), RangeError);
    });
  }

  test("pick() returns every item and rejects an empty list", () => {
    const rng = createRng(3);
    const seen = new Set(Array.from({ length: 200 }, () => rng.pick(["a", "b", "c"])));
    assert.deepEqual([...seen].sort(), ["a", "b", "c"]);
    assert.throws(() => rng.pick([]), RangeError);
  });

  test("chance() matches its probability and rejects values outside [0, 1]", () => {
    const rng = createRng(5);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (rng.chance(0.25)) hits++;
    assert.ok(Math.abs(hits / 20_000 - 0.25) < 0.015, `share ${hits / 20_000}`);
    assert.equal(rng.chance(0), false);
    assert.equal(rng.chance(1), true);
    assert.throws(() => rng.chance(1.5), RangeError);
  });

  test("exponential() has mean 1/rate seconds", () => {
    const rng = createRng(9);
    let sum = 0;
    for (let i = 0; i < 50_000; i++) sum += rng.exponential(4);
    assert.ok(Math.abs(sum / 50_000 - 0.25) < 0.006, `mean ${sum / 50_000}`);
    assert.throws(() => rng.exponential(0), RangeError);
    assert.throws(() => rng.exponential(Number.POSITIVE_INFINITY), RangeError);
  });
});

describe("Rng.fork", () => {
  test("a fork is deterministic and does not consume draws of its parent", () => {
    const parent = createRng(1);
    const forkedFirst = parent.fork("a");
    const afterFork = draws(parent, 10);
    assert.deepEqual(afterFork, draws(createRng(1), 10));
    assert.deepEqual(draws(forkedFirst, 10), draws(createRng(1).fork("a"), 10));
  });

  test("a fork's stream does not depend on when it was forked", () => {
    const early = createRng(1).fork("a");
    const used = createRng(1);
    draws(used, 500);
    assert.deepEqual(draws(used.fork("a"), 10), draws(early, 10));
  });

  test("forks with different labels, and the parent, are independent", () => {
    const root = createRng(1);
    const streams = [root, root.fork("a"), root.fork("b"), root.fork("a").fork("b")].map((rng) =>
      draws(rng, 8).join(),
    );
    assert.equal(new Set(streams).size, streams.length);
  });

  test("draws of two forks are uncorrelated", () => {
    const a = createRng(2).fork("arrivals");
    const b = createRng(2).fork("content");
    const count = 20_000;
    let sumProducts = 0;
    for (let i = 0; i < count; i++) sumProducts += (a.next() - 0.5) * (b.next() - 0.5);
    // Correlation ≈ 12·E[(x-½)(y-½)]; its standard error at n = 20k is ≈ 0.007.
    assert.ok(Math.abs((12 * sumProducts) / count) < 0.035);
  });

  test("seedKey names the root seed and the fork path", () => {
    assert.equal(createRng(42).seedKey, "42");
    assert.equal(createRng(42).fork("arrivals").fork("x").seedKey, "42/arrivals/x");
  });
});
