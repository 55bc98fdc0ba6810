import {
  type CellResult,
  describeActivity,
  describeFailure,
  describeOutcome,
  type FailureReason,
  nearHarnessLimit,
  type Report,
} from "../results/index.ts";
import { trialNotes, webhookFrontCosts } from "./behaviour-notes.ts";
import { type CellSummary, summarizeCell } from "./cell-summary.ts";
import type { RenderOptions } from "./defaults.ts";
import { cellEvidence, evidenceWords } from "./evidence.ts";
import {
  cellLabel,
  formatBotCpu,
  formatBytes,
  formatCount,
  formatEstimate,
  formatShare,
  formatUs,
  trialLengthWords,
} from "./figures.ts";
import { ceilingMarkdown, NEAR_LIMIT_MARK } from "./harness-limit.ts";
import { modelMarkdown } from "./model-table.ts";
import { monthlyCostMarkdown } from "./monthly-cost-table.ts";
import { FROM_ACTUAL_SEND_NOTE, LATENCY_NOTE } from "./notes.ts";
import { computeVerdict, type Verdict } from "./verdict.ts";

/** At most this many lines under "Problems", so the job summary stays short. */
const MAX_PROBLEM_LINES = 10;
/** Of a failure's stderr, the last lines report.md shows (report.html shows more). */
const STDERR_LINES_SHOWN = 5;

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
  lines.push(`# tgbench: ${s.name}${report.partial ? " (partial: interrupted or not finished)" : ""}`);
  lines.push("");
  lines.push(...verdictLines(verdict));
  if (verdict.caveats.length > 0) lines.push(...verdict.caveats.map((c) => `> ⚠ ${c}`), "");
  if (s.description !== "") lines.push(s.description, "");
  lines.push(
    `${report.createdAt} · ${report.machine.cpus} × ${report.machine.cpuModel} · Node ${report.machine.node} · ` +
      `seed \`${String(s.seed)}\` · ${s.trials} trial(s) of ${trialLengthWords(s)} · ${s.arrival} arrivals`,
  );
  lines.push("");
  lines.push("## Results");
  lines.push("");
  lines.push(
    "| bot · mode · rate | answered | unmatched | duplicates | p50 | p99 | p99.9 | p99 from actual send | requests / update | empty getUpdates (measured / model) | empty / hour | bot CPU / update | bot peak RSS | measured |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const summary of report.cells.map(summarizeCell)) {
    lines.push(tableRow(summary, nearHarnessLimit(summary.cell.ratePerSecond, report.harnessCeiling)));
  }
  lines.push("");
  lines.push(...ceilingMarkdown(report));
  lines.push(...modelMarkdown(report));
  lines.push(...monthlyCostMarkdown(report, options));
  const problems = problemLines(report);
  if (problems.length > 0) lines.push("## Problems", "", ...problems, "");
  lines.push(...webhookFrontLines(report));
  lines.push(
    `${LATENCY_NOTE} ${FROM_ACTUAL_SEND_NOTE} Requests count both directions: the bot's ` +
      "API calls and Telegram's webhook POSTs. *unmatched*: replies that answer no update; *duplicates*: " +
      "replies to an update already answered (either fails the cell). *empty / hour* extrapolates the empty " +
      "getUpdates of the measured window to one hour; *model* is the analytic prediction for the mode. Other " +
      "figures are medians over a cell's trials. Charts in report.html, every figure in report.json.",
  );
  return `${lines.join("\n")}\n`;
}

function tableRow(s: CellSummary, nearLimit: boolean): string {
  const { cell } = s;
  const label = escapeCell(s.label) + (nearLimit && cell.trials.length > 0 ? ` ${NEAR_LIMIT_MARK}` : "");
  const replies =
    cell.trials.length === 0 ? ["", ""] : [String(s.unmatchedReplies), String(s.duplicateReplies)];
  if (cell.trials.length === 0 || s.status === "failed") {
    const why = s.status === "unsupported" ? "skipped" : s.status === "failed" ? "✗ failed" : s.status;
    return `| ${label} | ${why}: ${escapeCell(firstLine(s.reason ?? ""))} | ${replies.join(" | ")} | | | | | | | | | | |`;
  }
  const answered = `${formatCount(s.answered, 0)}/${formatCount(s.generated, 0)}${s.unbalancedTrials === 0 ? "" : " ⚠"}`;
  const measuredEmpty = cell.mode === "webhook" ? "0 (no polls)" : formatShare(s.emptyShare);
  const modelEmpty = cell.prediction === null ? "–" : formatShare(cell.prediction.emptyShare);
  const figures = [
    answered,
    ...replies,
    formatEstimate(s.latencyEstimates?.p50 ?? null),
    formatEstimate(s.latencyEstimates?.p99 ?? null),
    formatEstimate(s.latencyEstimates?.p999 ?? null),
    formatEstimate(s.fromActualSend?.p99 ?? null),
    formatCount(s.requestsPerUpdate, 2),
    `${measuredEmpty} / ${modelEmpty}`,
    formatCount(s.emptyPerHour, 0),
    formatBotCpu(s.botCpu),
    formatBytes(s.botPeakRssBytes),
    evidenceWords(cellEvidence(s)),
  ];
  return `| ${label} | ${figures.join(" | ")} |`;
}

