import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { networkPreset } from "../../src/network/index.ts";
import { compareCells, formatTables, type Measured, percentile } from "./compare.ts";
import type { TrafficResult } from "./traffic.ts";

const result = (over: Partial<TrafficResult> = {}): TrafficResult => ({
  mode: "webhook",
  answered: 3,
  getUpdates: 0,
  sendMessage: 3,
  webhookPosts: 3,
  errors: 0,
  latenciesMs: [20, 21, 22],
  ...over,
});

const pair = (relay: TrafficResult, toxi: TrafficResult): Measured[] => [
  { profile: networkPreset("region"), emulator: "relay", result: relay, queue: null },
  { profile: networkPreset("region"), emulator: "toxiproxy", result: toxi, queue: null },
];

describe("compareCells", () => {
  test("percentile is the nearest rank", () => {
    assert.equal(percentile([5, 1, 3, 2, 4], 0.5), 3);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    assert.equal(percentile([1, 2, 3, 4], 0.99), 4);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });

  test("equal counts and p50 within 10% agree", () => {
    const [a] = compareCells(pair(result(), result({ latenciesMs: [19, 20, 23] })));
    assert.equal(a?.agrees, true);
    assert.ok(Math.abs(a!.p50Difference - 0.05) < 1e-9);
  });

  test("a p50 more than 10% apart disagrees", () => {
    const [a] = compareCells(pair(result(), result({ latenciesMs: [18, 19, 19] })));
    assert.equal(a?.agrees, false);
    assert.equal(a?.countsEqual, true);
  });

  test("a lost reply or an error disagrees whatever the latency", () => {
    assert.equal(compareCells(pair(result(), result({ sendMessage: 2 })))[0]?.countsEqual, false);
    assert.equal(compareCells(pair(result({ errors: 1 }), result()))[0]?.agrees, false);
  });

  test("getUpdates may differ by up to 5%", () => {
    const lp = (getUpdates: number) => result({ mode: "long-polling", webhookPosts: 0, getUpdates });
    assert.equal(compareCells(pair(lp(100), lp(96)))[0]?.agrees, true);
    assert.equal(compareCells(pair(lp(100), lp(90)))[0]?.agrees, false);
  });

  test("the tables name every cell and count the agreeing ones", () => {
    const measured = pair(result(), result());
    const text = formatTables(measured, compareCells(measured));
    assert.match(text, /\| region \| 20 \| webhook \| relay \|/);
    assert.match(text, /1 of 1 cells agree\./);
  });
});
