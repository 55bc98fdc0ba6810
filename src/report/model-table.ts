/**
 * The model beside the measurement: for every measured cell, each figure the model predicts
 * (src/model/, stored in `cell.prediction`) next to the measured one, with the difference. One
 * table in report.md and report.html; a line above it when the arrivals are not Poisson (the
 * model then is a reference only). Pure: report in, text out.
 */
import type { CellPrediction, CellResult, PooledLatency, Report } from "../results/index.ts";
import { type CellSummary, summarizeCell } from "./cell-summary.ts";
import { formatCount, formatShare, formatUs, medianOf } from "./figures.ts";
import { escapeHtml } from "./html-escape.ts";

/** One figure of one cell: measured, modelled, and the difference as text ("–" where one is missing). */
export interface ModelFigureCell {
  measured: string;
  model: string;
  difference: string;
}

/** A measured cell's row. */
export interface ModelRow {
  label: string;
  figures: ModelFigureCell[];
}

/** The table: column names, rows, and the lines that go above it. */
export interface ModelTable {
  columns: string[];
  rows: ModelRow[];
  notes: string[];
}

const NONE: ModelFigureCell = { measured: "–", model: "–", difference: "" };
/** Below this the difference of a time is shown in ms, above it in percent. */
const PERCENT_FROM_MS = 20;

type Figure = {
  name: string;
  cell: (s: CellSummary, p: CellPrediction, latency: CellResult["latency"]) => ModelFigureCell;
};

const pp = (measured: number, model: number) => {
  const points = (measured - model) * 100;
  return `${points >= 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pp`;
};
const percent = (measured: number, model: number) => {
  if (model === 0) return measured === 0 ? "±0" : "";
  const change = ((measured - model) / Math.abs(model)) * 100;
  return `${change >= 0 ? "+" : "−"}${Math.abs(change).toFixed(change !== 0 && Math.abs(change) < 10 ? 1 : 0)}%`;
};
const msDifference = (measuredMs: number, modelMs: number) => {
  if (Math.abs(modelMs) >= PERCENT_FROM_MS) return percent(measuredMs, modelMs);
  const d = measuredMs - modelMs;
  return `${d >= 0 ? "+" : "−"}${formatUs(Math.abs(d) * 1_000)}`;
};

function share(measured: number | null, model: number | null): ModelFigureCell {
  return {
    measured: formatShare(measured),
    model: formatShare(model),
    difference: measured === null || model === null ? "" : pp(measured, model),
  };
}

function count(measured: number | null, model: number | null, digits: number): ModelFigureCell {
  return {
    measured: formatCount(measured, digits),
    model: formatCount(model, digits),
    difference: measured === null || model === null ? "" : percent(measured, model),
  };
}

function time(measuredUs: number | null | undefined, modelMs: number | null): ModelFigureCell {
  const measured = measuredUs ?? null;
  return {
    measured: formatUs(measured),
    model: modelMs === null ? "–" : formatUs(modelMs * 1_000),
    difference: measured === null || modelMs === null ? "" : msDifference(measured / 1_000, modelMs),
  };
}

const polling = (s: CellSummary) => s.cell.mode !== "webhook";
const pollsPerHour = (s: CellSummary) =>
  medianOf(s.trials, (t) =>
    t.window.windowMs > 0 ? (t.requests.getUpdates / t.window.windowMs) * 3_600_000 : null,
  );
const pooledTime = (latency: PooledLatency | undefined, key: "p50" | "p90" | "p99" | "p999") =>
  latency?.[key]?.us ?? null;

/** The figures the model predicts, in the order the table shows them. */
const FIGURES: readonly Figure[] = [
  { name: "empty getUpdates", cell: (s, p) => (polling(s) ? share(s.emptyShare, p.emptyShare) : NONE) },
  {
    name: "getUpdates / hour",
    cell: (s, p) => (polling(s) ? count(pollsPerHour(s), p.pollsPerHour, 0) : NONE),
  },
  { name: "requests / update", cell: (s, p) => count(s.requestsPerUpdate, p.requestsPerAnsweredUpdate, 2) },
  { name: "delivery wait, mean", cell: (_s, p, l) => time(l?.deliveryWait.meanUs, p.deliveryWaitMs.meanMs) },
  {
    name: "delivery wait, p50",
    cell: (_s, p, l) => time(pooledTime(l?.deliveryWait, "p50"), p.deliveryWaitMs.p50Ms),
  },
  {
    name: "delivery wait, p99",
    cell: (_s, p, l) => time(pooledTime(l?.deliveryWait, "p99"), p.deliveryWaitMs.p99Ms),
  },
  { name: "end to end, mean", cell: (_s, p, l) => time(l?.endToEnd.meanUs, p.endToEndMs.meanMs) },
  { name: "end to end, p50", cell: (_s, p, l) => time(pooledTime(l?.endToEnd, "p50"), p.endToEndMs.p50Ms) },
  { name: "end to end, p90", cell: (_s, p, l) => time(pooledTime(l?.endToEnd, "p90"), p.endToEndMs.p90Ms) },
  { name: "end to end, p99", cell: (_s, p, l) => time(pooledTime(l?.endToEnd, "p99"), p.endToEndMs.p99Ms) },
  {
    name: "end to end, p99.9",
    cell: (_s, p, l) => time(pooledTime(l?.endToEnd, "p999"), p.endToEndMs.p999Ms),
  },
  { name: "throughput ceiling", cell: (s, p) => ceiling(s, p) },
];

