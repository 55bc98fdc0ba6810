/**
 * The decision map: per bot and network distance, the model's curves for every mode over update
 * rates from one a day to past the highest ceiling, with the measured cells as points and their
 * 95% intervals on them; each mode's throughput ceiling and the rates where the modes' figures
 * cross are marked. Two charts per bot and network: requests per hour (all and empty) and latency
 * (p50 and p99).
 */
import { predict } from "../../model/index.ts";
import type { ModeName, Report } from "../../results/index.ts";
import { pooledTrials } from "../../results/index.ts";
import { MODE_ORDER } from "../answer.ts";
import { modeCeiling } from "../ceilings.ts";
import { type CellNetwork, cellNetwork, networkWords } from "../cell-network.ts";
import { type CellSummary, summarizeCell } from "../cell-summary.ts";
import { cellEvidence } from "../evidence.ts";
import { formatRate, modeWords } from "../figures.ts";
import { modeColor, NEUTRAL_COLOR } from "../html-theme.ts";
import { modelInputFor, settingsPollTimeout } from "../model-input.ts";
import type { ChartSpec, MarkerSpec, SeriesSpec } from "./chart-spec.ts";

/** The slowest rate a map starts at: one update a day. */
export const MAP_MIN_RATE_PER_SECOND = 1 / 86_400;
/** Points per decade of rate on a model curve. */
const POINTS_PER_DECADE = 6;

interface ModelPoint {
  requestsPerHour: number | null;
  emptyPerHour: number | null;
  p50Us: number | null;
  p99Us: number | null;
}

/** The model's figures for a bot in a mode at one rate (null figures where the closed forms have none). */
export function modelPoint(
  report: Report,
  bot: string,
  mode: ModeName,
  ratePerSecond: number,
  network: CellNetwork,
  pollTimeoutSeconds: number | null,
): ModelPoint {
  try {
    const input = modelInputFor(report.scenario, { bot, mode, ratePerSecond, network, pollTimeoutSeconds });
    const f = predict(input, { simulation: false }).figures;
    const us = (ms: number | null) => (ms === null ? null : ms * 1000);
    return {
      requestsPerHour: f.requestsPerHour,
      emptyPerHour: f.emptyRequestsPerHour,
      p50Us: us(f.endToEndMs.p50Ms),
      p99Us: us(f.endToEndMs.p99Ms),
    };
  } catch {
    return { requestsPerHour: null, emptyPerHour: null, p50Us: null, p99Us: null };
  }
}

/** Rates from one a day to `maxRate`, log-spaced, with the measured rates among them. */
function mapRates(maxRate: number, measured: readonly number[]): number[] {
  const decades = Math.log10(maxRate / MAP_MIN_RATE_PER_SECOND);
  const n = Math.max(2, Math.ceil(decades * POINTS_PER_DECADE));
  const xs = Array.from({ length: n + 1 }, (_, i) => MAP_MIN_RATE_PER_SECOND * 10 ** ((decades * i) / n));
  return [...new Set([...xs, ...measured])].sort((a, b) => a - b);
}

/** The rates where `a` and `b` change order (linear in log space between grid points). */
function crossings(
  xs: readonly number[],
  a: ReadonlyArray<number | null>,
  b: ReadonlyArray<number | null>,
): number[] {
  const out: number[] = [];
  for (let i = 1; i < xs.length; i++) {
    const [a0, a1, b0, b1] = [a[i - 1], a[i], b[i - 1], b[i]];
    if (a0 == null || a1 == null || b0 == null || b1 == null) continue;
    const d0 = a0 - b0;
    const d1 = a1 - b1;
    if (d0 === 0 || Math.sign(d0) === Math.sign(d1)) continue;
    const t = d0 / (d0 - d1);
    out.push(10 ** (Math.log10(xs[i - 1]!) + t * (Math.log10(xs[i]!) - Math.log10(xs[i - 1]!))));
  }
  return out;
}

