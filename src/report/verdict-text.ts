/**
 * The verdict's wording. Sentences are built from the figures in {@link RateVerdict}; nothing
 * here decides anything a reader could not check against the tables.
 */
import type { ModeName } from "../results/index.ts";
import type { CellSummary } from "./cell-summary.ts";
import { formatCount, formatRatio, formatUs, modeWords, rateWords } from "./figures.ts";
import { type ModeComparison, type RateVerdict, SAME_FIGURE_RATIO } from "./verdict-types.ts";

/** Empty requests per hour below this round to "none". */
const NONE_PER_HOUR = 0.5;

/** The rate's findings in one sentence: empty requests, then the fastest mode against the next. */
export function rateSummaryText(v: RateVerdict): string {
  return findingsSentence(v, false);
}

/** The rate's findings in full: the summary, then who fell behind and what CPU each mode cost. */
export function rateText(v: RateVerdict): string {
  const sentences = [findingsSentence(v, true)];
  if (v.fellBehind.length > 0) {
    sentences.push(`Did not keep up: ${v.fellBehind.map(behindText).join(", ")}.`);
  }
  if (v.cpu !== null) {
    const c = v.cpu;
    sentences.push(
      `Bot CPU per update: ${modeWords(c.worse)} used ${formatRatio(c.ratio)} as much as ${modeWords(c.better)} ` +
        `(${formatUs(c.worseValue)} vs ${formatUs(c.betterValue)}).`,
    );
  }
  return sentences.join(" ");
}

/**
 * The headline: the lead rate's summary (the lowest rate where modes could be compared, which is
 * where polling wastes most) and which mode had the lowest p99 at each compared rate.
 */
export function headlineText(
  rates: readonly RateVerdict[],
  lead: RateVerdict | undefined,
  summaries: readonly CellSummary[],
): string {
  if (lead === undefined) return nothingMeasured(summaries);
  const compared = rates.filter((r) => r.fastest !== null && r.latency.length > 0);
  if (compared.length === 0) {
    const only = [...new Set(rates.flatMap((r) => r.modes))];
    const advice = "measure a second mode (--mode) at the same rate to compare";
    return only.length === 1
      ? `${lead.summary} To choose between modes, ${advice}.`
      : `${lead.summary} No rate had two modes measured side by side: ${advice}.`;
  }
  if (compared.length === 1) return lead.summary;
  const byWinner = new Map<string, number[]>();
  for (const r of compared) {
    const winner = winnerWords(r);
    byWinner.set(winner, [...(byWinner.get(winner) ?? []), r.ratePerSecond]);
  }
  const overall =
    byWinner.size === 1
      ? `${[...byWinner.keys()][0]} at every rate compared (${ratesWords(compared.map((r) => r.ratePerSecond))})`
      : [...byWinner].map(([winner, rs]) => `${winner} at ${ratesWords(rs)}`).join("; ");
  return `${lead.summary} Lowest p99 latency: ${overall}.`;
}

/** Empty requests, then p99 latency: the fastest mode against the next one, or against all others. */
function findingsSentence(v: RateVerdict, everyMode: boolean): string {
  const parts: string[] = [];
  const polling = v.modes.filter((m) => m !== "webhook");
  const wasteful = polling.filter((m) => (v.emptyPerHour[m] ?? 0) >= NONE_PER_HOUR);
  if (wasteful.length > 0) {
    parts.push(
      wasteful
        .map((m, i) => {
          const perHour = formatCount(v.emptyPerHour[m]!, 0);
          return i === 0
            ? `${modeWords(m)} sent ${perHour} empty requests per hour`
            : `${modeWords(m)} ${perHour}`;
        })
        .join(" and "),
    );
  } else if (polling.length > 0) {
    parts.push("no getUpdates came back empty");
  }
  const speed = speedClause(v, everyMode);
  const webhookNone = wasteful.length > 0 && v.modes.includes("webhook");
  if (webhookNone && speed?.subject === "webhook") parts.push(`webhook sent none and ${speed.predicate}`);
  else {
    if (webhookNone) parts.push("webhook sent none");
    if (speed !== null) parts.push(`${speed.subject} ${speed.predicate}`);
  }
  if (parts.length === 0) parts.push("no mode this version knows was measured");
  return `At ${rateWords(v.ratePerSecond)}, ${parts.join("; ")}.`;
}

/** Subject and predicate, so "webhook sent none and answered …" can share the subject. */
interface Clause {
  subject: string;
  predicate: string;
}

function speedClause(v: RateVerdict, everyMode: boolean): Clause | null {
  if (v.fastest === null) return null;
  const [closest, ...rest] = v.latency;
  if (closest === undefined) {
    return {
      subject: `only ${modeWords(v.fastest)} ran`,
      predicate: `with p99 ${formatUs(v.p99Us[v.fastest]!)}`,
    };
  }
  const tie = closest.ratio < SAME_FIGURE_RATIO;
  const first: Clause = tie
    ? {
        subject: `${modeWords(closest.better)} and ${modeWords(closest.worse)}`,
        predicate: `were about as fast at p99 (${pair(closest)})`,
      }
    : {
        subject: modeWords(closest.better),
        predicate: `answered ${formatRatio(closest.ratio)} faster at p99 than ${modeWords(closest.worse)} (${pair(closest)})`,
      };
  const more = (everyMode ? rest : []).map((c) =>
    c.ratio < SAME_FIGURE_RATIO
      ? `about as fast as ${modeWords(c.worse)} (${pair(c)})`
      : `${formatRatio(c.ratio)} faster than ${modeWords(c.worse)} (${pair(c)})`,
  );
  if (more.length === 0) return first;
  return {
    subject: first.subject,
    predicate: `${first.predicate}, ${tie ? "both " : "and "}${more.join(", ")}`,
  };
}

const pair = (c: ModeComparison) => `${formatUs(c.betterValue)} vs ${formatUs(c.worseValue)}`;

function winnerWords(r: RateVerdict): string {
  const closest = r.latency[0];
  if (closest === undefined || closest.ratio >= SAME_FIGURE_RATIO) return modeWords(r.fastest as ModeName);
  return `${modeWords(closest.better)} and ${modeWords(closest.worse)} (within ${Math.round((SAME_FIGURE_RATIO - 1) * 100)}%)`;
}

function behindText(s: CellSummary): string {
  const why =
    s.answered !== null && s.generated !== null && s.answered < s.generated
      ? `${formatCount(s.answered, 0)} of ${formatCount(s.generated, 0)} answered`
      : `${formatCount(s.backlogAtWindowEnd, 0)} updates waiting when the measured window ended`;
  return `${s.cell.bot} in ${modeWords(s.cell.mode)} (${why})`;
}

function nothingMeasured(summaries: readonly CellSummary[]): string {
  if (summaries.length === 0) return "Nothing was measured: the report has no cells.";
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

/** `1, 20 and 200 updates/s` (rates in one unit when they share it). */
export function ratesWords(rates: readonly number[]): string {
  const words = rates.map(rateWords);
  const unit = (w: string) => w.replace(/^[\d.]+ /, "").replace("update/", "updates/");
  const shared = words.every((w) => unit(w) === unit(words.at(-1)!));
  const items = shared ? words.map((w, i) => (i === words.length - 1 ? w : w.split(" ")[0]!)) : words;
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
