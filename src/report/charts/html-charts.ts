/**
 * Charts in report.html: a figure per chart spec (an empty `.plot` that the page's script fills),
 * the specs as one JSON block, and uPlot with the boot script inlined, so the page needs nothing
 * from outside. A chart whose data are all zero or missing is left out.
 */
import { escapeHtml } from "../html-escape.ts";
import { type ChartSpec, hasData } from "./chart-spec.ts";
import { CHARTS_SCRIPT } from "./charts-script.ts";
import { uplotAssets } from "./uplot-assets.ts";

/** The figures of the charts that have data; an empty string when none has. */
export function chartFigures(charts: readonly ChartSpec[]): string {
  return charts
    .filter(hasData)
    .map(
      (c) =>
        `<figure class="chart" data-chart="${escapeHtml(c.id)}"><figcaption>${escapeHtml(c.title)}</figcaption>` +
        `<p class="note">${escapeHtml(c.note)}</p><div class="plot"></div></figure>`,
    )
    .join("");
}

/**
 * What the page needs to draw `charts`: the specs (JSON, `<` escaped so no text can close the
 * block), uPlot's style and script, and the boot script.
 */
export function chartRuntime(charts: readonly ChartSpec[]): { head: string; body: string } {
  const drawn = charts.filter(hasData);
  if (drawn.length === 0) return { head: "", body: "" };
  const { script, css } = uplotAssets();
  const json = JSON.stringify(drawn).replaceAll("<", "\\u003c");
  return {
    head: `<style>${css}</style>`,
    body:
      `<script type="application/json" id="chart-specs">${json}</script>` +
      `<script>${script}</script><script>${CHARTS_SCRIPT}</script>`,
  };
}
