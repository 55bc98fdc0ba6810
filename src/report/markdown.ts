import type { Report, TrialResult } from "../runner/results.ts";
import { cellLabel, formatBytes, formatCount, formatShare, formatUs, medianOf } from "./figures.ts";

/**
 * report.md: readable on its own and short enough for a CI job summary. Pure: report in, text out.
 * Figures are medians over a cell's trials.
 */
export function renderMarkdown(report: Report): string {
  const s = report.scenario;
  const lines: string[] = [];
  lines.push(`# tgbench: ${s.name}${report.partial ? " (partial: interrupted)" : ""}`);
  lines.push("");
  if (s.description !== "") lines.push(s.description, "");
  lines.push(
    `${report.createdAt} · ${report.machine.cpus} × ${report.machine.cpuModel} · Node ${report.machine.node} · ` +
      `seed \`${String(s.seed)}\` · ${s.trials} trial(s) of ${s.durationMs / 1000} s · ${s.arrival} arrivals`,
  );
  lines.push("");
  lines.push("## Results");
  lines.push("");
  lines.push(
    "| bot · mode · rate | answered | p50 | p99 | p99.9 | requests / update | empty getUpdates (measured / model) | empty / hour | bot CPU / update | bot peak RSS |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const cell of report.cells) {
    if (cell.skipped !== null && cell.trials.length === 0) {
      lines.push(`| ${cellLabel(cell)} | skipped: ${escapeCell(firstLine(cell.skipped))} | | | | | | | | |`);
      continue;
    }
    const t = cell.trials;
    const ledgerOk = t.every((x) => x.ledger.balanced);
    const answered = `${formatCount(
      medianOf(t, (x) => x.ledger.answered),
      0,
    )}/${formatCount(
      medianOf(t, (x) => x.ledger.generated),
      0,
    )}${ledgerOk ? "" : " ⚠"}`;
    const measuredEmpty =
      cell.mode === "webhook" ? "0 (no polls)" : formatShare(medianOf(t, (x) => x.requests.emptyShare));
    const modelEmpty = cell.prediction === null ? "–" : formatShare(cell.prediction.emptyShare);
    lines.push(
      `| ${cellLabel(cell)} | ${answered} | ${formatUs(medianOf(t, (x) => x.latency.endToEnd.p50Us))} | ${formatUs(medianOf(t, (x) => x.latency.endToEnd.p99Us))} | ${formatUs(medianOf(t, (x) => x.latency.endToEnd.p999Us))} | ${formatCount(
        medianOf(t, (x) => x.requests.perAnsweredUpdate.requests),
        2,
      )} | ${measuredEmpty} / ${modelEmpty} | ${formatCount(
        medianOf(t, (x) => x.requests.perHour.emptyRequests),
        0,
      )} | ${botCpu(t)} | ${formatBytes(medianOf(t, (x) => x.cost.botPeakRssBytes))} |`,
    );
  }
  lines.push("");
  const failures = report.cells.flatMap((cell) =>
    cell.trials
      .filter((t) => t.error !== null)
      .map((t) => `- ${cellLabel(cell)}, trial ${t.trial}: ${firstLine(t.error!)}`),
  );
  const unbalanced = report.cells.flatMap((cell) =>
    cell.trials
      .filter((t) => !t.ledger.balanced)
      .map((t) => `- ${cellLabel(cell)}, trial ${t.trial}: ledger off by ${t.ledger.discrepancy}`),
  );
  if (failures.length + unbalanced.length > 0) lines.push("## Problems", "", ...failures, ...unbalanced, "");
  lines.push(
    "Latency is end to end, from each update's *intended* send time to the bot's reply reaching the fake API " +
      "(open model: a slow bot cannot hide behind a late generator). Requests count both directions: the bot's " +
      "API calls and Telegram's webhook POSTs. *empty / hour* extrapolates the measured empty getUpdates to one " +
      "hour at the cell's rate; *model* is the analytic prediction for the mode. Details in report.json.",
  );
  return `${lines.join("\n")}\n`;
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";
const escapeCell = (text: string) => text.replaceAll("|", "\\|");

/**
 * Bot CPU per update. The kernel counts CPU time in clock ticks (10 ms): a total under ten ticks
 * is marked approximate, and zero ticks is shown as an upper bound rather than as "0".
 */
function botCpu(trials: readonly TrialResult[]): string {
  const totalMs = medianOf(trials, (x) => x.cost.botCpuMs);
  const answered = medianOf(trials, (x) => x.ledger.answered);
  const resolutionMs = trials[0]?.cost.botCpuResolutionMs ?? 10;
  if (totalMs === null || answered === null || answered === 0) return "–";
  if (totalMs === 0) return `< ${formatUs((resolutionMs * 1000) / answered)}`;
  const perUpdate = formatUs(medianOf(trials, (x) => x.cost.botCpuUsPerUpdate));
  return totalMs < 10 * resolutionMs ? `≈ ${perUpdate}` : perUpdate;
}
