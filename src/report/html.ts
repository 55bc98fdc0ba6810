import type { Report } from "../results/index.ts";
import { summarizeCell } from "./cell-summary.ts";
import { cpuCharts } from "./charts/cell-charts.ts";
import { decisionCharts } from "./charts/decision-map.ts";
import { chartFigures, chartRuntime } from "./charts/html-charts.ts";
import type { RenderOptions } from "./defaults.ts";
import { trialLengthWords } from "./figures.ts";
import { ceilingHtml } from "./harness-limit.ts";
import { behaviourSection } from "./html-behaviour.ts";
import { escapeHtml } from "./html-escape.ts";
import { ledgerTable, problemsList, scenarioFacts, summaryTable } from "./html-tables.ts";
import { REPORT_CSS } from "./html-theme.ts";
import { modelHtml } from "./model-table.ts";
import { monthlyCostHtml } from "./monthly-cost-table.ts";
import { emphasisToHtml, FROM_ACTUAL_SEND_NOTE, LATENCY_NOTE, SUSTAINED_NOTE } from "./notes.ts";
import { computeVerdict, type Verdict } from "./verdict.ts";

/**
 * report.html: one self-contained page (inline CSS, uPlot and the chart data inlined, no network
 * request), so it opens offline and as a CI artifact. The verdict comes first, then the summary
 * table, the charts, the ledger, and the scenario and machine. Every string taken from the report
 * is escaped. Pure: report in, text out.
 */
export function renderHtml(report: Report, options: RenderOptions = {}): string {
  const summaries = report.cells.map(summarizeCell);
  const measured = summaries.filter((s) => s.status === "measured");
  const decision = decisionCharts(report);
  const cpu = cpuCharts(measured);
  const runtime = chartRuntime([...decision, ...cpu]);
  const none = (html: string) =>
    html === "" ? `<p class="note">No cell has enough data for this chart.</p>` : html;
  const verdict = computeVerdict(report);
  const title = `tgbench: ${report.scenario.name}`;
  const sections = [
    `<h1>${escapeHtml(title)}${report.partial ? ' <span class="badge">partial: interrupted or not finished</span>' : ""}</h1>`,
    `<p class="subtitle">${escapeHtml(subtitle(report))}</p>`,
    report.scenario.description === "" ? "" : `<p>${escapeHtml(report.scenario.description)}</p>`,
    verdictBox(verdict),
    toc(),
    `<h2 id="summary">Results per cell</h2>`,
    `<p class="note">${[LATENCY_NOTE, FROM_ACTUAL_SEND_NOTE, SUSTAINED_NOTE, "Other figures are medians over each cell's trials."].map((n) => emphasisToHtml(escapeHtml(n))).join(" ")}</p>`,
    summaryTable(summaries, report.harnessCeiling),
    ceilingHtml(report),
    modelHtml(report),
    `<h2 id="decision">Decision map, per bot and network distance</h2>`,
    `<p class="note">Hover a chart for its values; click a legend entry to switch its series off or on.</p>`,
    `<div class="charts">${none(chartFigures(decision))}</div>`,
    monthlyCostHtml(report, options),
    `<h2 id="cost">Bot CPU, per bot</h2>`,
    `<div class="charts">${none(chartFigures(cpu))}</div>`,
    problemsList(report),
    behaviourSection(report),
    `<h2 id="ledger">Ledger</h2>`,
    `<p class="note">Where every generated update ended up: generated = not injected + filtered + answered + delivered but unanswered + pending + expired + dropped. An unbalanced ledger means updates were lost or counted twice, and fails the run.</p>`,
    ledgerTable(report),
    `<h2 id="scenario">Scenario and machine</h2>`,
    scenarioFacts(report),
    `<footer>Written by tgbench ${escapeHtml(report.tool.version)} · schema ${escapeHtml(report.schema)} · every figure is in report.json beside this file.</footer>`,
  ];
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style>${runtime.head}</head>` +
    `<body><main>${sections.join("\n")}</main>${runtime.body}</body></html>\n`
  );
}

function subtitle(report: Report): string {
  const s = report.scenario;
  const m = report.machine;
  return (
    `${report.createdAt} · ${m.cpus} × ${m.cpuModel} · Node ${m.node} · seed ${String(s.seed)} · ` +
    `${s.trials} trial(s) of ${trialLengthWords(s)} · ${s.arrival} arrivals`
  );
}

function verdictBox(verdict: Verdict): string {
  const bots =
    verdict.bots.length === 0
      ? `<p class="headline">${escapeHtml(verdict.headline)}</p>`
      : `<p class="headline">Polling or webhook? What switching to webhook changes, per bot:</p><ul class="answers">${verdict.bots
          .map(
            (b) =>
              `<li data-bot="${escapeHtml(b.bot)}"><strong>${escapeHtml(b.lines.heading)}:</strong><ul>${b.lines.networks
                .map((n) => `<li>${escapeHtml(n.network)}: ${escapeHtml(n.text)}.</li>`)
                .join("")}</ul></li>`,
          )
          .join("")}</ul>`;
  const rule =
    verdict.rule === ""
      ? ""
      : `<p class="rule"><strong>The rule this run shows:</strong> ${escapeHtml(verdict.rule)}</p>`;
  const caveats =
    verdict.caveats.length === 0
      ? ""
      : `<div class="caveats"><strong>Caveats</strong><ul>${verdict.caveats.map((c) => `<li>${escapeHtml(c)}</li>`).join("")}</ul></div>`;
  return `<section class="verdict" id="verdict">${bots}${rule}</section>${caveats}`;
}

function toc(): string {
  const links: Array<[string, string]> = [
    ["summary", "Results"],
    ["decision", "Decision map"],
    ["month", "A month's cost"],
    ["cost", "Bot CPU"],
    ["ledger", "Ledger"],
    ["harness-ceiling", "Harness ceiling"],
    ["scenario", "Scenario and machine"],
  ];
  return `<nav class="toc">${links.map(([id, text]) => `<a href="#${id}">${text}</a>`).join("")}</nav>`;
}
