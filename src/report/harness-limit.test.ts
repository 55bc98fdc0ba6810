import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type MeasuredCeiling, nearHarnessLimit } from "../results/index.ts";
import { ceilingFacts, ceilingLine, harnessLimitCaveat, NEAR_LIMIT_MARK } from "./harness-limit.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { parseReport, ReportFormatError } from "./read-report.ts";
import { fixtureCell, fixtureReport, fixtureTrial } from "./report-fixtures.ts";
import { computeVerdict } from "./verdict.ts";

const ceiling = (overrides: Partial<MeasuredCeiling> = {}): MeasuredCeiling => ({
  status: "measured",
  source: "fresh",
  measuredAt: "2026-12-01T12:00:00.000Z",
  commit: "0123456789abcdef0123",
  host: "ci-box",
  cpuModel: "Test CPU",
  fakeApiRequestsPerSecond: 18_000,
  bareFastifyRequestsPerSecond: 20_000,
  referenceWebhookPerSecond: 6_000,
  referenceInFlight: 80,
  referenceDurationMs: 2_000,
  tookMs: 7_000,
  nearLimitShare: 0.5,
  ...overrides,
});

const cellAt = (rate: number) => fixtureCell("grammy", "webhook", rate, [fixtureTrial("webhook", rate)]);

describe("the harness's ceiling in the reports", () => {
  test("a cell is near the limit from the share of the ceiling on, not below it", () => {
    assert.equal(nearHarnessLimit(2_999, ceiling()), false);
    assert.equal(nearHarnessLimit(3_000, ceiling()), true);
    assert.equal(nearHarnessLimit(8_000, ceiling({ nearLimitShare: 0.9 })), true);
    assert.equal(nearHarnessLimit(5_000, ceiling({ nearLimitShare: 0.9 })), false);
  });

  test("nothing is flagged when the ceiling is unknown", () => {
    assert.equal(nearHarnessLimit(1e6, undefined), false);
    assert.equal(nearHarnessLimit(1e6, { status: "not-measured", reason: "skipped" }), false);
    assert.equal(nearHarnessLimit(1e6, ceiling({ referenceWebhookPerSecond: null })), false);
  });

  test("report.md marks the cells at or above the share, says where the ceiling came from, and caveats", () => {
    const report = fixtureReport([cellAt(100), cellAt(3_500)], { harnessCeiling: ceiling() });
    const md = renderMarkdown(report);
    const results = md.slice(md.indexOf("## Results"), md.indexOf("## The harness's ceiling"));
    const rows = results.split("\n").filter((line) => line.startsWith("| grammy"));
    assert.equal(rows.length, 2);
    assert.ok(!rows[0]!.includes(NEAR_LIMIT_MARK), rows[0]);
    assert.ok(rows[1]!.includes(NEAR_LIMIT_MARK), rows[1]);
    assert.match(md, /## The harness's ceiling/);
    assert.match(md, /fake API 18,000 requests\/s against bare fastify 20,000 requests\/s \(0\.90×/);
    assert.match(md, /answered 6,000 updates\/s/);
    assert.match(
      md,
      /measured in this run at 2026-12-01T12:00:00\.000Z, commit 0123456789ab on ci-box \(Test CPU\)/,
    );
    assert.match(
      md,
      /> ⚠ 1 cell ran close to the harness's limit \(offered at least 50 % of the 6,000 updates\/s/,
    );
    assert.match(md, /grammy · webhook · 3500\/s/);
  });

  test("a cached ceiling says so, with the time it was measured", () => {
    const line = ceilingLine(ceiling({ source: "cached", measuredAt: "2026-11-30T08:00:00.000Z" }));
    assert.match(line, /cached from 2026-11-30T08:00:00\.000Z/);
  });

  test("a ceiling not measured says why, flags nothing and adds no caveat", () => {
    const report = fixtureReport([cellAt(3_500)], {
      harnessCeiling: { status: "not-measured", reason: "calibration skipped (--no-calibrate)" },
    });
    const md = renderMarkdown(report);
    assert.match(md, /- not measured: calibration skipped \(--no-calibrate\)/);
    assert.ok(!md.includes(NEAR_LIMIT_MARK));
    assert.equal(harnessLimitCaveat(report), null);
    assert.ok(!computeVerdict(report).caveats.some((c) => c.includes("harness's limit")));
  });

  test("an older report without the field reads as not measured", () => {
    const report = fixtureReport([cellAt(3_500)]);
    assert.deepEqual(ceilingFacts(report.harnessCeiling), [
      "not measured (this report was written before reports carried it)",
    ]);
    assert.ok(!renderMarkdown(report).includes(NEAR_LIMIT_MARK));
  });

  test("a missing reference figure is said, with its note", () => {
    const facts = ceilingFacts(ceiling({ referenceWebhookPerSecond: null, referenceNote: "unknown bot" }));
    assert.ok(
      facts.some((f) => f.includes("not measured (unknown bot)")),
      facts.join("\n"),
    );
  });

  test("report.html has the section and marks the flagged cell, escaped", () => {
    const report = fixtureReport([cellAt(100), cellAt(3_500)], {
      harnessCeiling: ceiling({ host: "<host>" }),
    });
    const html = renderHtml(report);
    assert.match(html, /<h2 id="harness-ceiling">The harness's ceiling<\/h2>/);
    assert.ok(html.includes("on &lt;host&gt;"), "the host is escaped");
    assert.equal(html.split(`class="badge near-limit"`).length - 1, 1);
    assert.match(html, /<li>1 cell ran close to the harness&#39;s limit/);
  });

  test("report.json keeps the ceiling through a read, and a malformed one is a clear error", () => {
    const report = fixtureReport([cellAt(3_500)], { harnessCeiling: ceiling() });
    assert.deepEqual(parseReport(JSON.stringify(report)).harnessCeiling, ceiling());
    const broken = { ...report, harnessCeiling: { status: "measured", host: 3 } };
    assert.throws(() => parseReport(JSON.stringify(broken)), ReportFormatError);
    const older = fixtureReport([cellAt(3_500)]);
    assert.equal(parseReport(JSON.stringify(older)).harnessCeiling, undefined);
  });
});