/**
 * A cell that kept up only shows that the ceiling is above its rate; one that did not answered at
 * its ceiling, which is then measured (answered per second).
 */
function ceiling(s: CellSummary, p: CellPrediction): ModelFigureCell {
  const model = p.throughputCeilingPerSecond;
  const modelText = model === null ? "unbounded" : `${formatCount(model, 1)}/s`;
  if (s.sustained === true) {
    const agrees = model === null || model > s.cell.ratePerSecond;
    return { measured: "kept up", model: modelText, difference: agrees ? "" : "⚠ model: above it" };
  }
  const measured = s.answeredPerSecond;
  return {
    measured: measured === null ? "–" : `${formatCount(measured, 1)}/s`,
    model: modelText,
    difference: measured === null || model === null ? "" : percent(measured, model),
  };
}

/** The line above the table when the arrivals are not Poisson, or null. */
export function arrivalsNote(report: Report): string | null {
  const arrival = report.scenario.arrival;
  if (arrival === "poisson") return null;
  if (arrival === "constant") {
    return "Arrivals are constant, not Poisson: the model's figures come from its simulation of constant spacing and are a reference only.";
  }
  return `Arrivals are ${arrival}, not Poisson: the model takes each cell as Poisson at its rate, so its figures are a reference only.`;
}

/** The model table of a report; rows only for measured cells that have a prediction. */
export function modelTable(report: Report): ModelTable {
  const rows: ModelRow[] = [];
  for (const cell of report.cells) {
    const prediction = cell.prediction;
    if (prediction === null) continue;
    const summary = summarizeCell(cell);
    if (summary.status !== "measured") continue;
    rows.push({
      label: summary.label,
      figures: FIGURES.map((f) => f.cell(summary, prediction, cell.latency)),
    });
  }
  const measured = report.cells.some((c) =>
    c.prediction?.notes.some((n) => n.startsWith("measured in this run")),
  );
  const notes = [
    arrivalsNote(report),
    "Each figure: measured / model (difference: percentage points for shares, percent or ms otherwise).",
    measured
      ? "One model input is measured in this run: the generator's lateness (report.json: each cell's prediction.input and notes)."
      : null,
  ].filter((n): n is string => n !== null);
  return { columns: FIGURES.map((f) => f.name), rows, notes };
}

const figureText = (f: ModelFigureCell) =>
  f.measured === "–" && f.model === "–"
    ? "–"
    : `${f.measured} / ${f.model}${f.difference === "" ? "" : ` (${f.difference})`}`;

/** The section of report.md (empty when no cell has a row). */
export function modelMarkdown(report: Report): string[] {
  const table = modelTable(report);
  if (table.rows.length === 0) return [];
  const escapeCell = (text: string) => text.replaceAll("|", "\\|");
  return [
    "## Model beside the measurement",
    "",
    ...table.notes.map((n) => `${n} `),
    "",
    `| cell | ${table.columns.join(" | ")} |`,
    `|---|${table.columns.map(() => "---:").join("|")}|`,
    ...table.rows.map(
      (r) => `| ${escapeCell(r.label)} | ${r.figures.map((f) => escapeCell(figureText(f))).join(" | ")} |`,
    ),
    "",
  ];
}

/** The section of report.html (empty when no cell has a row). */
export function modelHtml(report: Report): string {
  const table = modelTable(report);
  if (table.rows.length === 0) return "";
  const head = ["cell", ...table.columns].map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const td = (f: ModelFigureCell) =>
    f.measured === "–" && f.model === "–"
      ? "<td>–</td>"
      : `<td>${escapeHtml(f.measured)} / ${escapeHtml(f.model)}` +
        (f.difference === "" ? "" : `<span class="ci">${escapeHtml(f.difference)}</span>`) +
        "</td>";
  const rows = table.rows.map((r) => `<tr><td>${escapeHtml(r.label)}</td>${r.figures.map(td).join("")}</tr>`);
  return (
    `<h2 id="model">Model beside the measurement</h2>` +
    table.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("") +
    `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`
  );
}
