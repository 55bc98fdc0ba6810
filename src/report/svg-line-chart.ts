import { escapeHtml } from "./html-escape.ts";
import { type LegendItem, renderLegend } from "./svg-legend.ts";
import { coord, linearScale, logScale, type Scale } from "./svg-scale.ts";

/** One point of a line; `y: null` leaves a gap (a second without data, or ≤ 0 on a log axis). */
export interface LinePoint {
  x: number;
  y: number | null;
  /** Tooltip text for the point's marker. */
  title?: string;
}

export interface LineSeries {
  name: string;
  color: string;
  /** SVG stroke-dasharray, or null for a solid line. */
  dash: string | null;
  points: readonly LinePoint[];
}

export interface LineChartSpec {
  /** Unique in the page: the figure's id and the `data-chart` the browser test looks for. */
  id: string;
  title: string;
  /** A sentence under the chart saying how to read it. */
  note?: string;
  x: {
    label: string;
    format: (value: number) => string;
    /** Fixed ticks (e.g. percentile names) instead of computed ones. */
    ticks?: ReadonlyArray<{ value: number; label: string }>;
    /** Computed ticks on whole numbers only (seconds). */
    wholeTicks?: boolean;
  };
  /** A log axis drops values ≤ 0 (they leave gaps); a linear one starts at 0. */
  y: { label: string; format: (value: number) => string; log: boolean };
  series: readonly LineSeries[];
  /** Draw a marker with a tooltip at every point. */
  markers: boolean;
  legend?: readonly LegendItem[];
}

const WIDTH = 600;
const HEIGHT = 290;
const MARGIN = { left: 74, right: 14, top: 12, bottom: 46 };

/**
 * A line chart as an inline SVG inside a `<figure class="chart">`. Every series with at least one
 * point becomes one `<path class="series" data-points="n">`; the figure's `data-series` says how
 * many, so a test can check that everything was drawn. Pure.
 */
export function renderLineChart(spec: LineChartSpec): string {
  const drawable = (p: LinePoint) => p.y !== null && Number.isFinite(p.y) && (!spec.y.log || p.y > 0);
  const series = spec.series.filter((s) => s.points.some(drawable));
  const drawn = series.flatMap((s) => s.points.filter(drawable));
  // The x axis spans every point, drawable or not, so charts of one timeline share their axis.
  const xs = series.flatMap((s) => s.points.map((p) => p.x)).concat(spec.x.ticks?.map((t) => t.value) ?? []);
  const ys = drawn.map((p) => p.y!);
  const plot = { x0: MARGIN.left, x1: WIDTH - MARGIN.right, y0: HEIGHT - MARGIN.bottom, y1: MARGIN.top };
  const x = linearScale(Math.min(...xs), Math.max(...xs), [plot.x0, plot.x1], 8, spec.x.wholeTicks ? 1 : 0);
  const y = spec.y.log
    ? logScale(Math.min(...ys), Math.max(...ys), [plot.y0, plot.y1])
    : linearScale(0, Math.max(...ys, 0), [plot.y0, plot.y1]);
  const body = [
    yGrid(y, spec.y.format, plot),
    xAxis(x, spec, plot),
    ...series.map((s) => seriesPath(s, drawable, x, y)),
    spec.markers ? series.map((s) => markers(s, drawable, x, y)).join("") : "",
  ].join("");
  return figure(spec, series.length, body);
}

function figure(spec: LineChartSpec, seriesCount: number, body: string): string {
  const empty = seriesCount === 0 ? `<p class="note">No data to draw.</p>` : "";
  return (
    `<figure class="chart" id="chart-${escapeHtml(spec.id)}" data-chart="${escapeHtml(spec.id)}" data-kind="line" data-series="${seriesCount}">` +
    `<figcaption>${escapeHtml(spec.title)}</figcaption>` +
    (seriesCount === 0
      ? empty
      : `<svg class="plot" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}">${body}</svg>`) +
    (spec.legend !== undefined && seriesCount > 0 ? renderLegend(spec.legend) : "") +
    (spec.note !== undefined ? `<p class="note">${escapeHtml(spec.note)}</p>` : "") +
    "</figure>"
  );
}

interface Plot {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function yGrid(y: Scale, format: (v: number) => string, plot: Plot): string {
  return (
    `<g class="grid">` +
    y.ticks
      .map((t) => {
        const py = coord(y(t));
        return (
          `<line x1="${plot.x0}" x2="${plot.x1}" y1="${py}" y2="${py}"/>` +
          `<text class="tick" x="${plot.x0 - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeHtml(format(t))}</text>`
        );
      })
      .join("") +
    "</g>"
  );
}

function xAxis(x: Scale, spec: LineChartSpec, plot: Plot): string {
  const ticks = spec.x.ticks ?? x.ticks.map((value) => ({ value, label: spec.x.format(value) }));
  const labels = ticks
    .map(
      (t) =>
        `<line class="tick-mark" x1="${coord(x(t.value))}" x2="${coord(x(t.value))}" y1="${plot.y0}" y2="${plot.y0 + 4}"/>` +
        `<text class="tick" x="${coord(x(t.value))}" y="${plot.y0 + 16}" text-anchor="middle">${escapeHtml(t.label)}</text>`,
    )
    .join("");
  return (
    `<g class="axis"><line x1="${plot.x0}" x2="${plot.x1}" y1="${plot.y0}" y2="${plot.y0}"/>${labels}` +
    `<text class="axis-label" x="${(plot.x0 + plot.x1) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(spec.x.label)}</text>` +
    `<text class="axis-label" transform="translate(14 ${(plot.y0 + plot.y1) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.y.label)}</text></g>`
  );
}

/** One path per series; a point that cannot be drawn (a gap) starts a new sub-path. */
function seriesPath(s: LineSeries, drawable: (p: LinePoint) => boolean, x: Scale, y: Scale): string {
  let d = "";
  let pen = "M";
  let count = 0;
  for (const p of s.points) {
    if (!drawable(p)) {
      pen = "M";
      continue;
    }
    d += `${pen}${coord(x(p.x))} ${coord(y(p.y!))}`;
    pen = "L";
    count++;
  }
  const dash = s.dash === null ? "" : ` stroke-dasharray="${s.dash}"`;
  return (
    `<path class="series" data-series="${escapeHtml(s.name)}" data-points="${count}" d="${d}" ` +
    `stroke="${s.color}"${dash} fill="none"><title>${escapeHtml(s.name)}</title></path>`
  );
}

function markers(s: LineSeries, drawable: (p: LinePoint) => boolean, x: Scale, y: Scale): string {
  return (
    `<g class="markers" data-series="${escapeHtml(s.name)}">` +
    s.points
      .filter(drawable)
      .map(
        (p) =>
          `<circle class="point" cx="${coord(x(p.x))}" cy="${coord(y(p.y!))}" r="3" fill="${s.color}">` +
          `<title>${escapeHtml(p.title ?? s.name)}</title></circle>`,
      )
      .join("") +
    "</g>"
  );
}
