import { cellDurationMs, plannedCellCount, type Report } from "../results/index.ts";
import { type CellSummary, unmeasuredAttempts } from "./cell-summary.ts";
import { modeWords, rateWords } from "./figures.ts";
import { harnessLimitCaveat } from "./harness-limit.ts";

/** At most this many cells are named in one caveat; the rest are counted. */
const MAX_NAMED = 5;

/**
 * What limits the verdict, one sentence each: an interrupted run, cells that failed or could not
 * run, failed trials and unbalanced ledgers, cells without data, latency without histograms (an
 * older report), and a single trial per cell.
 */
export function verdictCaveats(
  report: Report,
  summaries: readonly CellSummary[],
  compared: boolean,
): string[] {
  const caveats: string[] = [];
  const s = report.scenario;
  const nearLimit = harnessLimitCaveat(report);
  if (nearLimit !== null) caveats.push(nearLimit);
  if (report.partial) {
    const planned = plannedCellCount(s);
    caveats.push(
      `The run was interrupted, or had not finished when this was written: ${summaries.length} of ${planned} cells ran; the verdict covers those.`,
    );
  }
  const failed = summaries.filter((x) => x.status === "failed");
  if (failed.length > 0) {
    caveats.push(
      `${count(failed.length, "cell")} failed and ${failed.length === 1 ? "is" : "are"} left out: ` +
        `${named(failed, (x) => `${x.label} (${firstLine(x.reason ?? "")})`)}.`,
    );
  }
  const partlyFailed = summaries.filter((x) => x.status !== "failed" && x.failedTrials > 0);
  if (partlyFailed.length > 0) {
    caveats.push(
      `Failed trials are left out of the figures: ${named(partlyFailed, (x) => `${x.label} (${x.failedTrials} of ${x.cell.trials.length + unmeasuredAttempts(x.cell)})`)}.`,
    );
  }
  const unbalanced = summaries.filter((x) => x.unbalancedTrials > 0);
  if (unbalanced.length > 0) {
    caveats.push(
      `The ledger did not balance (updates lost or counted twice) in ${named(unbalanced, (x) => `${x.label} (${count(x.unbalancedTrials, "trial")})`)}.`,
    );
  }
  const noData = summaries.filter((x) => x.status === "no-data");
  if (noData.length > 0) {
    const rates = [...new Set(noData.map((x) => x.cell.ratePerSecond))].sort((a, b) => a - b);
    // A rule that sized these cells short on purpose (no window it allows holds enough updates).
    const rule = s.cellDuration;
    const sizedShort = rule != null && rates.every((r) => (rule.updatesPerCell / r) * 1000 > rule.maxMs);
    caveats.push(
      sizedShort
        ? `No update arrived in the ${count(noData.length, "cell")} at ${ratesWords(rates)} ` +
            `(${rates.map((r) => `${cellDurationMs(s, r) / 1000} s`).join(", ")} each: ${rule.updatesPerCell} updates would take ` +
            `${rates.map((r) => durationWords(rule.updatesPerCell / r)).join(", ")}): their requests and latency in the answer are the model's.`
        : `No update was answered in ${count(noData.length, "cell")} at ${ratesWords(rates)}: the measured window was too short ` +
            "for the rate; give a longer --duration.",
    );
  }
  for (const [reason, cells] of groupBy(
    summaries.filter((x) => x.status === "unsupported"),
    (x) => x.reason ?? "",
  )) {
    caveats.push(`Not run: ${unsupportedNames(cells)}: ${firstLine(reason)}.`);
  }
  const interrupted = summaries.filter((x) => x.status === "interrupted");
  if (interrupted.length > 0)
    caveats.push(`Interrupted before a trial finished: ${named(interrupted, (x) => x.label)}.`);
  const fromSummaries = summaries.filter((x) => x.latencySource === "trial-summaries");
  if (fromSummaries.length > 0) {
    caveats.push(
      `Latency of ${count(fromSummaries.length, "cell")} is the median of each trial's own percentiles, ` +
        "without confidence intervals: the report was written by an older tgbench (schema @2) that kept no histograms.",
    );
  }
  if (s.trials === 1 && compared) {
    caveats.push(
      "Each cell ran once: differences are tested on its updates, which vary less than trials do; use --trials 4 or more to test them on trials.",
    );
  }
  return caveats;
}

/** `telegraf in short polling at 1, 20 and 200 updates/s` */
function unsupportedNames(cells: readonly CellSummary[]): string {
  return [...groupBy(cells, (x) => `${x.cell.bot}\n${x.cell.mode}`).values()]
    .map((group) => {
      const { bot, mode } = group[0]!.cell;
      const rates = [...new Set(group.map((x) => x.cell.ratePerSecond))].sort((a, b) => a - b);
      return `${bot} in ${modeWords(mode)} at ${ratesWords(rates)}`;
    })
    .join("; ");
}

function named(cells: readonly CellSummary[], name: (x: CellSummary) => string): string {
  const shown = cells.slice(0, MAX_NAMED).map(name);
  const more = cells.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** `2 hours`, `5 min`, `40 s` */
function durationWords(seconds: number): string {
  if (seconds >= 7200) return `${Math.round(seconds / 3600)} hours`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds)} s`;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const firstLine = (text: string) => (text.split("\n")[0] ?? "").trim();

/** `1, 20 and 200 updates/s` (rates in one unit when they share it). */
export function ratesWords(rates: readonly number[]): string {
  const words = rates.map(rateWords);
  const unit = (w: string) => w.replace(/^[\d.]+ /, "").replace("update/", "updates/");
  const shared = words.every((w) => unit(w) === unit(words.at(-1)!));
  const items = shared ? words.map((w, i) => (i === words.length - 1 ? w : w.split(" ")[0]!)) : words;
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Why nothing was measured: the cells by what became of them. */
export function nothingMeasured(summaries: readonly CellSummary[]): string {
  if (summaries.length === 0) return "Nothing was measured: the report has no cells.";
  const cut = summaries.filter((s) => s.status === "interrupted" && s.trials.length > 0);
  if (cut.length > 0 && cut.length === summaries.filter((s) => s.status !== "unsupported").length) {
    // The table shows what the stopped trials measured: say that, not "nothing".
    return `The run was interrupted before a trial finished: the figures below are what ${cut.length === 1 ? "its trial" : `${cut.length} cells' trials`} measured until then, too little to compare modes.`;
  }
  const counts = new Map<string, number>();
  for (const s of summaries) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const words: Record<string, string> = {
    "no-data": "without an answered update",
    failed: "failed",
    unsupported: "unsupported",
    interrupted: "interrupted",
  };
  const list = [...counts].map(
    ([status, n]) => `${n} ${n === 1 ? "cell" : "cells"} ${words[status] ?? status}`,
  );
  return `Nothing was measured: ${list.join(", ")}.`;
}
