import { type CellResult, describeFailure, describeOutcome, type Report } from "../results/index.ts";
import { type CellSummary, summarizeCell } from "./cell-summary.ts";
import type { RenderOptions } from "./defaults.ts";
import { cellLabel, formatBotCpu, formatBytes, formatCount, formatEstimate, formatShare } from "./figures.ts";
import { monthlyCostMarkdown } from "./monthly-cost-table.ts";
import { FROM_ACTUAL_SEND_NOTE, LATENCY_NOTE } from "./notes.ts";
import { computeVerdict, type Verdict } from "./verdict.ts";

/** At most this many lines under "Problems", so the job summary stays short. */
const MAX_PROBLEM_LINES = 10;

/**
 * report.md: readable on its own and short enough for a CI job summary (GitHub allows about
 * 1 MiB per step; a default run writes a few KiB). The verdict comes first, then one table row
 * per cell. Pure: report in, text out. Latency is that of all a cell's updates (its trials'
 * histograms merged) with a confidence interval; the other figures are medians over its trials.
 */
export function renderMarkdown(report: Report, options: RenderOptions = {}): string {
  const s = report.scenario;
  const verdict = computeVerdict(report);
  const lines: string[] = [];
  lines.push(`# tgbench: ${s.name}${report.partial ? " (partial: interrupted)" : ""}`);
  lines.push("");
  lines.push(...verdictLines(verdict));
  if (verdict.caveats.length > 0) lines.push(...verdict.caveats.map((c) => `> ⚠ ${c}`), "");
  if (s.description !== "") lines.push(s.description, "");
  lines.push(
    `${report.createdAt} · ${report.machine.cpus} × ${report.machine.cpuModel} · Node ${report.machine.node} · ` +
      `seed \`${String(s.seed)}\` · ${s.trials} trial(s) of ${s.durationMs / 1000} s · ${s.arrival} arrivals`,
  );
  lines.push("");
  lines.push("## Results");
  lines.push("");
  lines.push(
    "| bot · mode · rate | answered | p50 | p99 | p99.9 | p99 from actual send | requests / update | empty getUpdates (measured / model) | empty / hour | bot CPU / update | bot peak RSS |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const summary of report.cells.map(summarizeCell)) lines.push(tableRow(summary));
  lines.push("");
  lines.push(...monthlyCostMarkdown(report, options));
  const problems = problemLines(report);
  if (problems.length > 0) lines.push("## Problems", "", ...problems, "");
  lines.push(
    `${LATENCY_NOTE} ${FROM_ACTUAL_SEND_NOTE} Requests count both directions: the bot's ` +
      "API calls and Telegram's webhook POSTs. *empty / hour* extrapolates the empty getUpdates of the measured " +
      "window to one hour; *model* is the analytic prediction for the mode. Other figures are medians over a " +
      "cell's trials. Charts in report.html, every figure in report.json.",
  );
  return `${lines.join("\n")}\n`;
}

function tableRow(s: CellSummary): string {
  const { cell } = s;
  if (cell.trials.length === 0) {
    const why = s.status === "unsupported" ? "skipped" : s.status;
    return `| ${escapeCell(s.label)} | ${why}: ${escapeCell(firstLine(s.reason ?? ""))} | | | | | | | | | |`;
  }
  const answered = `${formatCount(s.answered, 0)}/${formatCount(s.generated, 0)}${s.unbalancedTrials === 0 ? "" : " ⚠"}`;
  const measuredEmpty = cell.mode === "webhook" ? "0 (no polls)" : formatShare(s.emptyShare);
  const modelEmpty = cell.prediction === null ? "–" : formatShare(cell.prediction.emptyShare);
  const figures = [
    answered,
    formatEstimate(s.latencyEstimates?.p50 ?? null),
    formatEstimate(s.latencyEstimates?.p99 ?? null),
    formatEstimate(s.latencyEstimates?.p999 ?? null),
    formatEstimate(s.fromActualSend?.p99 ?? null),
    formatCount(s.requestsPerUpdate, 2),
    `${measuredEmpty} / ${modelEmpty}`,
    formatCount(s.emptyPerHour, 0),
    formatBotCpu(s.botCpu),
    formatBytes(s.botPeakRssBytes),
  ];
  return `| ${escapeCell(s.label)} | ${figures.join(" | ")} |`;
}

function problemLines(report: Report): string[] {
  const all = report.cells.flatMap(cellProblems);
  if (all.length <= MAX_PROBLEM_LINES) return all;
  return [
    ...all.slice(0, MAX_PROBLEM_LINES),
    `- … and ${all.length - MAX_PROBLEM_LINES} more (see report.json)`,
  ];
}

/** A failed cell's reasons, then its trials that Ctrl-C stopped, one line each. */
function cellProblems(cell: CellResult): string[] {
  const where = (trial: number | null) => `- ${cellLabel(cell)}${trial === null ? "" : `, trial ${trial}`}: `;
  const failures =
    cell.status === "failed" ? cell.reasons.map((r) => where(r.trial) + firstLine(describeFailure(r))) : [];
  const cancelled = cell.trials
    .filter((t) => t.outcome.kind === "cancelled")
    .map((t) => where(t.trial) + describeOutcome(t.outcome));
  return [...failures, ...cancelled];
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";
const escapeCell = (text: string) => text.replaceAll("|", "\\|");

/**
 * The answer first: one line per bot under test, then the rule the run shows (or why nothing was
 * measured). The terminal prints report.md, so it opens the same way.
 */
export function verdictLines(verdict: Verdict): string[] {
  if (verdict.bots.length === 0) return [`**Verdict:** ${verdict.headline}`, ""];
  return [
    "**Polling or webhook? The answer per bot:**",
    "",
    ...verdict.bots.map((b) => `- ${b.text}`),
    "",
    `**The rule this run shows:** ${verdict.rule}`,
    "",
  ];
}
