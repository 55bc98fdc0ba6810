import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderMarkdown } from "./markdown.ts";
import {
  botExitedOutcome,
  fixtureCell,
  fixtureReport,
  fixtureTrial,
  realisticReport,
  startFailure,
  unsupported,
} from "./report-fixtures.ts";
import { computeVerdict } from "./verdict.ts";

/** GitHub refuses a step summary over 1 MiB; a default-sized run must stay far below. */
const JOB_SUMMARY_BUDGET_BYTES = 64 * 1024;

describe("renderMarkdown", () => {
  test("starts with the title, then each bot's answer per network, and the rule", () => {
    const report = realisticReport();
    const lines = renderMarkdown(report).split("\n");
    const verdict = computeVerdict(report);
    assert.equal(lines[0], "# tgbench: default");
    assert.equal(lines[2], "**Polling or webhook? What switching to webhook changes, per bot:**");
    // Each bot: a heading, then one line per network distance.
    const expected = verdict.bots.flatMap((b) => [
      `- **${b.lines.heading}:**`,
      ...b.lines.networks.map((n) => `  - ${n.network}: ${n.text}.`),
    ]);
    assert.ok(expected.length >= 2 * verdict.bots.length);
    assert.deepEqual(lines.slice(4, 4 + expected.length), expected);
    assert.equal(lines[5 + expected.length], `**The rule this run shows:** ${verdict.rule}`);
  });

  test("stays short enough for a CI job summary", () => {
    const bytes = Buffer.byteLength(renderMarkdown(realisticReport()));
    assert.ok(bytes < JOB_SUMMARY_BUDGET_BYTES, `${bytes} bytes`);
  });

  const rows: Array<[string, ReturnType<typeof fixtureReport>, RegExp]> = [
    [
      "an unsupported cell says skipped and why",
      fixtureReport([fixtureCell("t", "short-polling", 1, [], unsupported("t cannot short-poll"))]),
      /^\| t · short-polling · 1\/s \| skipped: t cannot short-poll \|/m,
    ],
    [
      "a failed cell says failed and why",
      fixtureReport([fixtureCell("t", "webhook", 1, [], startFailure("code 3", "more"))]),
      /^\| t · webhook · 1\/s \| ✗ failed: bot failed to start: code 3 \|/m,
    ],
    [
      "a cell without answered updates shows dashes, not 0 µs",
      fixtureReport([fixtureCell("t", "webhook", 1, [fixtureTrial("webhook", 1, { generated: 0 })])]),
      /^\| t · webhook · 1\/s \| 0\/0 \| 0 \| 0 \| – \| – \| – \| – \|/m,
    ],
    [
      "an unbalanced ledger is flagged",
      fixtureReport([
        fixtureCell("t", "webhook", 5, [
          fixtureTrial("webhook", 5, { generated: 20, answered: 18, lost: 2 }),
        ]),
      ]),
      /^\| t · webhook · 5\/s \| 18\/20 ⚠ \|/m,
    ],
    [
      "a pipe in a bot's name does not break the table",
      fixtureReport([fixtureCell("a|b", "webhook", 5, [fixtureTrial("webhook", 5)])]),
      /^\| a\\\|b · webhook · 5\/s \|/m,
    ],
    [
      "a partial run says so in the title",
      fixtureReport([fixtureCell("t", "webhook", 5, [fixtureTrial("webhook", 5)])], { partial: true }),
      /^# tgbench: fixture \(partial: interrupted or not finished\)$/m,
    ],
  ];
  for (const [what, report, expected] of rows) {
    test(what, () => assert.match(renderMarkdown(report), expected));
  }

  test("shows each percentile with its interval, and the p99 from actual send beside the corrected one", () => {
    const report = fixtureReport([
      fixtureCell("t", "webhook", 5, [
        fixtureTrial("webhook", 5, { trial: 1, p50Us: 2_000 }),
        fixtureTrial("webhook", 5, { trial: 2, p50Us: 2_600 }),
      ]),
    ]);
    const text = renderMarkdown(report);
    assert.match(text, /\| p50 \| p99 \| p99\.9 \| p99 from actual send \|/);
    const latency = report.cells[0]!.latency!;
    const row = text.split("\n").find((line) => line.startsWith("| t · webhook"))!;
    const p50 = latency.endToEnd.p50!;
    assert.ok(p50.lowUs! < p50.highUs!, "two trials that disagree: an interval with a width");
    assert.match(row, /^\| t · webhook · 5\/s \| 20\/20 \| 0 \| 0 \| [\d.]+ ms \([\d.]+–[\d.]+ ms\) \|/);
    assert.match(text, /\*From actual send\* times each update from when the harness really handed it/);
    assert.match(text, /95% confidence interval/);
  });

  test("says when latency is the median of an older report's summaries", () => {
    const report = fixtureReport([fixtureCell("t", "webhook", 5, [fixtureTrial("webhook", 5)])]);
    const cell = report.cells[0]!;
    const old = { ...cell, latency: { ...cell.latency!, source: "trial-summaries" as const } };
    assert.match(renderMarkdown({ ...report, cells: [old] }), /median of each trial's own percentiles/);
  });

  test("lists failed trials under Problems, at most ten lines", () => {
    const trials = Array.from({ length: 14 }, (_, i) =>
      fixtureTrial("webhook", 5, { trial: i + 1, outcome: botExitedOutcome(`crash ${i + 1}`, "stack") }),
    );
    const text = renderMarkdown(fixtureReport([fixtureCell("t", "webhook", 5, trials)]));
    assert.match(text, /^## Problems$/m);
    assert.match(text, /^- t · webhook · 5\/s, trial 1: bot exited: crash 1$/m);
    assert.doesNotMatch(text, /trial 11:/);
    assert.match(text, /^- … and 4 more \(see report\.html or report\.json\)$/m);
  });

  test("caveats follow the verdict", () => {
    const text = renderMarkdown(realisticReport());
    assert.match(text, /^> ⚠ Not run: telegraf in short polling at 1, 20 and 200 updates\/s/m);
    assert.match(
      text,
      /^> ⚠ Failed trials are left out of the figures: grammy · short-polling · 200\/s \(1 of 3\)\.$/m,
    );
  });
});
