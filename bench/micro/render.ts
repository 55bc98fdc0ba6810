/**
 * The micro-benchmark results as a terminal table, Markdown and JSON (results/<stamp>-micro/).
 * Pure functions of the rows and the run's context.
 */
import type { MicroBudget, MicroRow } from "./runner.ts";

/** Where and how the rows were measured, recorded with them. */
export interface MicroContext {
  startedAt: string;
  durationMs: number;
  budget: MicroBudget;
  node: string;
  cpu: string;
  cores: number;
  /** 1-minute load average before and after the run: how busy the machine was. */
  loadAverage: { before: number; after: number };
  filter: string[];
}

/** A time per call: ns below 1 µs, µs below 1 ms, then ms. */
export function formatCallTime(us: number): string {
  if (!Number.isFinite(us)) return "–";
  if (us < 1) return `${(us * 1000).toFixed(us < 0.1 ? 1 : 0)} ns`;
  if (us < 1000) return `${us.toFixed(us < 10 ? 2 : 1)} µs`;
  return `${(us / 1000).toFixed(2)} ms`;
}

const formatOps = (ops: number) => (Number.isFinite(ops) ? Math.round(ops).toLocaleString("en-US") : "–");
const formatRme = (rme: number) => (Number.isFinite(rme) ? `±${rme.toFixed(2)}%` : "–");

const COLUMNS = ["task", "ops/s", "mean", "p50", "p99", "rme", "samples"] as const;

function cells(row: MicroRow): string[] {
  const task = `${row.suite} › ${row.task}${row.batch > 1 ? ` [×${row.batch}]` : ""}`;
  if (row.error !== undefined) return [task, `FAILED: ${row.error}`, "", "", "", "", ""];
  return [
    task,
    formatOps(row.opsPerSecond),
    formatCallTime(row.meanUs),
    formatCallTime(row.p50Us),
    formatCallTime(row.p99Us),
    formatRme(row.rmePercent),
    String(row.samples),
  ];
}

/** The rows as a fixed-width table (task left-aligned, figures right-aligned). */
export function renderMicroTable(rows: readonly MicroRow[]): string {
  const table = [COLUMNS.slice() as string[], ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "),
    )
    .join("\n");
}

const NOTES = [
  "Times are per call of the operation. `[×N]`: the task is timed N calls at a time (one call is",
  "too short for the clock), so each sample is the mean of N calls and p99 is a p99 of those means.",
  "ops/s = 1 / mean. rme: tinybench's 95 % relative margin of error of the mean. On a busy machine",
  "the mean (and ops/s) carries every pause the process suffered; p50 is the steadier figure.",
];

export function renderMicroMarkdown(rows: readonly MicroRow[], context: MicroContext): string {
  const header = `| ${COLUMNS.join(" | ")} |\n|${COLUMNS.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`;
  const body = rows.map((row) => `| ${cells(row).join(" | ")} |`).join("\n");
  return [
    "# tgbench micro-benchmarks",
    "",
    `${context.startedAt}, ${(context.durationMs / 1000).toFixed(1)} s; Node ${context.node}, ${context.cores} × ${context.cpu};`,
    `load average ${context.loadAverage.before.toFixed(2)} before, ${context.loadAverage.after.toFixed(2)} after;`,
    `${context.budget.timeMs} ms per task after ${context.budget.warmupMs} ms of warm-up, at least ${context.budget.minSamples} samples` +
      (context.filter.length > 0 ? `; filter: ${context.filter.join(", ")}` : "") +
      ".",
    "",
    header,
    body,
    "",
    ...NOTES,
    "",
  ].join("\n");
}

export function renderMicroJson(rows: readonly MicroRow[], context: MicroContext): string {
  const finite = (n: number) => (Number.isFinite(n) ? n : null);
  const tasks = rows.map((row) => ({
    ...row,
    opsPerSecond: finite(row.opsPerSecond),
    meanUs: finite(row.meanUs),
    p50Us: finite(row.p50Us),
    p99Us: finite(row.p99Us),
    rmePercent: finite(row.rmePercent),
  }));
  return `${JSON.stringify({ schema: "tgbench/micro@1", ...context, tasks }, null, 2)}\n`;
}
