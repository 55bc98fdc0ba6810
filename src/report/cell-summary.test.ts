import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createLatencyHistogram, decodeLatencyHistogram } from "../metrics/latency-histogram.ts";
import type { CellResult } from "../results/index.ts";
import { type CellStatus, summarizeCell } from "./cell-summary.ts";
import {
  botExitedOutcome,
  CANCELLED,
  fixtureCell,
  fixtureTrial,
  startFailure,
  unsupported,
} from "./report-fixtures.ts";

describe("summarizeCell", () => {
  const cases: Array<[string, CellResult, CellStatus, RegExp | null]> = [
    [
      "a cell with answered updates",
      fixtureCell("a", "webhook", 10, [fixtureTrial("webhook", 10)]),
      "measured",
      null,
    ],
    [
      "a mode the bot does not have",
      fixtureCell("a", "short-polling", 10, [], unsupported("a cannot short-poll")),
      "unsupported",
      /cannot short-poll/,
    ],
    [
      "a bot that failed to start",
      fixtureCell("a", "webhook", 10, [], startFailure("code 3")),
      "failed",
      /bot failed to start/,
    ],
    [
      "every trial ended with an error",
      fixtureCell("a", "webhook", 10, [
        fixtureTrial("webhook", 10, { outcome: botExitedOutcome("bot exited (code 1)") }),
      ]),
      "failed",
      /bot exited/,
    ],
    [
      "Ctrl-C before the first trial finished",
      fixtureCell("a", "webhook", 10, [fixtureTrial("webhook", 10, { outcome: CANCELLED })]),
      "interrupted",
      /interrupted/,
    ],
    ["no trial at all and no reason", fixtureCell("a", "webhook", 10, []), "interrupted", /interrupted/],
    [
      "no update arrived in the window",
      fixtureCell("a", "webhook", 1, [fixtureTrial("webhook", 1, { generated: 0 })]),
      "no-data",
      /no update was answered/,
    ],
  ];
  for (const [what, cell, status, reason] of cases) {
    test(`${what}: ${status}`, () => {
      const s = summarizeCell(cell);
      assert.equal(s.status, status);
      if (reason === null) assert.equal(s.reason, null);
      else assert.match(s.reason ?? "", reason);
    });
  }

  test("latency is that of the merged histograms of the trials without an error, with intervals", () => {
    const completed = [
      fixtureTrial("webhook", 10, { trial: 1, p50Us: 1_000 }),
      fixtureTrial("webhook", 10, { trial: 2, p50Us: 3_000 }),
    ];
    const s = summarizeCell(
      fixtureCell("a", "webhook", 10, [
        ...completed,
        fixtureTrial("webhook", 10, { trial: 3, p50Us: 500_000, outcome: botExitedOutcome("bot exited") }),
      ]),
    );
    const merged = createLatencyHistogram();
    for (const t of completed) merged.merge(decodeLatencyHistogram(t.latency.endToEnd.histogram!));
    assert.equal(s.latency.p50Us, merged.valueAtPercentile(50));
    assert.equal(s.latency.p99Us, merged.valueAtPercentile(99));
    assert.equal(s.latencyEstimates?.p50?.us, s.latency.p50Us);
    assert.ok((s.latencyEstimates?.p50?.lowUs ?? Number.NaN) <= s.latency.p50Us!);
    assert.equal(s.latencySource, "merged-histograms");
    assert.equal(s.trials.length, 2);
    assert.equal(s.failedTrials, 1);
  });

  test("other figures are medians over the trials without an error", () => {
    const s = summarizeCell(
      fixtureCell("a", "webhook", 10, [
        fixtureTrial("webhook", 10, { trial: 1, botPeakRssBytes: 10 }),
        fixtureTrial("webhook", 10, { trial: 2, botPeakRssBytes: 30 }),
        fixtureTrial("webhook", 10, {
          trial: 3,
          botPeakRssBytes: 99,
          outcome: botExitedOutcome("bot exited"),
        }),
      ]),
    );
    assert.equal(s.botPeakRssBytes, 20);
  });

  test("a trial that failed to start after others ran counts as failed", () => {
    const cell = fixtureCell(
      "a",
      "webhook",
      10,
      [fixtureTrial("webhook", 10)],
      startFailure("port in use", "", 2),
    );
    const s = summarizeCell(cell);
    assert.equal(s.status, "measured");
    assert.equal(s.failedTrials, 1);
  });

  test("webhooks have no empty share; empty latency histograms give no figures", () => {
    const s = summarizeCell(fixtureCell("a", "webhook", 1, [fixtureTrial("webhook", 1, { generated: 0 })]));
    assert.equal(s.emptyShare, null);
    assert.equal(s.latency.p99Us, null);
    assert.equal(s.requestsPerUpdate, null);
  });

  const cpu: Array<[string, number | null, number, string, number | null]> = [
    ["at least ten clock ticks", 200, 100, "exact", 2_000],
    ["under ten clock ticks", 50, 100, "approximate", 500],
    ["no clock tick", 0, 100, "upper-bound", 100],
    ["not measured", null, 100, "none", null],
  ];
  for (const [what, botCpuMs, answered, precision, usPerUpdate] of cpu) {
    test(`bot CPU with ${what} is ${precision}`, () => {
      const s = summarizeCell(
        fixtureCell("a", "webhook", 10, [fixtureTrial("webhook", 10, { generated: answered, botCpuMs })]),
      );
      assert.deepEqual(s.botCpu, { usPerUpdate, precision });
    });
  }
});
