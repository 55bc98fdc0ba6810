/** report.html's tables: the summary per cell, the ledger per trial, problems, scenario and machine. */
import { LEDGER_FIELDS } from "../metrics/ledger.ts";
import type { HarnessCeiling, PercentileEstimate } from "../results/index.ts";
import {
  describeOutcome,
  failureDetail,
  nearHarnessLimit,
  outcomeDetail,
  type Report,
} from "../results/index.ts";
import { trialNotes } from "./behaviour-notes.ts";
import type { CellSummary } from "./cell-summary.ts";
import { cellEvidence, evidenceWords } from "./evidence.ts";
import {
  formatBotCpu,
  formatBytes,
  formatCount,
  formatInterval,
  formatRate,
  formatShare,
  formatUs,
  trialLengthWords,
} from "./figures.ts";
import { NEAR_LIMIT_MARK } from "./harness-limit.ts";
import { escapeHtml } from "./html-escape.ts";
import { modeColor } from "./html-theme.ts";

const dot = (s: CellSummary) => `<span class="mode-dot" style="background:${modeColor(s.cell.mode)}"></span>`;
const td = (text: string, cls = "") => `<td${cls === "" ? "" : ` class="${cls}"`}>${escapeHtml(text)}</td>`;
const row = (cells: readonly string[], cls = "") =>
  `<tr${cls === "" ? "" : ` class="${cls}"`}>${cells.join("")}</tr>`;
