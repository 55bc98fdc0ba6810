/**
 * The harness-cost results: the verdict against the issue's targets, a terminal table, Markdown
 * and JSON (results/<stamp>-harness-cost/). Pure functions of the measured steps.
 */
import { formatUs, median } from "../../src/report/figures.ts";
import type { SelfTimeSummary } from "./cpu-profile.ts";
import type { StepResult } from "./step.ts";

/** Harness CPU per update may be at most this many times the floor's, at every sustained rate. */
export const TARGET_RATIO = 1.5;
/** The reference bot in webhook mode must be sustained at least at this rate. */
export const TARGET_RATE_PER_SECOND = 5_000;

/** Both sides at one rate. */
export interface RatePair {
  ratePerSecond: number;
  /** Which side ran first (they alternate from rate to rate, so drift does not favour one). */
  first: StepResult["side"];
  harness: StepResult;
  floor: StepResult;
}

export const ratioOf = (pair: RatePair): number | null =>
  pair.harness.cpuUsPerUpdate === null || pair.floor.cpuUsPerUpdate === null || pair.floor.cpuUsPerUpdate <= 0
    ? null
    : pair.harness.cpuUsPerUpdate / pair.floor.cpuUsPerUpdate;

/** A rate's repeated pairs, summarised by their medians (one pair: its own figures). */
export interface RateSummary {
  ratePerSecond: number;
  pairs: number;
  /** Every harness step at this rate kept up. */
  sustained: boolean;
  harnessUsPerUpdate: number | null;
  floorUsPerUpdate: number | null;
  /** Median of the pairs' ratios, and their range. */
  ratio: number | null;
  ratioMin: number | null;
  ratioMax: number | null;
}

/**
 * The pairs grouped by rate, lowest first. A ratio is taken within each pair (both sides measured
 * back to back), then the median over the pairs: this machine's noise moves both sides of a pair
 * together far more than it moves one pair against another. A rate whose pairs do not all have a
 * ratio has none.
 */
export function summarise(pairs: readonly RatePair[]): RateSummary[] {
  const byRate = new Map<number, RatePair[]>();
  for (const pair of pairs) {
    const group = byRate.get(pair.ratePerSecond);
    if (group === undefined) byRate.set(pair.ratePerSecond, [pair]);
    else group.push(pair);
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ratePerSecond, group]) => {
      const ratios = group.map(ratioOf);
      const allRatios = ratios.every((r) => r !== null);
      const values = ratios.filter((r): r is number => r !== null);
      return {
        ratePerSecond,
        pairs: group.length,
        sustained: group.every((p) => p.harness.sustained),
        harnessUsPerUpdate: median(group.map((p) => p.harness.cpuUsPerUpdate)),
        floorUsPerUpdate: median(group.map((p) => p.floor.cpuUsPerUpdate)),
        ratio: allRatios ? median(values) : null,
        ratioMin: allRatios ? Math.min(...values) : null,
        ratioMax: allRatios ? Math.max(...values) : null,
      };
    });
}

export interface HarnessCostVerdict {
  /** Highest rate of the unbroken run of sustained harness steps from the lowest rate; null if none. */
  highestSustainedRate: number | null;
  rateMet: boolean;
  /** Highest ratio among the rates up to the highest sustained one, and where. */
  worstRatio: { ratePerSecond: number; ratio: number } | null;
  ratioMet: boolean;
}

/** Judged on each rate's median ratio ({@link summarise}); a rate is sustained when every one of its harness steps was. */
export function verdictOf(pairs: readonly RatePair[]): HarnessCostVerdict {
  let highest: number | null = null;
  let worst: HarnessCostVerdict["worstRatio"] = null;
  let ratiosKnown = true;
  for (const rate of summarise(pairs)) {
    if (!rate.sustained) break;
    highest = rate.ratePerSecond;
    const ratio = rate.ratio;
    if (ratio === null) ratiosKnown = false;
    else if (worst === null || ratio > worst.ratio) worst = { ratePerSecond: rate.ratePerSecond, ratio };
  }
  return {
    highestSustainedRate: highest,
    rateMet: highest !== null && highest >= TARGET_RATE_PER_SECOND,
    worstRatio: worst,
    ratioMet: highest !== null && ratiosKnown && worst !== null && worst.ratio <= TARGET_RATIO,
  };
}

const COLUMNS = [
  ["rate/s", 7],
  ["harness CPU/update", 19],
  ["floor CPU/update", 17],
  ["ratio", 6],
  ["sustained h/f", 14],
  ["answered/s h/f", 16],
  ["lateness p99 h/f", 20],
  ["main thread h/f", 16],
  ["bot CPU/update h/f", 20],
  ["e2e p99", 9],
] as const;

const yesNo = (b: boolean) => (b ? "yes" : "no");
const us = (v: number | null) => (v === null ? "–" : formatUs(v));
const share = (v: number | null) => (v === null ? "–" : `${Math.round(v * 100)}%`);

function cells(pair: RatePair): string[] {
  const { harness: h, floor: f } = pair;
  const ratio = ratioOf(pair);
  return [
    String(pair.ratePerSecond),
    us(h.cpuUsPerUpdate),
    us(f.cpuUsPerUpdate),
    ratio === null ? "–" : `${ratio.toFixed(2)}×`,
    `${yesNo(h.sustained)}/${yesNo(f.sustained)}`,
    `${h.answeredPerSecond.toFixed(0)}/${f.answeredPerSecond.toFixed(0)}`,
    `${formatUs(h.latenessP99Us)}/${formatUs(f.latenessP99Us)}`,
    `${share(h.mainThreadShare)}/${share(f.mainThreadShare)}`,
    `${us(h.botCpuUsPerUpdate)}/${us(f.botCpuUsPerUpdate)}`,
    us(h.endToEndP99Us),
  ];
}

