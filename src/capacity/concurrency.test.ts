import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { concurrencyVerdict } from "./concurrency.ts";

describe("concurrencyVerdict", () => {
  test("about 1 / handler time is one update at a time", () => {
    const v = concurrencyVerdict({
      mode: "long-polling",
      handlerDelayMs: 50,
      measuredPerSecond: 19.2,
      connections: null,
    });
    assert.equal(v.kind, "one-at-a-time");
    assert.equal(v.oneAtATimePerSecond, 20);
    assert.match(v.verdict, /one at a time/);
  });

  test("well above 1 / handler time is concurrent, with Little's law's mean in the handler", () => {
    const v = concurrencyVerdict({
      mode: "webhook",
      handlerDelayMs: 50,
      measuredPerSecond: 700,
      connections: 40,
    });
    assert.equal(v.kind, "concurrent");
    assert.equal(v.meanInHandler, 35);
    assert.match(v.verdict, /concurrently/);
    assert.match(v.verdict, /autocannon's 40/);
  });

  test("far below 1 / handler time says something else limits the bot", () => {
    const v = concurrencyVerdict({
      mode: "long-polling",
      handlerDelayMs: 50,
      measuredPerSecond: 4,
      connections: null,
    });
    assert.equal(v.kind, "below-one-at-a-time");
  });

  test("without a handler delay there is no bound to compare with", () => {
    const v = concurrencyVerdict({
      mode: "webhook",
      handlerDelayMs: 0,
      measuredPerSecond: 3000,
      connections: 40,
    });
    assert.equal(v.kind, "no-delay");
    assert.equal(v.oneAtATimePerSecond, null);
  });
});
