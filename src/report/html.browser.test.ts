/**
 * Opens report.html in headless Chromium (Debian's package, driven by playwright-core; no browser
 * download) and checks that every chart was drawn, that the page logs no error and asks the
 * network for nothing, and saves a full-page screenshot to results/browser-test/report.png.
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

/** The little of the DOM the probe uses (tsconfig has no DOM library; this code runs in the page). */
interface SvgGraphic {
  getAttribute(name: string): string | null;
  getBBox(): { width: number; height: number };
  getBoundingClientRect(): { width: number; height: number };
}

/** What the page reports about one chart. */
interface ChartProbe {
  id: string;
  kind: string;
  declared: number;
  width: number;
  height: number;
  paths: Array<{ points: number; vertices: number; width: number; height: number }>;
  markers: number;
  bars: Array<{ width: number; value: string | null }>;
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

    const charts: ChartProbe[] = await tab.$$eval("figure.chart", (figures) =>
      figures.map((f) => {
        const svg = f.querySelector("svg.plot");
        const box = svg?.getBoundingClientRect();
        const kind = f.getAttribute("data-kind") ?? "";
        return {
          id: f.getAttribute("data-chart") ?? "",
          kind,
          declared: Number(f.getAttribute(kind === "line" ? "data-series" : "data-bars")),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          paths: [...f.querySelectorAll("path.series")].map((p: SvgGraphic) => {
            const b = p.getBBox();
            return {
              points: Number(p.getAttribute("data-points")),
              vertices: (p.getAttribute("d") ?? "").match(/[ML]/g)?.length ?? 0,
              width: b.width,
              height: b.height,
            };
          }),
          markers: f.querySelectorAll("circle.point").length,
          bars: [...f.querySelectorAll("rect.bar")].map((r: SvgGraphic) => ({
            width: r.getBoundingClientRect().width,
            value: r.getAttribute("width"),
          })),
        };
      }),
    );

    // What the report should give: one percentile chart and two timelines per rate, five cost charts.
    const measured = report.cells.map(summarizeCell).filter((s) => s.status === "measured");
    const rates = [...new Set(measured.map((s) => s.cell.ratePerSecond))];
    const atRate = (rate: number) => measured.filter((s) => s.cell.ratePerSecond === rate);
    const polling = measured.filter((s) => s.cell.mode !== "webhook");
    const expected = new Map<string, number>([
      ...rates.flatMap(
        (rate): Array<[string, number]> => [
          [`latency-percentiles-${rate}`, atRate(rate).length],
          [`throughput-over-time-${rate}`, atRate(rate).length + 1],
          [`latency-over-time-${rate}`, atRate(rate).length],
        ],
      ),
      ["empty-share", polling.length * 2],
      ["requests-per-update", measured.length * 2],
      ["bytes-per-update", measured.length],
      ["bot-cpu", measured.length],
      ["bot-memory", measured.length],
    ]);
    assert.deepEqual(
      charts.map((c) => c.id).sort(),
      [...expected.keys()].sort(),
      "the expected charts, once each",
    );

    for (const chart of charts) {
      assert.equal(chart.declared, expected.get(chart.id), `${chart.id}: series or bars declared`);
      assert.ok(
        chart.width > 300 && chart.height > 100,
        `${chart.id}: drawn at ${chart.width}×${chart.height}`,
      );
      if (chart.kind === "line") {
        assert.equal(chart.paths.length, chart.declared, `${chart.id}: one path per series`);
        for (const path of chart.paths) {
          assert.ok(path.points > 0, `${chart.id}: a series with points`);
          assert.equal(path.vertices, path.points, `${chart.id}: every point is a vertex of its path`);
          assert.ok(path.width > 0, `${chart.id}: a path of non-zero width`);
        }
        if (chart.id.startsWith("latency-percentiles-")) {
          assert.ok(
            chart.paths.every((p) => p.points === 5),
            `${chart.id}: p50, p90, p99, p99.9 and max`,
          );
          assert.equal(chart.markers, chart.declared * 5, `${chart.id}: a marker per point`);
        }
      } else {
        assert.equal(chart.bars.length, chart.declared, `${chart.id}: one rect per bar`);
        const positive = chart.bars.filter((b) => Number(b.value) > 0);
        assert.ok(positive.length > 0, `${chart.id}: some bars have a length`);
        assert.ok(
          positive.every((b) => b.width > 0),
          `${chart.id}: every positive bar is visible`,
        );
      }
    }

    const headline = await tab.textContent("#verdict .headline");
    assert.equal(headline, computeVerdict(report).headline);
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