/** Every decision chart of a report: two per bot and network with measured cells. */
export function decisionCharts(report: Report): ChartSpec[] {
  const measured = report.cells.map(summarizeCell).filter((s) => s.status === "measured");
  const groups = new Map<string, CellSummary[]>();
  for (const s of measured) {
    const key = `${s.cell.bot}\u0000${cellNetwork(s.cell).name}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].flatMap((cells) => groupCharts(report, cells));
}

function groupCharts(report: Report, cells: readonly CellSummary[]): ChartSpec[] {
  const { bot } = cells[0]!.cell;
  const network = cellNetwork(cells[0]!.cell);
  const key = `${bot}-${network.name}`.replace(/[^A-Za-z0-9_-]+/g, "-");
  const modes = MODE_ORDER.filter((m) => cells.some((s) => s.cell.mode === m));
  const ceilings = modes.map((mode) => ({ mode, ceiling: modeCeiling(report.scenario, bot, mode, network) }));
  const finite = ceilings
    .map((c) => c.ceiling.perSecond)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const rates = cells.map((s) => s.cell.ratePerSecond);
  const xs = mapRates(Math.max(...rates, ...finite) * 2, rates);
  const curves = new Map<ModeName, ModelPoint[]>();
  for (const mode of modes) {
    const timeout = settingsPollTimeout(cells.find((s) => s.cell.mode === mode)!.cell.settings);
    curves.set(
      mode,
      xs.map((x) => {
        const ceiling = ceilings.find((c) => c.mode === mode)!.ceiling.perSecond;
        // Past its ceiling a mode has no steady state: its curve stops there.
        return ceiling !== null && x > ceiling
          ? { requestsPerHour: null, emptyPerHour: null, p50Us: null, p99Us: null }
          : modelPoint(report, bot, mode, x, network, timeout);
      }),
    );
  }
  const markers: MarkerSpec[] = ceilings
    .filter((c) => c.ceiling.perSecond !== null && Number.isFinite(c.ceiling.perSecond))
    .map((c) => ({
      x: c.ceiling.perSecond!,
      label: `${modeWords(c.mode)} ceiling ${formatRate(c.ceiling.perSecond!)}`,
      color: modeColor(c.mode),
    }));
  const crossMarkers = (pick: (p: ModelPoint) => number | null, what: string): MarkerSpec[] => {
    const out: MarkerSpec[] = [];
    for (const [i, a] of modes.entries()) {
      for (const b of modes.slice(i + 1)) {
        const ya = curves.get(a)!.map(pick);
        const yb = curves.get(b)!.map(pick);
        for (const x of crossings(xs, ya, yb)) {
          out.push({
            x,
            label: `${what}: ${modeWords(a)} = ${modeWords(b)} at ${formatRate(x)}`,
            color: NEUTRAL_COLOR,
          });
        }
      }
    }
    return out;
  };
  const measuredAt = (
    mode: ModeName,
    pick: (s: CellSummary) => { value: number; low: number; high: number } | null,
  ) => {
    const values = xs.map(() => null as number | null);
    const intervals = xs.map(() => null as [number, number] | null);
    for (const s of cells.filter((c) => c.cell.mode === mode)) {
      const i = xs.indexOf(s.cell.ratePerSecond);
      const figure = pick(s);
      if (i < 0 || figure === null) continue;
      values[i] = figure.value;
      intervals[i] = [figure.low, figure.high];
    }
    return { values, intervals };
  };
  const requestsMeasured = (s: CellSummary) => {
    const e = cellEvidence(s);
    if (!e.requestsEnough || e.windowMs === 0) return null;
    const perHour = (n: number) => (n / e.windowMs) * 3_600_000;
    const half = 1.96 * Math.sqrt(e.requests);
    return {
      value: perHour(e.requests),
      low: perHour(Math.max(0, e.requests - half)),
      high: perHour(e.requests + half),
    };
  };
  const latencyMeasured = (p: "p50" | "p99") => (s: CellSummary) => {
    if (!cellEvidence(s).latencyEnough) return null;
    const e = s.latencyEstimates?.[p];
    if (e == null) return null;
    return { value: e.us, low: e.lowUs ?? e.us, high: e.highUs ?? e.us };
  };
  const requestSeries: SeriesSpec[] = modes.flatMap((mode) => {
    const curve = curves.get(mode)!;
    const m = measuredAt(mode, requestsMeasured);
    return [
      {
        label: `${modeWords(mode)} requests (model)`,
        color: modeColor(mode),
        style: "line",
        values: curve.map((p) => p.requestsPerHour),
      },
      ...(mode === "webhook"
        ? []
        : [
            {
              label: `${modeWords(mode)} empty (model)`,
              color: modeColor(mode),
              style: "dashed" as const,
              values: curve.map((p) => p.emptyPerHour),
            },
          ]),
      { label: `${modeWords(mode)} requests (measured)`, color: modeColor(mode), style: "points", ...m },
    ];
  });
  const latencySeries: SeriesSpec[] = modes.flatMap((mode) => {
    const curve = curves.get(mode)!;
    return [
      {
        label: `${modeWords(mode)} p50 (model)`,
        color: modeColor(mode),
        style: "line",
        values: curve.map((p) => p.p50Us),
      },
      {
        label: `${modeWords(mode)} p99 (model)`,
        color: modeColor(mode),
        style: "dashed",
        values: curve.map((p) => p.p99Us),
      },
      {
        label: `${modeWords(mode)} p50 (measured)`,
        color: modeColor(mode),
        style: "points",
        ...measuredAt(mode, latencyMeasured("p50")),
      },
      {
        label: `${modeWords(mode)} p99 (measured)`,
        color: modeColor(mode),
        style: "points",
        ...measuredAt(mode, latencyMeasured("p99")),
      },
    ];
  });
  const where = `${bot}, ${networkWords(network)}`;
  const common = { xLabel: "updates per second", xFormat: "rate" as const, xLog: true, yLog: true, xs };
  return [
    {
      id: `decision-requests-${key}`,
      title: `Requests per hour by traffic: ${where}`,
      note: "Lines: the model (src/model) from one update a day to past the ceilings; points: measured cells with 95% intervals (counts with at least 30 requests). Dotted lines: ceilings and where the modes' request rates cross.",
      yLabel: "requests per hour",
      yFormat: "count",
      series: requestSeries,
      markers: [...markers, ...crossMarkers((p) => p.requestsPerHour, "requests")],
      ...common,
    },
    {
      id: `decision-latency-${key}`,
      title: `Latency by traffic: ${where}`,
      note: "p50 (solid) and p99 (dashed) end to end from the model; points: measured p50 and p99 with 95% intervals (cells with at least 100 updates). The model adds the network's round trip, not its jitter.",
      yLabel: "latency",
      yFormat: "us",
      series: latencySeries,
      markers: [...markers, ...crossMarkers((p) => p.p50Us, "p50")],
      ...common,
    },
  ];
}

/** How many updates and requests a cell measured (for the map's tooltips and tables). */
export const measuredUpdates = (s: CellSummary): number =>
  pooledTrials(s.cell.trials).reduce((sum, t) => sum + t.ledger.answered, 0);
