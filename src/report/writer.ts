import { appendFile, mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Report } from "../results/index.ts";
import { renderBenchmarkJson, renderBenchmarkThroughputJson } from "./benchmark-json.ts";
import type { RenderOptions } from "./defaults.ts";
import { renderHtml } from "./html.ts";
import { renderJson } from "./json.ts";
import { renderMarkdown } from "./markdown.ts";

/**
 * The report formats, by file name. Renderers are pure; this module does the I/O.
 * - report.json: everything, every trial (`schema` tgbench/report@4); `tgbench report` re-renders the rest from it;
 * - report.md: the verdict and one row per cell, short enough for a CI job summary;
 * - report.html: one self-contained page with the verdict, tables and charts;
 * - benchmark.json: github-action-benchmark `customSmallerIsBetter` (latency, requests, bytes, bot CPU);
 * - benchmark-throughput.json: github-action-benchmark `customBiggerIsBetter` (answered per second).
 */
export const REPORT_FORMATS: Record<string, (report: Report, options: RenderOptions) => string> = {
  "report.json": renderJson,
  "report.md": renderMarkdown,
  "report.html": renderHtml,
  "benchmark.json": renderBenchmarkJson,
  "benchmark-throughput.json": renderBenchmarkThroughputJson,
};

/** results/<UTC timestamp>-<scenario>/ */
export function runDirectory(resultsDir: string, scenarioName: string, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/[:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const safeName = scenarioName.replace(/[^A-Za-z0-9._-]+/g, "-");
  return join(resultsDir, `${stamp}-${safeName}`);
}

/**
 * Writes every format atomically (write + rename), so a crash never leaves half a file. The
 * reports a run writes after each cell are marked `partial` by the runner until its final write,
 * so a report left by a killed run says it is incomplete.
 */
export async function writeReport(
  directory: string,
  report: Report,
  options: RenderOptions = {},
): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const written: string[] = [];
  for (const [file, render] of Object.entries(REPORT_FORMATS)) {
    const path = join(directory, file);
    await writeFile(`${path}.tmp`, render(report, options));
    await rename(`${path}.tmp`, path);
    written.push(path);
  }
  return written;
}

/** Appends report.md to GitHub's job summary when `$GITHUB_STEP_SUMMARY` is set. */
export async function writeJobSummary(
  report: Report,
  env = process.env,
  options: RenderOptions = {},
): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === "") return false;
  await appendFile(file, renderMarkdown(report, options));
  return true;
}
