/** The month's cost as a Markdown table and an HTML table (same rows, same words). */

import type { Report } from "../results/index.ts";
import { networkWords } from "./cell-network.ts";
import type { RenderOptions } from "./defaults.ts";
import { formatBytes, formatCount, modeWords } from "./figures.ts";
import { escapeHtml } from "./html-escape.ts";
import { MONTHLY_COST_ASSUMPTIONS, type MonthlyCostRow, monthlyCosts } from "./monthly-cost.ts";

const HEAD = [
  "bot · distance · traffic",
  "mode",
  "requests / month",
  "bytes / month",
  "bot CPU-hours / month",
];

function cells(r: MonthlyCostRow): string[] {
  const hours =
    r.botCpuHours === null ? "–" : r.botCpuHours < 0.01 ? "< 0.01" : formatCount(r.botCpuHours, 2);
  return [
    `${r.bot} · ${networkWords(r.network)} · ${formatCount(r.updatesPerDay, 0)} updates/day`,
    modeWords(r.mode),
    formatCount(r.requests === null ? null : Math.round(r.requests), 0),
    formatBytes(r.bytes),
    hours,
  ];
}

/** `## What a month costs` with its table and the assumptions; empty without measured cells. */
export function monthlyCostMarkdown(report: Report, options: RenderOptions = {}): string[] {
  const rows = monthlyCosts(report, options);
  if (rows.length === 0) return [];
  return [
    "## What a month costs",
    "",
    `| ${HEAD.join(" | ")} |`,
    "|---|---|---:|---:|---:|",
    ...rows.map((r) => `| ${cells(r).join(" | ")} |`),
    "",
    `*Assumptions:* ${MONTHLY_COST_ASSUMPTIONS} Other traffic: \`tgbench report <run dir> --traffic <updates per day>\`.`,
    "",
  ];
}

/** The same as an HTML section. */
export function monthlyCostHtml(report: Report, options: RenderOptions = {}): string {
  const rows = monthlyCosts(report, options);
  if (rows.length === 0) return "";
  const body = rows
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join("")}</tr>`,
    )
    .join("");
  return (
    `<h2 id="month">What a month costs</h2>` +
    `<div class="table-wrap"><table><thead><tr>${HEAD.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table></div>` +
    `<p class="note"><em>Assumptions:</em> ${escapeHtml(MONTHLY_COST_ASSUMPTIONS)}</p>`
  );
}
