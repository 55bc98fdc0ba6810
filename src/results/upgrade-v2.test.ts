import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseReport } from "../report/read-report.ts";
import { fixtureCell, fixtureReport, fixtureTrial } from "../report/report-fixtures.ts";
import { REPORT_SCHEMA } from "./run-report.ts";
import { v2Report } from "./v2-fixtures.ts";

describe("reading a tgbench/report@2 file", () => {
  const original = fixtureReport([
    fixtureCell("a", "long-polling", 10, [
      fixtureTrial("long-polling", 10, { trial: 1, p50Us: 2_000 }),
      fixtureTrial("long-polling", 10, { trial: 2, p50Us: 3_000 }),
      fixtureTrial("long-polling", 10, { trial: 3, p50Us: 9_000 }),
    ]),
    fixtureCell("b", "webhook", 1, [fixtureTrial("webhook", 1, { generated: 0 })]),
  ]);
  const upgraded = parseReport(JSON.stringify(v2Report(original)));

  test("gives an @3 report whose trials keep their summaries, without histograms", () => {
    assert.equal(upgraded.schema, REPORT_SCHEMA);
    const [trial] = upgraded.cells[0]!.trials;
    const { histogram: _h, ...summary } = original.cells[0]!.trials[0]!.latency.fromActualSend;
    assert.deepEqual(trial?.latency.fromActualSend, { ...summary, histogram: null }, "endToEndRaw, renamed");
    assert.equal(trial?.latency.endToEnd.histogram, null);
    assert.deepEqual(trial?.window, { windowMs: 4_000, endedBy: "duration", recordedMs: 4_200 });
    assert.equal(trial?.throughput.backlogAtWindowEnd, 0);
    assert.equal(trial?.timelineCheck, null, "an @2 timeline was sampled, not timed by events: not checked");
    assert.equal(upgraded.cells[0]?.status, "ran");
  });

  test("turns the zeros that meant no data into null", () => {
    const empty = upgraded.cells[1]!.trials[0]!;
    assert.equal(empty.latency.endToEnd.count, 0);
    assert.equal(empty.latency.endToEnd.p99Us, null);
    assert.deepEqual([empty.throughput.offeredPerSecond, empty.throughput.answeredPerSecond], [null, null]);
    assert.equal(empty.requests.perAnsweredUpdate.requests, null);
    assert.equal(empty.requests.emptyShare, null, "a webhook cell has no getUpdates");
    const quiet = upgraded.cells[0]!.trials[0]!.timeline.filter((b) => b.latencyCount === 0);
    assert.ok(quiet.length > 0 && quiet.every((b) => b.latencyMeanUs === null && b.latencyMaxUs === null));
  });

  test("falls back to the median of the trials' summaries for a cell's latency, clearly marked and without intervals", () => {
    const latency = upgraded.cells[0]!.latency!;
    assert.equal(latency.source, "trial-summaries");
    assert.equal(latency.interval, "none");
    const p50s = original.cells[0]!.trials.map((t) => t.latency.endToEnd.p50Us!);
    assert.deepEqual(latency.endToEnd.p50, { us: p50s[1], lowUs: null, highUs: null });
    assert.equal(original.cells[0]!.latency?.source, "merged-histograms");
  });
});
