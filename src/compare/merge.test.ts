import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createLatencyHistogram, decodeLatencyHistogram } from "../metrics/latency-histogram.ts";
import { startFailure, unsupported } from "../report/report-fixtures.ts";
import { MergeError, mergeReports } from "./merge.ts";
import { type CellIdentity, makeCell, makeReport, makeTrial, REFERENCE_WEBHOOK_50 } from "./test-helpers.ts";

const grammyPolling: CellIdentity = { bot: "grammy", mode: "long-polling", ratePerSecond: 50 };

describe("merging the trials of several runs", () => {
  test("concatenates each cell's trials in input order and renumbers them", () => {
    const a = makeReport([
      makeCell(REFERENCE_WEBHOOK_50, [
        makeTrial(1, { botPeakRssBytes: 1 }),
        makeTrial(2, { botPeakRssBytes: 2 }),
      ]),
    ]);
    const b = makeReport([
      makeCell(REFERENCE_WEBHOOK_50, [
        makeTrial(1, { botPeakRssBytes: 3 }),
        makeTrial(2, { botPeakRssBytes: 4 }),
      ]),
    ]);
    const merged = mergeReports([a, b]);
    const trials = merged.cells[0]!.trials;
    assert.deepEqual(
      trials.map((t) => [t.trial, t.cost.botPeakRssBytes]),
      [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ],
    );
    assert.deepEqual(
      trials.map((t) => t.seed),
      ["tgbench/1", "tgbench/2", "tgbench/1", "tgbench/2"],
      "each trial keeps its own seed",
    );
    assert.equal(merged.scenario.trials, 4);
  });

  test("computes the merged cell's latency again, from all its trials' histograms", () => {
    const a = makeReport([makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1, { p99Us: 10_000 })])]);
    const b = makeReport([
      makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1, { p99Us: 40_000 }), makeTrial(2, { p99Us: 90_000 })]),
    ]);
    const cell = mergeReports([a, b]).cells[0]!;
    const all = createLatencyHistogram();
    for (const t of cell.trials) all.merge(decodeLatencyHistogram(t.latency.endToEnd.histogram!));
    assert.equal(cell.latency?.trials.length, 3);
    assert.equal(cell.latency?.endToEnd.p99?.us, all.valueAtPercentile(99));
    assert.equal(cell.latency?.endToEnd.count, all.count);
    assert.equal(cell.latency?.interval, "bootstrap-trials");
    assert.notEqual(cell.latency?.endToEnd.p99?.us, a.cells[0]!.latency?.endToEnd.p99?.us);
  });

  test("keeps cells that only some runs have, and measurements over a skip", () => {
    const a = makeReport([
      makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1)]),
      makeCell(grammyPolling, [], unsupported("grammy has no polling mode")),
    ]);
    const b = makeReport([makeCell(grammyPolling, [makeTrial(1)])]);
    const merged = mergeReports([a, b]);
    assert.deepEqual(
      merged.cells.map((c) => [c.bot, c.mode, c.trials.length, c.status]),
      [
        ["reference", "webhook", 1, "ran"],
        ["grammy", "long-polling", 1, "ran"],
      ],
    );
  });

  test("a cell that failed in one run stays failed, with that run's reasons", () => {
    const a = makeReport([
      makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1)], startFailure("exited (code 3)", "", 2)),
    ]);
    const b = makeReport([makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1)])]);
    const [cell] = mergeReports([b, a]).cells;
    assert.equal(cell?.status, "failed");
    assert.deepEqual(
      cell?.status === "failed" ? cell.reasons.map((r) => [r.kind, r.trial, r.message]) : [],
      [["bot-failed-to-start", null, "exited (code 3)"]],
      "trial numbers of the inputs no longer apply",
    );
    assert.equal(cell?.trials.length, 2);
  });

  test("is partial when any input is, and does not change its inputs", () => {
    const a = makeReport([makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1)])]);
    const b = makeReport([makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1)])], { partial: true });
    assert.equal(mergeReports([a, b]).partial, true);
    assert.equal(a.cells[0]!.trials.length, 1);
    assert.equal(a.cells[0]!.trials[0]!.trial, 1);
  });

  test("of one report gives the same figures back", () => {
    const a = makeReport([makeCell(REFERENCE_WEBHOOK_50, [makeTrial(1), makeTrial(2)])]);
    assert.deepEqual(mergeReports([a]), a);
  });

  test("of nothing is a MergeError", () => {
    assert.throws(() => mergeReports([]), MergeError);
  });
});
