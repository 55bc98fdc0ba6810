import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createLatencyHistogram,
  decodeLatencyHistogram,
  LatencyHistogramDecodeError,
} from "./latency-histogram.ts";

/** True when `actual` is within HdrHistogram's 3-digit resolution (0.1 %) of `expected`. */
function near(actual: number | null, expected: number): boolean {
  return actual !== null && Math.abs(actual - expected) <= expected * 0.001 + 1;
}

describe("latency histogram", () => {
  test("an empty histogram summarises to a count of 0 and no figures (null, not 0 µs)", () => {
    const h = createLatencyHistogram();
    assert.deepEqual(h.summary(), {
      count: 0,
      minUs: null,
      meanUs: null,
      p50Us: null,
      p90Us: null,
      p99Us: null,
      p999Us: null,
      maxUs: null,
    });
    assert.equal(h.valueAtPercentile(50), null);
    assert.deepEqual(h.recordedValues(), []);
  });

  test("recordedValues lists each distinct value at the resolution percentiles report, with its count", () => {
    const h = createLatencyHistogram();
    for (const us of [10, 10, 20, 5_000, 5_001, 5_002, 1_000_000]) h.recordUs(us);
    const values = h.recordedValues();
    assert.equal(
      values.reduce((sum, v) => sum + v.count, 0),
      7,
    );
    assert.deepEqual(
      values.map((v) => v.valueUs),
      [...values.map((v) => v.valueUs)].sort((a, b) => a - b),
    );
    assert.deepEqual(values.slice(0, 2), [
      { valueUs: 10, count: 2 },
      { valueUs: 20, count: 1 },
    ]);
    assert.equal(values.at(-1)?.valueUs, h.summary().maxUs);
    assert.equal(values[2]?.valueUs, h.valueAtPercentile(50));
  });

  test("percentiles of 1 … 10,000 µs are within 0.1 %", () => {
    const h = createLatencyHistogram();
    for (let us = 1; us <= 10_000; us++) h.recordUs(us);
    const s = h.summary();
    assert.equal(s.count, 10_000);
    assert.equal(s.minUs, 1);
    assert.ok(near(s.meanUs, 5_000.5), `mean ${s.meanUs}`);
    assert.ok(near(s.p50Us, 5_000), `p50 ${s.p50Us}`);
    assert.ok(near(s.p90Us, 9_000), `p90 ${s.p90Us}`);
    assert.ok(near(s.p99Us, 9_900), `p99 ${s.p99Us}`);
    assert.ok(near(s.p999Us, 9_990), `p99.9 ${s.p999Us}`);
    assert.ok(near(s.maxUs, 10_000), `max ${s.maxUs}`);
  });

  test("values are rounded to whole µs", () => {
    const h = createLatencyHistogram();
    h.recordUs(2.4);
    h.recordUs(2.6);
    assert.equal(h.summary().minUs, 2);
    assert.equal(h.summary().maxUs, 3);
    assert.equal(h.clampedCount, 0);
  });

  test("values outside 1 µs … 1 h are clamped and counted, never thrown", () => {
    const h = createLatencyHistogram();
    for (const us of [0, -5, 0.2, Number.NaN, 7_200_000_000, Number.POSITIVE_INFINITY]) h.recordUs(us);
    assert.equal(h.count, 6);
    assert.equal(h.clampedCount, 6);
    assert.equal(h.summary().minUs, 1);
    assert.ok(near(h.summary().maxUs, 3_600_000_000));
  });

  test("merge adds the other histogram's values and clamped count, leaving it unchanged", () => {
    const a = createLatencyHistogram();
    const b = createLatencyHistogram();
    a.recordUs(100);
    b.recordUs(1_000);
    b.recordUs(0);
    a.merge(b);
    assert.equal(a.count, 3);
    assert.equal(a.clampedCount, 1);
    assert.ok(near(a.summary().maxUs, 1_000));
    assert.equal(b.count, 2);
  });

  test("encode and decode round-trip the values", () => {
    const h = createLatencyHistogram();
    for (const us of [5, 50, 500, 5_000, 50_000, 5_000_000]) h.recordUs(us);
    const decoded = decodeLatencyHistogram(h.encode());
    assert.deepEqual(decoded.summary(), h.summary());
    decoded.merge(h);
    assert.equal(decoded.count, 12);
  });

  test("decoding text that is not a histogram throws a LatencyHistogramDecodeError", () => {
    assert.throws(() => decodeLatencyHistogram("not base64!"), LatencyHistogramDecodeError);
    assert.throws(() => decodeLatencyHistogram(""), LatencyHistogramDecodeError);
  });

  test("reset forgets values and the clamped count", () => {
    const h = createLatencyHistogram();
    h.recordUs(0);
    h.recordUs(10);
    h.reset();
    assert.equal(h.count, 0);
    assert.equal(h.clampedCount, 0);
    assert.equal(h.summary().maxUs, null);
  });
});