export const tableHeader = (): string => COLUMNS.map(([name, width]) => name.padStart(width)).join(" ");

export const tableRow = (pair: RatePair): string =>
  cells(pair)
    .map((cell, i) => cell.padStart(COLUMNS[i]![1]))
    .join(" ");

/** A rate's medians in one line, for when it ran more than one pair. */
export function summaryLine(rate: RateSummary): string {
  const range =
    rate.ratioMin === null || rate.ratioMax === null
      ? ""
      : ` (range ${rate.ratioMin.toFixed(2)}–${rate.ratioMax.toFixed(2)}×)`;
  return `  ${rate.ratePerSecond}/s, median of ${rate.pairs} pairs: harness ${us(rate.harnessUsPerUpdate)}, floor ${us(rate.floorUsPerUpdate)}, ratio ${rate.ratio === null ? "–" : `${rate.ratio.toFixed(2)}×`}${range}${rate.sustained ? "" : ", not sustained every time"}`;
}

/** The closing lines: the highest sustained rate and the ratio, each against its target. */
export function verdictLines(verdict: HarnessCostVerdict): string[] {
  const rate =
    verdict.highestSustainedRate === null
      ? "highest sustained rate: none of the rates was sustained"
      : `highest sustained rate: ${verdict.highestSustainedRate} updates/s (target ≥ ${TARGET_RATE_PER_SECOND}: ${verdict.rateMet ? "met" : "NOT met"})`;
  const ratio =
    verdict.worstRatio === null
      ? "harness/floor CPU per update: no sustained rate to judge"
      : `harness/floor CPU per update (median per rate): at most ${verdict.worstRatio.ratio.toFixed(2)}× (at ${verdict.worstRatio.ratePerSecond}/s) over the sustained rates (target ≤ ${TARGET_RATIO}× at every one: ${verdict.ratioMet ? "met" : "NOT met"})`;
  return [rate, ratio];
}

/** Where and how the steps ran, recorded with them. */
export interface HarnessCostContext {
  startedAt: string;
  durationSeconds: number;
  warmupUpdates: number;
  node: string;
  cpu: string;
  cores: number;
  loadAverage: { before: number; after: number };
  /** Every step ran under the CPU profiler (the CPU figures include its cost). */
  profiled: boolean;
}

export function renderHarnessCostMarkdown(
  pairs: readonly RatePair[],
  context: HarnessCostContext,
  profiles: readonly { file: string; summary: SelfTimeSummary }[],
): string {
  const header = `| ${COLUMNS.map(([name]) => name).join(" | ")} |\n|${COLUMNS.map(() => " ---: ").join("|")}|`;
  const lines = [
    "# tgbench harness cost",
    "",
    `${context.startedAt}; reference bot, webhook mode, ${context.durationSeconds} s per step after ${context.warmupUpdates} warm-up updates;`,
    `Node ${context.node}, ${context.cores} × ${context.cpu}; load average ${context.loadAverage.before.toFixed(2)} before, ${context.loadAverage.after.toFixed(2)} after.`,
    "",
    "CPU per update is process.cpuUsage() of the side's own process over the measured window, per",
    "generated update. Floor: a timer-paced bare undici POST to the bot's webhook plus the bot's one",
    "JSON request to a bare fastify route. h = harness, f = floor. main thread: share of that CPU on",
    "the JavaScript thread (the rest is V8's and libuv's helper threads).",
    "",
    "Per rate, the median over its pairs (the ratio is taken within each pair, then the median):",
    "",
    "| rate/s | pairs | harness CPU/update | floor CPU/update | ratio | ratio range | sustained |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ...summarise(pairs).map(
      (r) =>
        `| ${r.ratePerSecond} | ${r.pairs} | ${us(r.harnessUsPerUpdate)} | ${us(r.floorUsPerUpdate)} | ${r.ratio === null ? "–" : `${r.ratio.toFixed(2)}×`} | ${r.ratioMin === null || r.ratioMax === null ? "–" : `${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}×`} | ${yesNo(r.sustained)} |`,
    ),
    "",
    "Every pair:",
    "",
    header,
    ...pairs.map((pair) => `| ${cells(pair).join(" | ")} |`),
    "",
    ...verdictLines(verdictOf(pairs)).map((line) => `- ${line}`),
    ...(context.profiled
      ? ["- every step ran under the CPU profiler: the CPU figures include its cost"]
      : []),
    "",
  ];
  for (const { file, summary } of profiles) {
    lines.push(
      `## Top self time: ${file}`,
      "",
      `${summary.windowed ? "Measured window" : "Whole process"}: ${summary.totalMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle; shares are of the busy time.`,
      "",
      "| self ms | share | function | where |",
      "| ---: | ---: | --- | --- |",
      ...summary.rows.map(
        (r) => `| ${r.selfMs.toFixed(1)} | ${(r.share * 100).toFixed(1)}% | ${r.name} | ${r.location} |`,
      ),
      "",
    );
  }
  return lines.join("\n");
}

export function renderHarnessCostJson(
  pairs: readonly RatePair[],
  context: HarnessCostContext,
  profiles: readonly { file: string; summary: SelfTimeSummary }[],
): string {
  const document = {
    schema: "tgbench/harness-cost@2",
    ...context,
    targets: { ratio: TARGET_RATIO, ratePerSecond: TARGET_RATE_PER_SECOND },
    verdict: verdictOf(pairs),
    summaries: summarise(pairs),
    rates: pairs.map((pair) => ({ ...pair, ratio: ratioOf(pair) })),
    profiles,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
