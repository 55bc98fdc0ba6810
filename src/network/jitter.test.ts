import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../generator/rng.ts";
import { createJitter, jitterFloorMs } from "./jitter.ts";

function draws(sdMs: number, count: number, seed = "jitter-test"): number[] {
  const jitter = createJitter(sdMs, createRng(seed));
  return Array.from({ length: count }, jitter).sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

describe("createJitter", () => {
  test("the same seed gives the same deviations", () => {
    assert.deepEqual(draws(3, 50, "a"), draws(3, 50, "a"));
    assert.notDeepEqual(draws(3, 50, "a"), draws(3, 50, "b"));
  });

  test("deviations have median 0 and the asked standard deviation", () => {
    const sdMs = 4;
    const sample = draws(sdMs, 40_000);
    const mean = sample.reduce((s, x) => s + x, 0) / sample.length;
    const sd = Math.sqrt(sample.reduce((s, x) => s + (x - mean) ** 2, 0) / (sample.length - 1));
    assert.ok(Math.abs(quantile(sample, 0.5)) < 0.03 * sdMs, `median ${quantile(sample, 0.5)}`);
    assert.ok(Math.abs(sd / sdMs - 1) < 0.05, `sd ${sd}`);
  });

  test("the distribution has a floor and a right tail longer than a normal one's", () => {
    const sdMs = 2;
    const sample = draws(sdMs, 40_000);
    assert.ok(sample[0]! >= jitterFloorMs(sdMs), `min ${sample[0]} below floor ${jitterFloorMs(sdMs)}`);
    assert.ok(jitterFloorMs(sdMs) > -1.7 * sdMs);
    // A normal distribution's p99 is +2.33 sd and its p1 −2.33 sd.
    assert.ok(quantile(sample, 0.99) > 3 * sdMs, `p99 ${quantile(sample, 0.99)}`);
    assert.ok(quantile(sample, 0.01) > -1.7 * sdMs, `p1 ${quantile(sample, 0.01)}`);
  });

  test("no jitter is exactly zero and draws nothing", () => {
    const rng = createRng("zero");
    const jitter = createJitter(0, rng);
    assert.equal(jitter(), 0);
    assert.equal(rng.next(), createRng("zero").next());
  });

  test("a negative or infinite sd is refused", () => {
    assert.throws(() => createJitter(-1, createRng(1)), RangeError);
    assert.throws(() => createJitter(Number.POSITIVE_INFINITY, createRng(1)), RangeError);
  });
});
