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

/** Both sides at one rate (and the precise floor, with `--precise-floor`). */
export interface RatePair {
  ratePerSecond: number;
  /** Which side ran first (they alternate from rate to rate, so drift does not favour one). */
  first: StepResult["side"];
  harness: StepResult;
  floor: StepResult;
  /**
   * The floor handing updates over as precisely as the runner does (floor-step.ts
   * `--hand-over precise`): not the issue's floor, so never judged; it tells how much of the
   * ratio the runner's sub-millisecond hand-over costs.
   */
  preciseFloor?: StepResult;
}

const cpuRatio = (harness: StepResult, floor: StepResult | undefined): number | null =>
  floor === undefined ||
  harness.cpuUsPerUpdate === null ||
  floor.cpuUsPerUpdate === null ||
  floor.cpuUsPerUpdate <= 0
    ? null
    : harness.cpuUsPerUpdate / floor.cpuUsPerUpdate;

/** Harness CPU per update over the floor's: the ratio the target is on. */
export const ratioOf = (pair: RatePair): number | null => cpuRatio(pair.harness, pair.floor);

/** Harness CPU per update over the precise floor's; null without one. */
export const preciseRatioOf = (pair: RatePair): number | null => cpuRatio(pair.harness, pair.preciseFloor);

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
  /** The same against the precise floor; null when it did not run at this rate. */
  preciseFloorUsPerUpdate: number | null;
  preciseRatio: number | null;
  preciseRatioMin: number | null;
  preciseRatioMax: number | null;
}