const table = (head: readonly string[], rows: readonly string[]) =>
  `<div class="table-wrap"><table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
  `<tbody>${rows.join("")}</tbody></table></div>`;

/** A percentile, with its confidence interval under it where there is one. */
function estimateTd(estimate: PercentileEstimate | null): string {
  if (estimate === null) return td("–");
  const interval = formatInterval(estimate);
  const ci =
    interval === null
      ? ""
      : `<span class="ci" title="95% confidence interval">${escapeHtml(interval)}</span>`;
  return `<td>${escapeHtml(formatUs(estimate.us))}${ci}</td>`;
}

const SUMMARY_HEAD = [
  "bot · mode · rate",
  "answered",
  "unmatched",
  "duplicates",
  "p50",
  "p90",
  "p99",
  "p99.9",
  "max",
  "p50 from actual send",
  "p99 from actual send",
  "answered / s",
  "kept up",
  "requests / update",
  "empty getUpdates measured / model",
  "empty / hour",
  "bytes / update",
  "bot CPU / update",
  "bot peak RSS",
  "measured",
];

/**
 * One row per cell: latency of all its updates with confidence intervals, the rest medians over
 * its trials; cells that did not run say why.
 */
export function summaryTable(summaries: readonly CellSummary[], ceiling?: HarnessCeiling): string {
  const rows = summaries.map((s) => {
    const near = s.cell.trials.length > 0 && nearHarnessLimit(s.cell.ratePerSecond, ceiling);
    const mark = near ? ` <span class="badge near-limit">${escapeHtml(NEAR_LIMIT_MARK)}</span>` : "";
    const name = `<td>${dot(s)}${escapeHtml(s.label)}${mark}</td>`;
    const replies =
      s.cell.trials.length === 0
        ? [td(""), td("")]
        : [
            td(String(s.unmatchedReplies), s.unmatchedReplies === 0 ? "" : "bad"),
            td(String(s.duplicateReplies), s.duplicateReplies === 0 ? "" : "bad"),
          ];
    if (s.status === "unsupported" || s.status === "failed" || s.status === "interrupted") {
      const cls = s.status === "failed" ? "failed" : "skipped";
      const reason = `${s.status === "unsupported" ? "not run" : s.status}: ${s.reason ?? ""}`;
      return row(
        [
          name,
          `<td class="reason">${escapeHtml(reason)}</td>`,
          ...replies,
          `<td colspan="${SUMMARY_HEAD.length - 4}"></td>`,
        ],
        cls,
      );
    }
    const ledgerOk = s.unbalancedTrials === 0;
    const model = s.cell.prediction === null ? "–" : formatShare(s.cell.prediction.emptyShare);
    const empty =
      s.cell.mode === "webhook" ? `none (no polls) / ${model}` : `${formatShare(s.emptyShare)} / ${model}`;
    return row(
      [
        name,
        td(
          `${formatCount(s.answered, 0)} / ${formatCount(s.generated, 0)}${ledgerOk ? "" : " ⚠ ledger"}`,
          ledgerOk ? "" : "bad",
        ),
        ...replies,
        estimateTd(s.latencyEstimates?.p50 ?? null),
        estimateTd(s.latencyEstimates?.p90 ?? null),
        estimateTd(s.latencyEstimates?.p99 ?? null),
        estimateTd(s.latencyEstimates?.p999 ?? null),
        estimateTd(s.latencyEstimates?.max ?? null),
        estimateTd(s.fromActualSend?.p50 ?? null),
        estimateTd(s.fromActualSend?.p99 ?? null),
        td(`${formatCount(s.answeredPerSecond, 1)} of ${formatCount(s.offeredPerSecond, 1)}`),
        s.sustained === false ? td("no", "bad") : td(s.sustained === null ? "–" : "yes", "good"),
        td(formatCount(s.requestsPerUpdate, 2)),
        td(empty),
        td(formatCount(s.emptyPerHour, 0)),
        td(formatBytes(s.bytesPerUpdate)),
        td(formatBotCpu(s.botCpu)),
        td(formatBytes(s.botPeakRssBytes)),
        td(evidenceWords(cellEvidence(s)), "text"),
      ],
      s.status === "no-data" ? "no-data" : "",
    );
  });
  return table(SUMMARY_HEAD, rows);
}

/** The ledger's figures as column headings. */
const LEDGER_HEADINGS: Record<(typeof LEDGER_FIELDS)[number], string> = {
  generated: "generated",
  notInjected: "not injected",
  filtered: "filtered",
  answered: "answered",
  deliveredUnanswered: "delivered, unanswered",
  pending: "pending",
  expired: "expired",
  dropped: "dropped",
};

/** Every trial's ledger: where each generated update ended up, and whether the figures balance. */
export function ledgerTable(report: Report): string {
  const head = [
    "bot · mode · rate",
    "trial",
    ...LEDGER_FIELDS.map((f) => LEDGER_HEADINGS[f]),
    "discrepancy",
    "balanced",
    "error",
  ];
  const rows = report.cells.flatMap((cell) =>
    cell.trials.map((t) => {
      const l = t.ledger as unknown as Record<string, number | undefined>;
      return row([
        td(`${cell.bot} · ${cell.mode} · ${formatRate(cell.ratePerSecond)}`, "text"),
        td(String(t.trial)),
        ...LEDGER_FIELDS.map((f) => td(String(l[f] ?? 0))),
        td(String(t.ledger.discrepancy), t.ledger.discrepancy === 0 ? "" : "bad"),
        t.ledger.balanced ? td("yes", "good") : td("no", "bad"),
        td(
          firstLine(describeOutcome(t.outcome) ?? ""),
          t.outcome.kind === "completed" ? "reason" : "reason bad",
        ),
      ]);
    }),
  );
  if (rows.length === 0) return `<p class="note">No trial ran.</p>`;
  return table(head, rows);
}

/** Failed trials and cells with their full error text. Empty when nothing failed. */
export function problemsList(report: Report): string {
  const items = report.cells.flatMap((cell) => {
    const label = `${cell.bot} · ${cell.mode} · ${formatRate(cell.ratePerSecond)}`;
    const title = (trial: number | null) => (trial === null ? label : `${label}, trial ${trial}`);
    const failures =
      cell.status === "failed"
        ? cell.reasons.map((r) => ({ title: title(r.trial), text: failureDetail(r) }))
        : [];
    const cancelled = cell.trials
      .filter((t) => t.outcome.kind === "cancelled")
      .map((t) => ({ title: title(t.trial), text: outcomeDetail(t.outcome) ?? "" }));
    const notes = trialNotes([cell]).map((n) => ({ title: title(n.trial), text: `note: ${n.text}` }));
    return [...failures, ...cancelled, ...notes];
  });
  if (items.length === 0) return "";
  return (
    `<h2 id="problems">Problems</h2><ul>` +
    items
      .map((i) => `<li>${escapeHtml(i.title)}<pre class="error">${escapeHtml(i.text)}</pre></li>`)
      .join("") +
    "</ul>"
  );
}

/** The scenario as it ran, and the machine it ran on. */
export function scenarioFacts(report: Report): string {
  const s = report.scenario;
  const m = report.machine;
  const bots = s.subjects
    .map((b) => `${b.name} (${b.builtIn?.framework ?? b.command ?? "custom"})`)
    .join(", ");
  const facts: Array<[string, string]> = [
    ["bots", bots],
    ["modes", s.modes.join(", ")],
    ["rates", s.ratesPerSecond.map(formatRate).join(", ")],
    ["arrivals", s.arrival],
    [
      "duration",
      s.maxUpdates === null
        ? `${trialLengthWords(s)} per trial`
        : `${trialLengthWords(s)} or ${s.maxUpdates} updates`,
    ],
    ["trials", String(s.trials)],
    ["warm-up", `${s.warmupUpdates} updates`],
    ["seed", String(s.seed)],
    ["short polling interval", `${s.pollIntervalMs} ms`],
    [
      "long polling timeout",
      s.pollTimeoutSeconds === null ? "the framework's default" : `${s.pollTimeoutSeconds} s`,
    ],
    [
      "webhook",
      `max_connections ${s.webhookMaxConnections}, replies in the response: ${s.webhookReply ? "yes" : "no"}`,
    ],
    ["handler delay", `${s.handlerDelayMs} ms`],
    ["users, groups", `${s.users}, ${s.groups}`],
    ["traffic mix", `text ${s.mix.text}, command ${s.mix.command}, callback ${s.mix.callback}`],
    ["machine", `${m.cpus} × ${m.cpuModel}, ${formatBytes(m.totalMemoryBytes)} memory, ${m.platform}`],
    ["Node", m.node],
    ["tgbench", report.tool.version],
    ["started", report.createdAt],
  ];
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";