/** What the webhook proxy cost, for the cells that ran behind it. */
function webhookFrontLines(report: Report): string[] {
  const costs = webhookFrontCosts(report);
  if (costs.length === 0) return [];
  return [
    "## Webhook proxy",
    "",
    "tgbench's reverse proxy in front of the webhook bots (`--webhook-front proxy`), measured on its own: " +
      "its CPU time per forwarded request and the time a request spent in it (the bot's time left out). " +
      "The latency figures above include it.",
    "",
    ...costs.map(
      (c) =>
        `- ${cellLabel(c.cell)}: ${c.requests} requests, ${c.badGateway} of them answered 502; ` +
        `${c.badGatewayBeforeMeasuring} answered 502 before the measurement (the bot was not listening yet); ` +
        `${formatUs(c.cpuMs === null ? null : c.cpuMs * 1000)} CPU, ${formatUs(c.cpuUsPerRequest)} per request; ` +
        `${formatUs(c.inProxyP50Us)} p50 / ${formatUs(c.inProxyP99Us)} p99 in the proxy`,
    ),
    "",
  ];
}

function problemLines(report: Report): string[] {
  const all = report.cells.flatMap(cellProblems);
  if (all.length <= MAX_PROBLEM_LINES) return all;
  return [
    ...all.slice(0, MAX_PROBLEM_LINES),
    `- … and ${all.length - MAX_PROBLEM_LINES} more (see report.html or report.json)`,
  ];
}

/**
 * A failed cell's reasons, each with what the fake API saw the bot do and its last stderr lines
 * (nested under it), then its trials that Ctrl-C stopped and the notes about its trials.
 */
function cellProblems(cell: CellResult): string[] {
  const where = (trial: number | null) => `- ${cellLabel(cell)}${trial === null ? "" : `, trial ${trial}`}: `;
  const failures =
    cell.status === "failed"
      ? cell.reasons.map((r) =>
          [where(r.trial) + escapeText(firstLine(describeFailure(r))), ...failureLines(r)].join("\n"),
        )
      : [];
  const cancelled = cell.trials
    .filter((t) => t.outcome.kind === "cancelled")
    .map((t) => where(t.trial) + describeOutcome(t.outcome));
  const notes = trialNotes([cell]).map((n) => `${where(n.trial)}note: ${escapeText(n.text)}`);
  return [...failures, ...cancelled, ...notes];
}

/** The lines nested under a failure: what the fake API saw, then the last stderr lines as a code block. */
function failureLines(reason: FailureReason): string[] {
  const activity =
    "activity" in reason && reason.activity !== undefined ? describeActivity(reason.activity) : [];
  const lines = activity.map((l) => `  - ${escapeText(l)}`);
  const tail = "stderrTail" in reason ? reason.stderrTail.trim() : "";
  if (tail !== "") {
    const shown = tail.split("\n").slice(-STDERR_LINES_SHOWN);
    lines.push("  ```text", ...shown.map((l) => `  ${l.replaceAll("```", "'''")}`), "  ```");
  }
  return lines;
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
    "**Polling or webhook? What switching to webhook changes, per bot:**",
    "",
    ...verdict.bots.flatMap((b) => [
      `- **${b.lines.heading}:**`,
      ...b.lines.networks.map((n) => `  - ${n.network}: ${n.text}.`),
    ]),
    "",
    `**The rule this run shows:** ${verdict.rule}`,
    "",
  ];
}

/** Text from a bot (a description, a command) that must not turn into Markdown. */
const escapeText = (text: string) => text.replace(/([<>*_`|[\]])/g, "\\$1");