/** Median and range of ratios, or nulls unless every pair has one. */
function ratioSpread(ratios: readonly (number | null)[]): {
  median: number | null;
  min: number | null;
  max: number | null;
} {
  const values = ratios.filter((r): r is number => r !== null);
  if (values.length === 0 || values.length < ratios.length) return { median: null, min: null, max: null };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
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
      const ratio = ratioSpread(group.map(ratioOf));
      const precise = ratioSpread(group.map(preciseRatioOf));
      const preciseRan = group.every((p) => p.preciseFloor !== undefined);
      return {
        ratePerSecond,
        pairs: group.length,
        sustained: group.every((p) => p.harness.sustained),
        harnessUsPerUpdate: median(group.map((p) => p.harness.cpuUsPerUpdate)),
        floorUsPerUpdate: median(group.map((p) => p.floor.cpuUsPerUpdate)),
        ratio: ratio.median,
        ratioMin: ratio.min,
        ratioMax: ratio.max,
        preciseFloorUsPerUpdate: preciseRan
          ? median(group.map((p) => p.preciseFloor?.cpuUsPerUpdate ?? null))
          : null,
        preciseRatio: precise.median,
        preciseRatioMin: precise.min,
        preciseRatioMax: precise.max,
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
  /** The highest ratio against the precise floor over the same rates (not judged); null without it. */
  worstPreciseRatio: { ratePerSecond: number; ratio: number } | null;
}

/** The highest of `pick` over `rates` and where, and whether every rate had one. */
function worstOf(
  rates: readonly RateSummary[],
  pick: (rate: RateSummary) => number | null,
): { worst: { ratePerSecond: number; ratio: number } | null; allKnown: boolean } {
  let worst: { ratePerSecond: number; ratio: number } | null = null;
  let allKnown = true;
  for (const rate of rates) {
    const ratio = pick(rate);
    if (ratio === null) allKnown = false;
    else if (worst === null || ratio > worst.ratio) worst = { ratePerSecond: rate.ratePerSecond, ratio };
  }
  return { worst, allKnown };
}

/** Judged on each rate's median ratio ({@link summarise}); a rate is sustained when every one of its harness steps was. */
export function verdictOf(pairs: readonly RatePair[]): HarnessCostVerdict {
  const rates = summarise(pairs);
  const firstUnsustained = rates.findIndex((rate) => !rate.sustained);
  const sustained = firstUnsustained === -1 ? rates : rates.slice(0, firstUnsustained);
  const highest = sustained.at(-1)?.ratePerSecond ?? null;
  const ratio = worstOf(sustained, (rate) => rate.ratio);
  const precise = worstOf(sustained, (rate) => rate.preciseRatio);
  return {
    highestSustainedRate: highest,
    rateMet: highest !== null && highest >= TARGET_RATE_PER_SECOND,
    worstRatio: ratio.worst,
    ratioMet: highest !== null && ratio.allKnown && ratio.worst !== null && ratio.worst.ratio <= TARGET_RATIO,
    worstPreciseRatio: precise.allKnown ? precise.worst : null,
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
/** With `--precise-floor`: its CPU, the ratio to it, its lateness and its bot's CPU. */
const PRECISE_COLUMNS = [
  ["precise floor", 14],
  ["ratio p", 8],
  ["lateness p99 p", 15],
  ["bot CPU p", 10],
] as const;

const columnsOf = (precise: boolean): ReadonlyArray<readonly [string, number]> =>
  precise ? [...COLUMNS.slice(0, 4), ...PRECISE_COLUMNS, ...COLUMNS.slice(4)] : COLUMNS;

const yesNo = (b: boolean) => (b ? "yes" : "no");
const us = (v: number | null) => (v === null ? "–" : formatUs(v));
const share = (v: number | null) => (v === null ? "–" : `${Math.round(v * 100)}%`);
const times = (v: number | null) => (v === null ? "–" : `${v.toFixed(2)}×`);
const range = (min: number | null, max: number | null) =>
  min === null || max === null ? "–" : `${min.toFixed(2)}–${max.toFixed(2)}×`;

function cells(pair: RatePair, precise: boolean): string[] {
  const { harness: h, floor: f, preciseFloor: p } = pair;
  const head = [String(pair.ratePerSecond), us(h.cpuUsPerUpdate), us(f.cpuUsPerUpdate), times(ratioOf(pair))];
  const preciseCells = precise
    ? [
        us(p?.cpuUsPerUpdate ?? null),
        times(preciseRatioOf(pair)),
        p === undefined ? "–" : formatUs(p.latenessP99Us),
        us(p?.botCpuUsPerUpdate ?? null),
      ]
    : [];
  return [
    ...head,
    ...preciseCells,
    `${yesNo(h.sustained)}/${yesNo(f.sustained)}`,
    `${h.answeredPerSecond.toFixed(0)}/${f.answeredPerSecond.toFixed(0)}`,
    `${formatUs(h.latenessP99Us)}/${formatUs(f.latenessP99Us)}`,
    `${share(h.mainThreadShare)}/${share(f.mainThreadShare)}`,
    `${us(h.botCpuUsPerUpdate)}/${us(f.botCpuUsPerUpdate)}`,
    us(h.endToEndP99Us),
  ];
}

/** `precise`: the run has a precise floor (`--precise-floor`), shown in columns of its own. */
export const tableHeader = (precise = false): string =>
  columnsOf(precise)
    .map(([name, width]) => name.padStart(width))
    .join(" ");

export const tableRow = (pair: RatePair, precise = false): string => {
  const widths = columnsOf(precise);
  return cells(pair, precise)
    .map((cell, i) => cell.padStart(widths[i]![1]))
    .join(" ");
};

/** A rate's medians in one line, for when it ran more than one pair. */
export function summaryLine(rate: RateSummary): string {
  const spread = rate.ratioMin === null ? "" : ` (range ${range(rate.ratioMin, rate.ratioMax)})`;
  const precise =
    rate.preciseRatio === null
      ? ""
      : `; precise floor ${us(rate.preciseFloorUsPerUpdate)}, ratio ${times(rate.preciseRatio)} (range ${range(rate.preciseRatioMin, rate.preciseRatioMax)})`;
  return `  ${rate.ratePerSecond}/s, median of ${rate.pairs} pairs: harness ${us(rate.harnessUsPerUpdate)}, floor ${us(rate.floorUsPerUpdate)}, ratio ${times(rate.ratio)}${spread}${precise}${rate.sustained ? "" : ", not sustained every time"}`;
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
  if (verdict.worstPreciseRatio === null) return [rate, ratio];
  const precise = `harness/precise floor (the same floor handing updates over on every call, as the runner does; not judged): at most ${verdict.worstPreciseRatio.ratio.toFixed(2)}× (at ${verdict.worstPreciseRatio.ratePerSecond}/s)`;
  return [rate, ratio, precise];
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
  const precise = pairs.some((p) => p.preciseFloor !== undefined);
  const columns = columnsOf(precise);
  const header = `| ${columns.map(([name]) => name).join(" | ")} |\n|${columns.map(() => " ---: ").join("|")}|`;
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
    ...(precise
      ? [
          "p = precise floor: the same floor also handing over what is due on every call the bot makes",
          "and every webhook answer, as the runner does; not the issue's floor and not judged.",
        ]
      : []),
    "",
    "Per rate, the median over its pairs (the ratio is taken within each pair, then the median):",
    "",
    `| rate/s | pairs | harness CPU/update | floor CPU/update | ratio | ratio range |${precise ? " precise floor | ratio p | ratio p range |" : ""} sustained |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: |${precise ? " ---: | ---: | ---: |" : ""} :---: |`,
    ...summarise(pairs).map(
      (r) =>
        `| ${r.ratePerSecond} | ${r.pairs} | ${us(r.harnessUsPerUpdate)} | ${us(r.floorUsPerUpdate)} | ${times(r.ratio)} | ${range(r.ratioMin, r.ratioMax)} |${precise ? ` ${us(r.preciseFloorUsPerUpdate)} | ${times(r.preciseRatio)} | ${range(r.preciseRatioMin, r.preciseRatioMax)} |` : ""} ${yesNo(r.sustained)} |`,
    ),
    "",
    "Every pair:",
    "",
    header,
    ...pairs.map((pair) => `| ${cells(pair, precise).join(" | ")} |`),
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
    rates: pairs.map((pair) => ({ ...pair, ratio: ratioOf(pair), preciseRatio: preciseRatioOf(pair) })),
    profiles,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
