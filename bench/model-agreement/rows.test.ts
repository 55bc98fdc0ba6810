import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BOT_BEHAVIOURS } from "../../src/model/bot-behaviours.ts";
import {
  fixtureCell,
  fixtureReport,
  fixtureTrial,
  latencyRecord,
  unsupported,
} from "../../src/report/report-fixtures.ts";
import { BENCH_BOTS } from "../bots/catalog.ts";
import { replayTrial } from "./replay.ts";
import { agreementOf, storedInput } from "./rows.ts";

/** A short-polling trial measuring `emptyShare` over 1000 polls and `p50Ms` end to end. */
function shortPollTrial(emptyShare: number, p50Ms: number) {
  const trial = fixtureTrial("short-polling", 1, {
    getUpdates: 1_000,
    emptyGetUpdates: Math.round(emptyShare * 1_000),
  });
  trial.latency.endToEnd = latencyRecord(p50Ms * 1_000, 2, 300);
  trial.generator.lateness = latencyRecord(0, 1, 0);
  return trial;
}

describe("model agreement rows", () => {
  test("a trial that measured the model's figures for its schedule is within the targets; a far-off one is not", () => {
    const settings = { pollIntervalMs: 1_000, antiBusyLoop: true };
    // The model given this trial's own schedule (replayed), and a trial that measured just that.
    const probe = fixtureCell("reference", "short-polling", 1, [shortPollTrial(0.5, 100)]);
    probe.settings = settings;
    const probeReport = fixtureReport([probe]);
    const replay = replayTrial(
      storedInput(probeReport, probe, probe.trials[0]!),
      probeReport,
      probe,
      probe.trials[0]!,
    );
    const close = fixtureCell("reference", "short-polling", 1, [
      shortPollTrial(replay.emptyShare.value!, replay.endToEndP50Ms.value!),
    ]);
    close.settings = settings;
    const far = fixtureCell("reference", "short-polling", 1, [shortPollTrial(0.9, 2_000)]);
    far.settings = settings;
    const agreement = agreementOf(fixtureReport([close, far]));
    const empty = agreement.rows.filter((r) => r.figure === "empty share");
    assert.equal(empty.length, 2);
    assert.equal(empty[0]!.within, true);
    assert.equal(empty[1]!.within, false);
    assert.ok(Math.abs(empty[0]!.difference) < 0.001);
    assert.ok(empty[0]!.source.startsWith("replay; report's model "), empty[0]!.source);
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
