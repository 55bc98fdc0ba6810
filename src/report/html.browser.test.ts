/**
 * Opens report.html in headless Chromium (Debian's package, driven by playwright-core; no browser
 * download) and checks that every chart was drawn, that the page logs no error and asks the
 * network for nothing, that hovering a chart shows its values and a legend click switches a series
 * off and on, and saves a full-page screenshot to results/browser-test/report.png (CI keeps it).
 *
 * Without Chromium the test is skipped locally, and fails when `CI` is set: `.ci/run` installs it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { summarizeCell } from "./cell-summary.ts";
import { cpuCharts } from "./charts/cell-charts.ts";
import { hasData } from "./charts/chart-spec.ts";
import { decisionCharts } from "./charts/decision-map.ts";
import { renderHtml } from "./html.ts";
import { realisticReport } from "./report-fixtures.ts";
import { computeVerdict } from "./verdict.ts";

/** Where the page and its screenshot are kept for a person to look at (results/ is git-ignored). */
const OUTPUT_DIR = fileURLToPath(new URL("../../results/browser-test/", import.meta.url));

/** Debian's Chromium first; `TGBENCH_CHROMIUM` overrides; Google Chrome serves where it is what a runner has. */
const CHROMIUM = [process.env.TGBENCH_CHROMIUM, "/usr/bin/chromium", "/usr/bin/google-chrome"].find(
  (path): path is string => path !== undefined && path !== "" && existsSync(path),
);

/** The flags this machine's closed network needs (no background connections, no QUIC, no sync). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const skip =
  CHROMIUM === undefined && !process.env.CI ? "Chromium not found: apt-get install chromium" : false;

/** What the page reports about one chart (this code runs in the page; tsconfig has no DOM library). */
interface ChartProbe {
  id: string;
  canvasWidth: number;
  canvasHeight: number;
  /** Series uPlot drew (the x series excluded). */
  series: number;
  legendEntries: number;
}

test("report.html draws every chart in headless Chromium, with no error and no network request", {
  skip,
  // A hang guard only: Chromium's start on a loaded machine must not fail the test.
  timeout: 240_000,
}, async () => {
  assert.ok(
    CHROMIUM !== undefined,
    "CI is set but Chromium is missing: .ci/run installs it (apt-get install chromium)",
  );
  const report = realisticReport();
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const page = join(OUTPUT_DIR, "report.html");
  writeFileSync(page, renderHtml(report));
  const profile = mkdtempSync(join(tmpdir(), "tgbench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 900 },
    timeout: 120_000,
  });
  try {
    context.setDefaultTimeout(120_000);
    const errors: string[] = [];
    const requests: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const tab = await context.newPage();
    tab.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        errors.push(`console: ${message.text()}`);
    });
    tab.on("pageerror", (error) => errors.push(`page: ${error.message}`));
    await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });

    await tab.waitForFunction(
      () => (globalThis as unknown as { tgbenchCharts?: object }).tgbenchCharts !== undefined,
    );
    const charts: ChartProbe[] = await tab.$$eval("figure.chart", (figures) =>
      figures.map((f) => {
        const id = f.getAttribute("data-chart") ?? "";
        const canvas = f.querySelector("canvas") as unknown as { width: number; height: number } | null;
        const chart = (globalThis as unknown as { tgbenchCharts: Record<string, { series: unknown[] }> })
          .tgbenchCharts[id];
        return {
          id,
          canvasWidth: canvas?.width ?? 0,
          canvasHeight: canvas?.height ?? 0,
          series: chart === undefined ? 0 : chart.series.length - 1,
          legendEntries: f.querySelectorAll(".u-legend .u-series").length - 1,
        };
      }),
    );

    // What the report should give: every chart its builders make that has data, once each.
    const measured = report.cells.map(summarizeCell).filter((s) => s.status === "measured");
    const expected = [...decisionCharts(report), ...cpuCharts(measured)].filter(hasData);
    assert.deepEqual(
      charts.map((c) => c.id).sort(),
      expected.map((c) => c.id).sort(),
      "the expected charts, once each",
    );
    assert.ok(
      charts.some((c) => c.id.startsWith("decision-")),
      "the decision map is drawn",
    );
    for (const chart of charts) {
      const spec = expected.find((c) => c.id === chart.id)!;
      assert.ok(
        chart.canvasWidth > 300 && chart.canvasHeight > 100,
        `${chart.id}: drawn at ${chart.canvasWidth}×${chart.canvasHeight}`,
      );
      assert.equal(chart.series, spec.series.length, `${chart.id}: every series drawn`);
      assert.equal(chart.legendEntries, spec.series.length, `${chart.id}: a legend entry per series`);
    }

    // Hover: the legend shows the values under the cursor; a click on an entry switches it off.
    for (const id of [charts[0]!.id, charts.find((c) => c.id.startsWith("decision-"))!.id]) {
      const figure = tab.locator(`figure[data-chart="${id}"]`);
      await figure.scrollIntoViewIfNeeded();
      const over = figure.locator(".u-over");
      const box = (await over.boundingBox())!;
      const legendValues = () => figure.locator(".u-legend .u-series .u-value").allTextContents();
      await tab.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
      await tab.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      const values = await legendValues();
      assert.ok(
        values[0] !== "" && values[0] !== "--",
        `${id}: hover shows the x value (${values.join(" | ")})`,
      );
      assert.ok(
        values.slice(1).some((v) => /\d/.test(v)),
        `${id}: hover shows series values (${values.join(" | ")})`,
      );
      const entry = figure.locator(".u-legend .u-series").nth(1);
      await entry.click();
      assert.match((await entry.getAttribute("class")) ?? "", /u-off/, `${id}: the series is switched off`);
      const shown = await tab.evaluate(
        (chartId) =>
          (globalThis as unknown as { tgbenchCharts: Record<string, { series: Array<{ show: boolean }> }> })
            .tgbenchCharts[chartId]!.series[1]!.show,
        id,
      );
      assert.equal(shown, false, `${id}: uPlot hides the series`);
      await entry.click();
      assert.doesNotMatch((await entry.getAttribute("class")) ?? "", /u-off/, `${id}: and on again`);
    }

    const answers = await tab.locator("#verdict .answers > li").allTextContents();
    assert.deepEqual(
      answers,
      computeVerdict(report).bots.map(
        (b) => `${b.lines.heading}:${b.lines.networks.map((n) => `${n.network}: ${n.text}.`).join("")}`,
      ),
    );
    const description = await tab.textContent("main > p:nth-of-type(2)");
    assert.match(description ?? "", /grammY & telegraf <in> three modes/, "report text is shown as text");
    assert.equal(await tab.locator("in").count(), 0, "report text never becomes markup");

    await tab.screenshot({ path: join(OUTPUT_DIR, "report.png"), fullPage: true });
    assert.deepEqual(errors, [], "no console or page errors");
    assert.deepEqual(requests, [], "no network requests: the page is self-contained");
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
