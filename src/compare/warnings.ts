/**
 * Differences between how two reports were run that make a comparison less fair: another machine,
 * another trial length, another load shape, or one side measured entirely before the other. Pure.
 * The update stream's seed is deliberately not compared: different seeds are different samples of
 * the same traffic, which the test allows for.
 */
import type { Report } from "../results/index.ts";

/** Scenario settings that change what a cell measures. */
const SETTINGS = [
  "arrival",
  "durationMs",
  "maxUpdates",
  "warmupUpdates",
  "drainTimeoutMs",
  "pollIntervalMs",
  "pollTimeoutSeconds",
  "webhookMaxConnections",
  "webhookReply",
  "handlerDelayMs",
  "antiBusyLoop",
  "users",
  "groups",
] as const;

/** One sentence per difference, empty when the runs are alike. */
export function comparisonWarnings(base: Report, head: Report): string[] {
  const warnings: string[] = [];
  for (const key of SETTINGS) {
    const b = JSON.stringify(base.scenario[key] ?? null);
    const h = JSON.stringify(head.scenario[key] ?? null);
    if (b !== h) warnings.push(`scenario ${key} differs: base ${b}, head ${h}`);
  }
  if (JSON.stringify(base.scenario.mix) !== JSON.stringify(head.scenario.mix)) {
    warnings.push("scenario update mix differs");
  }
  const machine = (r: Report) => `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}`;
  if (machine(base) !== machine(head)) {
    warnings.push(
      `different machines (base ${machine(base)}; head ${machine(head)}): the comparison measures the machines too`,
    );
  }
  for (const [side, report] of [
    ["base", base],
    ["head", head],
  ] as const) {
    if (report.partial) warnings.push(`${side} is a partial report (the run was interrupted)`);
  }
  const sequential = sequentialWarning(base, head);
  if (sequential !== null) warnings.push(sequential);
  return warnings;
}

/**
 * Trials are independent samples only if nothing else changed between them. When every base trial
 * ran before every head trial (or after), a change in the machine's load between the two runs is
 * indistinguishable from a change in the code; interleaved rounds spread it over both sides.
 */
function sequentialWarning(base: Report, head: Report): string | null {
  const b = span(base);
  const h = span(head);
  if (b === null || h === null || (b.endMs > h.startMs && h.endMs > b.startMs)) return null;
  return (
    "base and head were measured one after the other, not interleaved: a change in the machine's load " +
    "between the runs looks like a change in the code (scripts/perf-compare.sh interleaves rounds)"
  );
}

/** From the first trial's start to the last trial's end, in ms since the epoch. */
function span(report: Report): { startMs: number; endMs: number } | null {
  const trials = report.cells.flatMap((c) => c.trials);
  const starts = trials.map((t) => Date.parse(t.startedAt)).filter(Number.isFinite);
  if (starts.length === 0) return null;
  const ends = trials.map((t) => Date.parse(t.startedAt) + t.window.recordedMs).filter(Number.isFinite);
  return { startMs: Math.min(...starts), endMs: Math.max(...ends) };
}
