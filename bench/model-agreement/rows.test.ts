import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BOT_BEHAVIOURS } from "../../src/model/bot-behaviours.ts";
import { predict } from "../../src/model/index.ts";
import {
  fixtureCell,
  fixtureReport,
  fixtureTrial,
  latencySummary,
  unsupported,
} from "../../src/report/report-fixtures.ts";
import { BENCH_BOTS } from "../bots/catalog.ts";
import { agreementOf } from "./rows.ts";

/** A short-polling trial measuring `emptyShare` over 1000 polls and `p50Ms` end to end. */
function shortPollTrial(emptyShare: number, p50Ms: number) {
  const trial = fixtureTrial("short-polling", 1, {
    getUpdates: 1_000,
    emptyGetUpdates: Math.round(emptyShare * 1_000),
  });
  trial.latency.endToEnd = latencySummary(p50Ms * 1_000, 2, 300);
  trial.generator.lateness = latencySummary(0, 1, 0);
  return trial;
}

describe("model agreement rows", () => {
  const input = { ratePerSecond: 1, mode: { mode: "short-polling", intervalMs: 1_000 } } as const;
  const model = predict(input, { simulation: { updates: 2_000 } }).figures;

  test("a trial that measured the model's figures is within the targets; a far-off one is not", () => {
    const close = fixtureCell("reference", "short-polling", 1, [
      shortPollTrial(model.emptyShare!, model.endToEndMs.p50Ms!),
    ]);
    close.settings = { pollIntervalMs: 1_000, antiBusyLoop: true };
    const far = fixtureCell("reference", "short-polling", 1, [shortPollTrial(0.9, 2_000)]);
    far.settings = { pollIntervalMs: 1_000, antiBusyLoop: true };
    const agreement = agreementOf(fixtureReport([close, far]));
    const empty = agreement.rows.filter((r) => r.figure === "empty share");
    assert.equal(empty.length, 2);
    assert.equal(empty[0]!.within, true);
    assert.equal(empty[1]!.within, false);
    assert.ok(Math.abs(empty[0]!.difference) < 0.001);
    // σ of a share near 0.3 over 1000 polls is about 1.4 percentage points.
    assert.ok(empty[0]!.standardError > 0.01 && empty[0]!.standardError < 0.02);
    const p50 = agreement.rows.filter((r) => r.figure === "end to end, p50 (ms)");
    assert.deepEqual(
      p50.map((r) => r.within),
      [true, false],
    );
    assert.ok(agreement.targeted >= 4 && agreement.withinTargets < agreement.targeted);
  });

  test("cells the model cannot take are listed with the reason", () => {
    const custom = fixtureCell("my-bot", "webhook", 1, [fixtureTrial("webhook", 1)]);
    const skipped = fixtureCell("reference", "webhook", 1, [], unsupported("reference has no such mode"));
    const agreement = agreementOf(fixtureReport([custom, skipped]));
    assert.equal(agreement.rows.length, 0);
    assert.deepEqual(
      agreement.skipped.map((s) => s.reason),
      ['no behaviour known for bot "my-bot"', "reference has no such mode"],
    );
  });
});

describe("the model knows every bot under test", () => {
  test("each bot in bench/bots/catalog.ts has a behaviour in src/model/bot-behaviours.ts", () => {
    for (const name of Object.keys(BENCH_BOTS)) assert.ok(Object.hasOwn(BOT_BEHAVIOURS, name), name);
  });
});
