#!/usr/bin/env node
// Merges the trials of several `tgbench run`s of the same sweep into one report.json on stdout, so
// that interleaved rounds (base, head, head, base, …) can be compared as two samples:
//   node scripts/perf-merge.mjs results/perf/base/round-*/*/report.json > base.json
// Each argument is a report.json or a run directory holding one. Exit codes: 0 merged; 2 a usage
// error or an unreadable report.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { register } from "tsx/esm/api";

register();
const { mergeReports } = await import("../src/compare/merge.ts");
const { parseReport } = await import("../src/report/read-report.ts");

/** @param {string} path */
async function load(path) {
  const file = (await stat(path)).isDirectory() ? join(path, "report.json") : path;
  try {
    return parseReport(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const paths = process.argv.slice(2);
if (paths.length === 0 || paths.some((p) => p === "-h" || p === "--help")) {
  console.error("usage: node scripts/perf-merge.mjs <report.json|run dir> ... > merged.json");
  process.exit(2);
}
try {
  const reports = await Promise.all(paths.map(load));
  process.stdout.write(`${JSON.stringify(mergeReports(reports), null, 2)}\n`);
} catch (error) {
  console.error(`perf-merge: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
