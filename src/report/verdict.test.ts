import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cellKeptUp } from "../results/index.ts";
import {
  CANCELLED,
  fixtureCell,
  fixtureReport,
  fixtureTrial,
  realisticReport,
  unsupported,
} from "./report-fixtures.ts";
import { computeVerdict } from "./verdict.ts";

/** A bot's cell: `updates` answered updates with p50 `p50Us`, one trial of 4 s. */
const cell = (
  bot: string,
  mode: "short-polling" | "long-polling" | "webhook",
  p50Us: number,
  updates = 400,
) => fixtureCell(bot, mode, updates / 4, [fixtureTrial(mode, updates / 4, { p50Us, generated: updates })]);

describe("verdict", () => {
  test("opens with one line per bot, each with that bot's figures only", () => {
    const report = fixtureReport([
      cell("aiogram", "long-polling", 9_000),
      cell("aiogram", "webhook", 3_000),
      cell("grammy", "long-polling", 7_700),
      cell("grammy", "webhook", 7_600),
    ]);
    const v = computeVerdict(report);
    assert.deepEqual(
      v.bots.map((b) => b.bot),
      ["aiogram", "grammy"],
    );
    const [aiogram, grammy] = v.bots.map((b) => b.text);
    assert.match(aiogram!, /^aiogram, long polling → webhook: loopback: at 100 updates\/s, /);
    assert.match(aiogram!, /p50 9\.01 ms → 3 ms \(3× faster, significant\)/);
    assert.deepEqual(
      v.bots[0]!.lines.networks.map((n) => n.network),
      ["loopback"],
    );
    assert.doesNotMatch(aiogram!, /7\.[67] ms/, "grammy's figures stay out of aiogram's line");
    assert.match(grammy!, /p50 7\.7 ms → 7\.6 ms, about the same \(within noise\)/);
    assert.doesNotMatch(grammy!, /faster/);
    assert.equal(v.headline, aiogram);
  });

  test("a difference below compare's threshold is not stated, however many updates", () => {
    const v = computeVerdict(
      fixtureReport([cell("a", "long-polling", 2_000, 4_000), cell("a", "webhook", 2_100, 4_000)]),
    );
    assert.match(v.bots[0]!.text, /about the same \(within noise\)/);
    assert.doesNotMatch(v.bots[0]!.text, /faster/);
  });

  test("too few updates for a percentile: no latency claim", () => {
    const v = computeVerdict(
      fixtureReport([cell("a", "long-polling", 9_000, 12), cell("a", "webhook", 1_000, 12)]),
    );
    assert.match(v.bots[0]!.text, /too few updates for a latency percentile \(12 and 12 updates\)/);
    assert.match(v.bots[0]!.text, /requests\/hour \(model\)/, "24 requests each: too few for a rate");
    assert.doesNotMatch(v.bots[0]!.text, /faster/);
    assert.match(v.rule, /latency: too few updates to compare/);
  });

  test("a mode that did not keep up is named with its ceiling, by the same definition as the tables", () => {
    const behind = fixtureCell("a", "short-polling", 200, [
      fixtureTrial("short-polling", 200, { generated: 800, answered: 700 }),
    ]);
    const report = fixtureReport([
      behind,
      cell("a", "long-polling", 3_000, 800),
      cell("a", "webhook", 2_000, 800),
    ]);
    const v = computeVerdict(report);
    assert.equal(cellKeptUp(behind), false);
    assert.match(
      v.bots[0]!.text,
      /short polling did not keep up \(100 of 800 unanswered: short polling's ceiling is limit \/ T: 100 updates per poll × one poll every 1 s = ≈ 100 updates\/s\)/,
    );
    assert.match(v.rule, /Where a mode did not keep up: short polling's ceiling is limit \/ T/);
  });

  test("the rule counts bots, and every test is Holm-corrected together", () => {
    const v = computeVerdict(realisticReport());
    assert.equal(v.bots.length, 3);
    assert.match(
      v.rule,
      /At 20 updates\/s \(loopback\), long polling vs webhook over 3 bots: .*latency: webhook answered faster for 3 of 3/,
    );
    assert.ok(v.tests >= 6, `tests: ${v.tests}`);
  });

  test("nothing measured: says why, per status", () => {
    const v = computeVerdict(
      fixtureReport([fixtureCell("a", "short-polling", 1, [], unsupported("no short polling"))]),
    );
    assert.equal(v.bots.length, 0);
    assert.match(v.headline, /^Nothing was measured: 1 cell unsupported\.$/);
    assert.match(computeVerdict(fixtureReport([])).headline, /the report has no cells/);
  });

  test("an interrupted run whose only trial was cut short does not say nothing was measured", () => {
    const cut = fixtureCell("a", "long-polling", 20, [
      fixtureTrial("long-polling", 20, { outcome: CANCELLED }),
    ]);
    const v = computeVerdict(fixtureReport([cut], { partial: true }));
    assert.doesNotMatch(v.headline, /Nothing was measured/);
    assert.match(
      v.headline,
      /interrupted before a trial finished: the figures below are what its trial measured/,
    );
  });

  test("one mode only: no rule, and the advice to measure two", () => {
    const v = computeVerdict(fixtureReport([cell("a", "webhook", 2_000)]));
    assert.match(v.bots[0]!.text, /only webhook ran/);
    assert.match(v.rule, /measure a polling mode and webhook/);
  });
});
