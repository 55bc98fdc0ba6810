import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SATURATE_LIMITS } from "./defaults.ts";
import { maxRateFor, resolveSaturateOptions, SaturateOptionError } from "./options.ts";

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
    assert.throws(
      () => resolveSaturateOptions({ maxRatePerSecond: 0 }),
      (e: unknown) => e instanceof SaturateOptionError && /--max-rate/.test(e.message),
    );
  });

  test("the lowest step rate gives every step enough updates for a p50", () => {
    assert.equal(resolveSaturateOptions({ durationMs: 3_000 }).minRatePerSecond, 10);
    assert.equal(resolveSaturateOptions({ durationMs: 300 }).minRatePerSecond, 100);
    assert.equal(resolveSaturateOptions({ durationMs: 300, maxRatePerSecond: 50 }).minRatePerSecond, 50);
  });
});

describe("maxRateFor", () => {
  test("without --max-rate: the top fraction of the closed-loop capacity, within the limit", () => {
    const o = resolveSaturateOptions({});
    assert.equal(o.echo.maxRatePerSecond, "auto");
    assert.equal(maxRateFor(o, 1_000), Math.max(...o.stepFractions) * 1_000);
    assert.equal(maxRateFor(o, 1_000_000), SATURATE_LIMITS.maxRatePerSecond);
    assert.equal(maxRateFor(o, 0), o.minRatePerSecond);
  });

  test("--max-rate wins", () => {
    assert.equal(maxRateFor(resolveSaturateOptions({ maxRatePerSecond: 300 }), 10_000), 300);
  });
});
