import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderHtml } from "./html.ts";
import { escapeHtml } from "./html-escape.ts";
import {
  botExitedOutcome,
  CANCELLED,
  fixtureCell,
  fixtureReport,
  fixtureTrial,
  realisticReport,
  unsupported,
} from "./report-fixtures.ts";
import { computeVerdict } from "./verdict.ts";

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe("renderHtml", () => {
  const html = renderHtml(realisticReport());

  test("is one self-contained page: uPlot and the chart data inline, no external resource", () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">/);
    assert.match(html, /<style>[\s\S]+<\/style>/);
    assert.match(html, /<script type="application\/json" id="chart-specs">/);
    assert.match(
      html,
      /<script>\/\*! https:\/\/github\.com\/leeoniya\/uPlot \(v1\.6\.\d+\) \*\/\nvar uPlot=/,
    );
    assert.doesNotMatch(html, /<script[^>]+src=|<link|<img|@import|url\(http/i);
  });

  test("puts the verdict first and has every section", () => {
    const verdict = computeVerdict(realisticReport());
    assert.ok(html.indexOf('id="verdict"') < html.indexOf('id="summary"'));
    for (const b of verdict.bots) {
      assert.ok(html.includes(escapeHtml(b.lines.heading)), b.bot);
      for (const n of b.lines.networks) assert.ok(html.includes(escapeHtml(n.text)), `${b.bot} ${n.network}`);
    }
    for (const id of ["summary", "decision", "cost", "ledger", "scenario", "problems"]) {
      assert.match(html, new RegExp(`id="${id}"`), id);
    }
  });

  test("draws two decision charts per bot and network and a CPU chart where CPU was measured", () => {
    for (const bot of ["reference", "grammy", "telegraf"]) {
      assert.equal(
        count(html, new RegExp(`data-chart="decision-(requests|latency)-${bot}-loopback"`, "g")),
        2,
        bot,
      );
    }
    assert.doesNotMatch(html, /<svg/, "no hand-drawn SVG charts");
  });

  test("leaves out a chart whose data are all zero", () => {
    const zeroCpu = fixtureReport([
      fixtureCell("a", "webhook", 5, [fixtureTrial("webhook", 5, { botCpuMs: 0 })]),
    ]);
    assert.doesNotMatch(renderHtml(zeroCpu), /data-chart="cpu-/);
  });

  test("shows each percentile's confidence interval, the latency from actual send, and what it is", () => {
    const summary = html.slice(html.indexOf('id="summary"'), html.indexOf('id="latency"'));
    assert.match(summary, /<th>p99 from actual send<\/th>/);
    // 24 measured cells (telegraf cannot short-poll), 7 latency figures each, all with an interval.
    assert.equal(count(summary, /<span class="ci" title="95% confidence interval">/g), 24 * 7);
    assert.match(summary, /<em>From actual send<\/em> times each update/);
  });

  test("shows a ledger row per trial and the failed trial's error", () => {
    const trials = realisticReport().cells.reduce((n, c) => n + c.trials.length, 0);
    const ledger = html.slice(html.indexOf('id="ledger"'), html.indexOf('id="scenario"'));
    assert.equal(count(ledger, /<tr>/g), trials + 1);
    assert.match(
      html,
      /grammy · short-polling · 200\/s, trial 2<pre class="error">bot exited: grammy \(short-polling\) exited during the run \(code 1\)\n--- last stderr lines ---\nat &lt;anonymous&gt;<\/pre>/,
    );
  });

  test("escapes every text from the report", () => {
    const evil = `<script>alert("x")</script>`;
    const report = fixtureReport([
      fixtureCell(evil, "webhook", 5, [fixtureTrial("webhook", 5, { outcome: botExitedOutcome(`<b>&"'`) })]),
      fixtureCell("t", "short-polling", 5, [], unsupported(`cannot <img src=x onerror=alert(1)>`)),
    ]);
    report.scenario.name = `<i>name</i>`;
    report.scenario.description = `a & b <u>`;
    const page = renderHtml(report);
    assert.doesNotMatch(page, /<script|<img|<b>|<i>|<u>/);
    assert.match(page, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(page, /&lt;b&gt;&amp;&quot;&#39;/);
    assert.match(page, /a &amp; b &lt;u&gt;/);
  });

  const edge: Array<[string, ReturnType<typeof fixtureReport>, RegExp[]]> = [
    ["a report without cells", fixtureReport([]), [/Nothing was measured/, /No trial ran\./]],
    [
      "a single-mode run",
      fixtureReport([fixtureCell("a", "webhook", 5, [fixtureTrial("webhook", 5)])]),
      [/only webhook ran/, /data-chart="decision-requests-a-loopback"/],
    ],
    [
      "a partial run",
      fixtureReport([fixtureCell("a", "webhook", 5, [fixtureTrial("webhook", 5, { outcome: CANCELLED })])], {
        partial: true,
      }),
      [/partial: interrupted/, /The run was interrupted/],
    ],
    [
      "only skipped cells",
      fixtureReport([fixtureCell("t", "short-polling", 1, [], unsupported("t cannot short-poll"))]),
      [/not run: t cannot short-poll/, /Nothing was measured: 1 cell unsupported/],
    ],
  ];
  for (const [what, report, patterns] of edge) {
    test(`renders ${what}`, () => {
      const page = renderHtml(report);
      for (const p of patterns) assert.match(page, p);
    });
  }
});
