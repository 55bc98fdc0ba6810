import { escapeHtml } from "./html-escape.ts";
import { type LegendItem, renderLegend } from "./svg-legend.ts";
import { coord, linearScale } from "./svg-scale.ts";

/** One bar; `value: null` shows the text (e.g. "–") without a bar. */
export interface Bar {
  value: number | null;
  /** The figure as printed at the bar's end. */
  text: string;
  color: string;
  /** Hatched: a modelled figure beside a measured one. */
  hatched?: boolean;
  /** Tooltip. */
  title: string;
}

/** A row of bars with a label, or a heading that groups the rows below it. */
export type BarRow = { heading: string } | { label: string; bars: readonly Bar[] };

export interface BarChartSpec {
  /** Unique in the page: the figure's id and the `data-chart` the browser test looks for. */
  id: string;
  title: string;
  note?: string;
  axisLabel: string;
  format: (value: number) => string;
  rows: readonly BarRow[];
  /** Upper end of the axis (e.g. 1 for a share); default: the largest value, rounded out. */
  max?: number;
  legend?: readonly LegendItem[];
}

const WIDTH = 600;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 96;
const BAR_HEIGHT = 13;
const BAR_GAP = 2;
const ROW_GAP = 7;
const HEADING_HEIGHT = 24;
const AXIS_HEIGHT = 40;
const TOP = 6;

/**
 * A horizontal bar chart as an inline SVG inside a `<figure class="chart">`: one row per cell,
 * one bar per figure. Every bar with a value is a `<rect class="bar">`; the figure's `data-bars`
 * says how many. Pure.
 */
export function renderBarChart(spec: BarChartSpec): string {
  const values = spec.rows.flatMap((r) => ("bars" in r ? r.bars.map((b) => b.value) : []));
  const drawn = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const x0 = LABEL_WIDTH;
  const x1 = WIDTH - VALUE_WIDTH;
  const x = linearScale(0, spec.max ?? Math.max(...drawn, 0), [x0, x1]);
  let y = TOP;
  const rows: string[] = [];
  for (const [i, row] of spec.rows.entries()) {
    if ("heading" in row) {
      y += i === 0 ? 0 : ROW_GAP;
      rows.push(`<text class="row-heading" x="4" y="${y + 16}">${escapeHtml(row.heading)}</text>`);
      y += HEADING_HEIGHT;
      continue;
    }
    const height = row.bars.length * (BAR_HEIGHT + BAR_GAP);
    rows.push(
      `<text class="row-label" x="${x0 - 8}" y="${coord(y + height / 2)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(row.label)}</text>`,
    );
    for (const [j, bar] of row.bars.entries()) {
      const top = y + j * (BAR_HEIGHT + BAR_GAP);
      rows.push(renderBar(spec.id, bar, top, x0, bar.value === null ? x0 : x(bar.value)));
    }
    y += height + ROW_GAP;
  }
  const axisY = y;
  const grid = x.ticks
    .map(
      (t) =>
        `<line x1="${coord(x(t))}" x2="${coord(x(t))}" y1="${TOP}" y2="${axisY}"/>` +
        `<text class="tick" x="${coord(x(t))}" y="${axisY + 14}" text-anchor="middle">${escapeHtml(spec.format(t))}</text>`,
    )
    .join("");
  const height = axisY + AXIS_HEIGHT;
  const bars = drawn.length;
  return (
    `<figure class="chart" id="chart-${escapeHtml(spec.id)}" data-chart="${escapeHtml(spec.id)}" data-kind="bar" data-bars="${bars}">` +
    `<figcaption>${escapeHtml(spec.title)}</figcaption>` +
    (bars === 0
      ? `<p class="note">No data to draw.</p>`
      : `<svg class="plot" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(spec.title)}">` +
        `<defs>${hatchPatterns(spec)}</defs><g class="grid">${grid}</g>${rows.join("")}` +
        `<text class="axis-label" x="${(x0 + x1) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(spec.axisLabel)}</text></svg>`) +
    (spec.legend !== undefined && bars > 0 ? renderLegend(spec.legend) : "") +
    (spec.note !== undefined ? `<p class="note">${escapeHtml(spec.note)}</p>` : "") +
    "</figure>"
  );
}

function renderBar(chartId: string, bar: Bar, top: number, x0: number, xEnd: number): string {
  const width = Math.max(0, xEnd - x0);
  const fill = bar.hatched ? `url(#${hatchId(chartId, bar.color)})` : bar.color;
  const rect =
    bar.value === null
      ? ""
      : `<rect class="bar" x="${x0}" y="${coord(top)}" width="${coord(width)}" height="${BAR_HEIGHT}" fill="${fill}" stroke="${bar.color}" stroke-width="${bar.hatched ? 1 : 0}"><title>${escapeHtml(bar.title)}</title></rect>`;
  return `${rect}<text class="bar-value" x="${coord(x0 + width + 4)}" y="${coord(top + BAR_HEIGHT / 2)}" dominant-baseline="middle">${escapeHtml(bar.text)}</text>`;
}

function hatchPatterns(spec: BarChartSpec): string {
  const colors = new Set(
    spec.rows.flatMap((r) => ("bars" in r ? r.bars.filter((b) => b.hatched).map((b) => b.color) : [])),
  );
  return [...colors]
    .map(
      (color) =>
        `<pattern id="${hatchId(spec.id, color)}" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
        `<rect width="5" height="5" fill="#fff"/><line x1="0" y1="0" x2="0" y2="5" stroke="${color}" stroke-width="2.5"/></pattern>`,
    )
    .join("");
}

const hatchId = (chartId: string, color: string) =>
  `hatch-${chartId.replace(/[^\w-]/g, "")}-${color.replace(/[^\w]/g, "")}`;
