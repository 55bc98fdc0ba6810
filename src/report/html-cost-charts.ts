/** report.html's cost charts: empty polls against the model, requests and bytes per update, bot CPU and memory. */
import type { CellSummary } from "./cell-summary.ts";
import { formatBotCpu, formatBytes, formatCount, formatShare, formatUs, rateWords } from "./figures.ts";
import { byRate } from "./html-latency-charts.ts";
import { modeColor, NEUTRAL_COLOR } from "./html-theme.ts";
import { type Bar, type BarRow, renderBarChart } from "./svg-bar-chart.ts";
import type { LegendItem } from "./svg-legend.ts";

const MIB = 1024 * 1024;

/** Rows grouped under a heading per rate, one row per cell labelled `bot · mode`. */
function rowsByRate(cells: readonly CellSummary[], bars: (s: CellSummary) => Bar[]): BarRow[] {
  return byRate(cells).flatMap(([rate, group]) => [
    { heading: rateWords(rate) },
    ...group.map((s) => ({ label: `${s.cell.bot} · ${s.cell.mode}`, bars: bars(s) })),
  ]);
}

const modeLegend = (cells: readonly CellSummary[], suffix = ""): LegendItem[] =>
  [...new Set(cells.map((s) => s.cell.mode))].map((mode) => ({
    label: `${mode}${suffix}`,
    color: modeColor(mode),
    kind: "box",
  }));

/** Measured share of empty getUpdates beside the model's prediction, for every polling cell. */
export function emptyShareChart(measured: readonly CellSummary[]): string {
  const polling = measured.filter((s) => s.cell.mode !== "webhook");
  return renderBarChart({
    id: "empty-share",
    title: "Empty getUpdates: measured vs model",
    note:
      "Share of getUpdates answered with no update. Solid: measured (median over trials); hatched: the analytic model " +
      "(short polling e^(−λT), long polling e^(−λ(τ+g))). Webhook cells make no getUpdates, so none of their requests are empty.",
    axisLabel: "share of getUpdates that came back empty",
    format: (v) => formatShare(v),
    max: 1,
    rows: rowsByRate(polling, (s) => {
      const color = modeColor(s.cell.mode);
      const model = s.cell.prediction?.emptyShare ?? null;
      return [
        {
          value: s.emptyShare,
          text: formatShare(s.emptyShare),
          color,
          title: `${s.label}: measured ${formatShare(s.emptyShare)}`,
        },
        {
          value: model,
          text: `${formatShare(model)} model`,
          color,
          hatched: true,
          title: `${s.label}: model ${formatShare(model)}`,
        },
      ];
    }),
    legend: [
      ...modeLegend(polling, " (measured)"),
      ...modeLegend(polling, " (model)").map((l) => ({ ...l, hatched: true })),
    ],
  });
}

/** Requests on the wire per answered update (both directions), with the empty ones beside. */
export function requestsChart(measured: readonly CellSummary[]): string {
  return renderBarChart({
    id: "requests-per-update",
    title: "Requests per answered update",
    note: "Both directions: the bot's API calls (getUpdates, sendMessage …) and Telegram's webhook POSTs. Grey: empty getUpdates among them.",
    axisLabel: "requests per answered update",
    format: (v) => formatCount(v, 2),
    rows: rowsByRate(measured, (s) => [
      {
        value: s.requestsPerUpdate,
        text: formatCount(s.requestsPerUpdate, 2),
        color: modeColor(s.cell.mode),
        title: `${s.label}: ${formatCount(s.requestsPerUpdate, 2)} requests per update`,
      },
      {
        value: s.emptyRequestsPerUpdate,
        text: `${formatCount(s.emptyRequestsPerUpdate, 2)} empty`,
        color: NEUTRAL_COLOR,
        title: `${s.label}: ${formatCount(s.emptyRequestsPerUpdate, 2)} empty getUpdates per update`,
      },
    ]),
    legend: [...modeLegend(measured), { label: "empty getUpdates", color: NEUTRAL_COLOR, kind: "box" }],
  });
}

/** Request and response bodies in both directions per answered update. */
export function bytesChart(measured: readonly CellSummary[]): string {
  return renderBarChart({
    id: "bytes-per-update",
    title: "Bytes per answered update",
    note: "Request and response bodies in both directions (headers excluded).",
    axisLabel: "bytes per answered update",
    format: (v) => formatBytes(v),
    rows: rowsByRate(measured, (s) => [
      {
        value: s.bytesPerUpdate,
        text: formatBytes(s.bytesPerUpdate),
        color: modeColor(s.cell.mode),
        title: `${s.label}: ${formatBytes(s.bytesPerUpdate)} per update`,
      },
    ]),
    legend: modeLegend(measured),
  });
}

/** The bot's CPU time per answered update. */
export function cpuChart(measured: readonly CellSummary[]): string {
  return renderBarChart({
    id: "bot-cpu",
    title: "Bot CPU per answered update",
    note:
      "User + system CPU time of the bot process during the measurement, divided by answered updates. The kernel counts " +
      "in clock ticks (usually 10 ms): ≈ marks totals under ten ticks, < a total of zero ticks.",
    axisLabel: "CPU time per answered update",
    format: formatUs,
    rows: rowsByRate(measured, (s) => [
      {
        value: s.botCpu.usPerUpdate,
        text: formatBotCpu(s.botCpu),
        color: modeColor(s.cell.mode),
        hatched: s.botCpu.precision === "upper-bound",
        title: `${s.label}: ${formatBotCpu(s.botCpu)} CPU per update`,
      },
    ]),
    legend: modeLegend(measured),
  });
}

/** The bot's peak resident memory. */
export function memoryChart(measured: readonly CellSummary[]): string {
  return renderBarChart({
    id: "bot-memory",
    title: "Bot peak memory (RSS)",
    note: "Peak resident set size of the bot process during the trial.",
    axisLabel: "peak RSS, MiB",
    format: (v) => `${formatCount(v, 0)} MiB`,
    rows: rowsByRate(measured, (s) => [
      {
        // In MiB, so that the axis ticks fall on round MiB.
        value: s.botPeakRssBytes === null ? null : s.botPeakRssBytes / MIB,
        text: formatBytes(s.botPeakRssBytes),
        color: modeColor(s.cell.mode),
        title: `${s.label}: peak RSS ${formatBytes(s.botPeakRssBytes)}`,
      },
    ]),
    legend: modeLegend(measured),
  });
}
