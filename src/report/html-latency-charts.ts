/** report.html's latency and throughput charts: percentile curves per rate, and each rate over time. */
import type { CellSummary } from "./cell-summary.ts";
import { LATENCY_PERCENTILES } from "./cell-summary.ts";
import { formatCount, formatUs, rateWords } from "./figures.ts";
import { escapeHtml } from "./html-escape.ts";
import { botDash, modeColor, NEUTRAL_COLOR } from "./html-theme.ts";
import type { LegendItem } from "./svg-legend.ts";
import { type LineSeries, renderLineChart } from "./svg-line-chart.ts";

/** Measured cells grouped by rate (ascending), each group in report order. */
export function byRate(summaries: readonly CellSummary[]): Array<[number, CellSummary[]]> {
  const rates = [...new Set(summaries.map((s) => s.cell.ratePerSecond))].sort((a, b) => a - b);
  return rates.map((rate) => [rate, summaries.filter((s) => s.cell.ratePerSecond === rate)]);
}

/** A cell's line style: its mode's colour, its bot's dash. */
export function lineStyle(s: CellSummary, bots: readonly string[]): Pick<LineSeries, "color" | "dash"> {
  return { color: modeColor(s.cell.mode), dash: botDash(Math.max(0, bots.indexOf(s.cell.bot))) };
}

const seriesName = (s: CellSummary) => `${s.cell.bot} · ${s.cell.mode}`;

const legendOf = (cells: readonly CellSummary[], bots: readonly string[]): LegendItem[] =>
  cells.map((s) => ({ label: seriesName(s), kind: "line", ...lineStyle(s, bots) }));

/**
 * One chart per rate: the p50, p90, p99, p99.9 and max latency of every measured cell at that
 * rate, one line per bot and mode, on a log axis (short polling sits orders of magnitude higher).
 */
export function percentileCharts(measured: readonly CellSummary[], bots: readonly string[]): string {
  return byRate(measured)
    .map(([rate, cells]) =>
      renderLineChart({
        id: `latency-percentiles-${rate}`,
        title: `Latency percentiles at ${rateWords(rate)}`,
        note: "End to end, from each update's intended send time to the bot's reply; all the cell's updates (its trials' histograms merged). Log scale: each grid line is ×10 (or ×2, ×5).",
        x: {
          label: "percentile",
          format: String,
          ticks: LATENCY_PERCENTILES.map((p, i) => ({ value: i, label: p.label })),
        },
        y: { label: "latency", format: formatUs, log: true },
        markers: true,
        series: cells.map((s) => ({
          name: seriesName(s),
          ...lineStyle(s, bots),
          points: LATENCY_PERCENTILES.map((p, i) => ({
            x: i,
            y: s.latency[p.key],
            title: `${s.label}: ${p.label} ${formatUs(s.latency[p.key])}`,
          })),
        })),
        legend: legendOf(cells, bots),
      }),
    )
    .join("");
}

/**
 * Two charts per rate from the first usable trial of each measured cell: updates answered per
 * second (with the offered rate as a grey reference), and the mean latency of each second.
 */
export function timelineCharts(measured: readonly CellSummary[], bots: readonly string[]): string {
  return byRate(measured)
    .map(([rate, cells]) => {
      const timeline = (s: CellSummary) => s.trials[0]?.timeline ?? [];
      const offered = timeline(cells[0]!);
      const legend = legendOf(cells, bots);
      const throughput = renderLineChart({
        id: `throughput-over-time-${rate}`,
        title: `Answered per second at ${rateWords(rate)}`,
        note: "First trial of each cell, second by second, including the drain after the schedule. The grey line is what the generator offered.",
        x: { label: "second of the trial", format: (v) => `${v} s`, wholeTicks: true },
        y: { label: "updates / s", format: (v) => formatCount(v, 1), log: false },
        markers: false,
        series: [
          ...cells.map((s) => ({
            name: seriesName(s),
            ...lineStyle(s, bots),
            points: timeline(s).map((b) => ({ x: b.second, y: b.answered })),
          })),
          // Drawn last, so the reference stays visible where the bots keep up with it.
          {
            name: "offered",
            color: NEUTRAL_COLOR,
            dash: "3 3",
            points: offered.map((b) => ({ x: b.second, y: b.offered })),
          },
        ],
        legend: [{ label: "offered", color: NEUTRAL_COLOR, kind: "line", dash: "3 3" }, ...legend],
      });
      const latency = renderLineChart({
        id: `latency-over-time-${rate}`,
        title: `Mean latency per second at ${rateWords(rate)}`,
        note: "Mean end-to-end latency of the replies in each second (gaps: no reply that second). Log scale.",
        x: { label: "second of the trial", format: (v) => `${v} s`, wholeTicks: true },
        y: { label: "latency", format: formatUs, log: true },
        markers: false,
        series: cells.map((s) => ({
          name: seriesName(s),
          ...lineStyle(s, bots),
          points: timeline(s).map((b) => ({ x: b.second, y: b.latencyMeanUs })),
        })),
        legend,
      });
      return `<h3>${escapeHtml(rateWords(rate))}</h3><div class="charts">${throughput}${latency}</div>`;
    })
    .join("");
}
