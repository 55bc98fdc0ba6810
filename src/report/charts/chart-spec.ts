/**
 * A chart as data: what report.html hands to uPlot in the page. Renderers build specs; the page's
 * boot script (charts-script.ts) draws them. Nothing here knows uPlot's API.
 */

/** One series of a chart: a line (a model curve, measured figures joined) or points. */
export interface SeriesSpec {
  label: string;
  color: string;
  /** `line`: joined (gaps bridged); `points`: markers only (measured figures on a model curve). */
  style: "line" | "dashed" | "points";
  /** y per x of the chart, null where the series has no value. */
  values: Array<number | null>;
  /** For points: the 95% interval of each value, drawn as a bar ([low, high] or null). */
  intervals?: Array<[number, number] | null>;
}

/** A vertical marker: a ceiling or a crossover. */
export interface MarkerSpec {
  x: number;
  label: string;
  color: string;
}

/** One chart. */
export interface ChartSpec {
  /** Unique in the page; `data-chart` of its figure. */
  id: string;
  title: string;
  /** One line under the title: what is drawn and how. */
  note: string;
  xLabel: string;
  yLabel: string;
  /** How hover values read: `rate` (updates/s, per min, per day), `us` (µs → ms), `count`, `percent`. */
  xFormat: "rate" | "count";
  yFormat: "us" | "count" | "percent" | "ms";
  xLog: boolean;
  yLog: boolean;
  /** The x values, ascending; every series has one value per x. */
  xs: number[];
  series: SeriesSpec[];
  markers?: MarkerSpec[];
}

/** Whether a chart would show anything: some series has a non-zero value. */
export function hasData(chart: ChartSpec): boolean {
  return chart.series.some((s) => s.values.some((v) => v !== null && v !== 0 && Number.isFinite(v)));
}

/** Series values aligned to `xs` from (x, y) pairs; y at an x not given is null. */
export function alignTo(
  xs: readonly number[],
  pairs: ReadonlyArray<readonly [number, number | null]>,
): Array<number | null> {
  const byX = new Map(pairs.map(([x, y]) => [x, y] as const));
  return xs.map((x) => byX.get(x) ?? null);
}
