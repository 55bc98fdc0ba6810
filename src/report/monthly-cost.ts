/**
 * What a month costs at a given traffic, per bot, network and mode: requests (the model's, at that
 * rate), bytes (those requests × the bytes per request the bot's cells measured in that mode) and
 * bot CPU-hours (the CPU per update its cells measured × the month's updates). The assumptions are
 * stated in {@link MONTHLY_COST_ASSUMPTIONS}.
 */
import type { ModeName, Report } from "../results/index.ts";
import { pooledTrials } from "../results/index.ts";
import { MODE_ORDER } from "./answer.ts";
import { type CellNetwork, cellNetwork } from "./cell-network.ts";
import { type CellSummary, summarizeCell } from "./cell-summary.ts";
import { modelPoint } from "./charts/decision-map.ts";
import { DAYS_PER_MONTH, REPORT_DEFAULTS, type RenderOptions } from "./defaults.ts";
import { median } from "./figures.ts";
import { settingsPollTimeout } from "./model-input.ts";

/** The assumptions behind every monthly figure, in one line. */
export const MONTHLY_COST_ASSUMPTIONS =
  "A month is 30.44 days of Poisson arrivals at the daily rate; requests are the model's at that rate and the run's settings and distance; bytes per request and bot CPU per update are those the bot's cells measured in that mode (CPU only from cells with at least ten clock ticks); CPU of idle polling between updates is in the CPU per update only as far as the measured rates had it.";

/** One row: a bot in a mode at a network, at one traffic. */
export interface MonthlyCostRow {
  bot: string;
  network: CellNetwork;
  mode: ModeName;
  updatesPerDay: number;
  requests: number | null;
  bytes: number | null;
  botCpuHours: number | null;
}

/** Every row of a report at the traffic asked for. */
export function monthlyCosts(report: Report, options: RenderOptions = {}): MonthlyCostRow[] {
  const traffic = options.trafficPerDay ?? REPORT_DEFAULTS.trafficPerDay;
  const measured = report.cells.map(summarizeCell).filter((s) => s.status === "measured");
  const groups = new Map<string, CellSummary[]>();
  for (const s of measured) {
    const key = `${s.cell.bot}\u0000${cellNetwork(s.cell).name}\u0000${s.cell.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const rows: MonthlyCostRow[] = [];
  const ordered = [...groups.values()].sort(
    (a, b) => MODE_ORDER.indexOf(a[0]!.cell.mode) - MODE_ORDER.indexOf(b[0]!.cell.mode),
  );
  for (const cells of ordered) {
    const { bot, mode, settings } = cells[0]!.cell;
    const network = cellNetwork(cells[0]!.cell);
    const trials = cells.flatMap((s) => pooledTrials(s.cell.trials));
    const requests = trials.reduce((sum, t) => sum + t.requests.total, 0);
    const bytes = trials.reduce((sum, t) => sum + t.requests.bytesIn + t.requests.bytesOut, 0);
    const bytesPerRequest = requests === 0 ? null : bytes / requests;
    const cpuUsPerUpdate = median(
      cells.filter((s) => s.botCpu.precision === "exact").map((s) => s.botCpu.usPerUpdate),
    );
    for (const updatesPerDay of traffic) {
      const point = modelPoint(
        report,
        bot,
        mode,
        updatesPerDay / 86_400,
        network,
        settingsPollTimeout(settings),
      );
      const monthRequests =
        point.requestsPerHour === null ? null : point.requestsPerHour * 24 * DAYS_PER_MONTH;
      const monthUpdates = updatesPerDay * DAYS_PER_MONTH;
      rows.push({
        bot,
        network,
        mode,
        updatesPerDay,
        requests: monthRequests,
        bytes: monthRequests === null || bytesPerRequest === null ? null : monthRequests * bytesPerRequest,
        botCpuHours: cpuUsPerUpdate === null ? null : (cpuUsPerUpdate * monthUpdates) / 3.6e9,
      });
    }
  }
  return rows.sort(
    (a, b) =>
      a.bot.localeCompare(b.bot) || a.network.rttMs - b.network.rttMs || a.updatesPerDay - b.updatesPerDay,
  );
}
