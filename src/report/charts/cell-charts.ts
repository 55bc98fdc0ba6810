/**
 * Small multiples of the measured cells that the model does not predict: per bot and network, bot
 * CPU per hour against the rate, one colour per mode (latency and requests are in the decision
 * map, beside the model's curves).
 */
import type { ModeName } from "../../results/index.ts";
import { pooledTrials } from "../../results/index.ts";
import { MODE_ORDER } from "../answer.ts";
import { cellNetwork, networkWords } from "../cell-network.ts";
import type { CellSummary } from "../cell-summary.ts";
import { modeWords } from "../figures.ts";
import { modeColor } from "../html-theme.ts";
import { alignTo, type ChartSpec, type SeriesSpec } from "./chart-spec.ts";

/** The measured cells by bot and network, in report order. */
function groups(
  measured: readonly CellSummary[],
): Array<{ key: string; title: string; cells: CellSummary[] }> {
  const map = new Map<string, { key: string; title: string; cells: CellSummary[] }>();
  for (const s of measured) {
    const n = cellNetwork(s.cell);
    const key = `${s.cell.bot}-${n.name}`.replace(/[^A-Za-z0-9_-]+/g, "-");
    const group = map.get(key) ?? { key, title: `${s.cell.bot}, ${networkWords(n)}`, cells: [] };
    group.cells.push(s);
    map.set(key, group);
  }
  return [...map.values()];
}

const ratesOf = (cells: readonly CellSummary[]) =>
  [...new Set(cells.map((s) => s.cell.ratePerSecond))].sort((a, b) => a - b);

function perMode(
  cells: readonly CellSummary[],
  xs: readonly number[],
  make: (mode: ModeName, own: CellSummary[]) => SeriesSpec[],
): SeriesSpec[] {
  return MODE_ORDER.flatMap((mode) => {
    const own = cells.filter((s) => s.cell.mode === mode);
    return own.length === 0 ? [] : make(mode, own);
  }).filter((s) => s.values.length === xs.length);
}

/** Per bot and network: bot CPU per hour against the rate, only from cells with enough clock ticks. */
export function cpuCharts(measured: readonly CellSummary[]): ChartSpec[] {
  return groups(measured).map(({ key, title, cells }) => {
    const xs = ratesOf(cells);
    const cpuPerHour = (s: CellSummary) => {
      if (s.botCpu.precision !== "exact") return null;
      const trials = pooledTrials(s.cell.trials);
      const windowMs = trials.reduce((sum, t) => sum + t.window.windowMs, 0);
      const cpuMs = trials.reduce((sum, t) => sum + (t.cost.botCpuMs ?? 0), 0);
      return windowMs === 0 ? null : (cpuMs / windowMs) * 3_600_000;
    };
    const series = perMode(cells, xs, (mode, own) => [
      {
        label: modeWords(mode),
        color: modeColor(mode),
        style: "line",
        values: alignTo(
          xs,
          own.map((s) => [s.cell.ratePerSecond, cpuPerHour(s)] as const),
        ),
      },
    ]);
    return {
      id: `cpu-${key}`,
      title: `Bot CPU per hour: ${title}`,
      note: "CPU time the bot's process used per hour of traffic; only cells with at least ten clock ticks (coarser figures are not drawn). Log axes.",
      xLabel: "updates per second",
      yLabel: "CPU per hour",
      xFormat: "rate",
      yFormat: "ms",
      xLog: true,
      yLog: true,
      xs,
      series,
    };
  });
}
