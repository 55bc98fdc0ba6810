/**
 * The answer in words: one line per bot, then the rule the run shows across bots. Each clause
 * takes its figures from one {@link Finding} (one bot, rate and network), and calls a difference
 * one only when its test is significant; otherwise "about the same (within noise)".
 */
import type { ModeName } from "../results/index.ts";
import type { Answer, BotAnswer, Finding } from "./answer.ts";
import { networkWords } from "./cell-network.ts";
import { formatCount, formatRatio, formatUs, modeWords, rateWords } from "./figures.ts";
import type { PendingTest, TestFamily } from "./significance.ts";

const SAME = "about the same (within noise)";

/** One bot's answer in words: a heading, then one line per network distance. */
export interface BotLines {
  /** `aiogram (aiogram), long polling → webhook` */
  heading: string;
  /** One line per network, nearest first: `at 1 update/min, ~451 → ~120 requests/hour (model), …` */
  networks: Array<{ network: string; text: string }>;
}

/**
 * `aiogram (aiogram), long polling → webhook: loopback: at 1 update/min, ~451 → ~120
 * requests/hour (model), …; continent (60 ms RTT): …` — {@link botLines} on one line.
 */
export function botLine(answer: BotAnswer, family: TestFamily): string {
  if (answer.findings.length === 0) return `${answer.bot}: nothing was measured.`;
  const lines = botLines(answer, family);
  return `${lines.heading}: ${lines.networks.map((n) => `${n.network}: ${n.text}`).join("; ")}.`;
}

/**
 * What switching from the bot's polling mode to webhook changes, per network distance and rate.
 * Each clause takes its figures from one {@link Finding} (one bot, rate and network).
 */
export function botLines(answer: BotAnswer, family: TestFamily): BotLines {
  const name =
    answer.framework !== "" && answer.framework !== answer.bot
      ? `${answer.bot} (${answer.framework})`
      : answer.bot;
  const pair = commonPair(answer.findings);
  const heading = pair.length === 2 ? `${name}, ${pairWords(pair)}` : name;
  const byNetwork = new Map<string, Finding[]>();
  for (const f of answer.findings) {
    const key = networkWords(f.network);
    byNetwork.set(key, [...(byNetwork.get(key) ?? []), f]);
  }
  const networks = [...byNetwork].map(([network, findings]) => ({
    network,
    text: findings.map((f) => findingText(f, family, pair)).join("; "),
  }));
  return { heading, networks };
}

/** The pair of modes most of a bot's findings compare (the heading names it once). */
function commonPair(findings: readonly Finding[]): ModeName[] {
  const counts = new Map<string, { pair: ModeName[]; n: number }>();
  for (const f of findings) {
    const key = f.modes.join(">");
    counts.set(key, { pair: f.modes, n: (counts.get(key)?.n ?? 0) + 1 });
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.pair ?? [];
}

const pairWords = (pair: readonly ModeName[]) => `${modeWords(pair[0]!)} → ${modeWords(pair[1]!)}`;

function findingText(f: Finding, family: TestFamily, pair: readonly ModeName[]): string {
  const same = f.modes.length === pair.length && f.modes.every((m, i) => m === pair[i]);
  const where = `at ${rateWords(f.ratePerSecond)}${same || f.modes.length < 2 ? "" : ` (${pairWords(f.modes)})`}`;
  const parts = [requestsText(f, family), latencyText(f, family), ...f.fellBehind.map(behindText)];
  return `${where}, ${parts.filter((p) => p !== "").join(", ")}`;
}

function requestsText(f: Finding, family: TestFamily): string {
  const [a, b] = f.modes;
  if (a === undefined) return "";
  const value = (m: ModeName) => {
    const r = f.requestsPerHour[m];
    return r === undefined || r.value === null ? "–" : `~${formatCount(r.value, 0)}`;
  };
  const model = (m: ModeName) => f.requestsPerHour[m]?.source === "model";
  if (b === undefined)
    return `only ${modeWords(a)} ran: ${value(a)}${model(a) ? " (model)" : ""} requests/hour`;
  if (model(a) || model(b)) {
    const both = model(a) && model(b);
    const mark = (m: ModeName) => (!both && model(m) ? " (model)" : "");
    return `${value(a)}${mark(a)} → ${value(b)}${mark(b)} requests/hour${both ? " (model)" : ""}`;
  }
  const text = `${value(a)} → ${value(b)} requests/hour`;
  const test = f.requestsTest;
  if (test === null) return text;
  if (!family.significant(test)) return `${text}, ${SAME}`;
  const [ra, rb] = [f.requestsPerHour[a]!.value!, f.requestsPerHour[b]!.value!];
  return `${text} (${formatRatio(Math.max(ra, rb) / Math.min(ra, rb))} ${rb > ra ? "more" : "fewer"}, significant)`;
}

function latencyText(f: Finding, family: TestFamily): string {
  const [a, b] = f.modes;
  if (a === undefined || b === undefined) {
    const p = a === undefined ? null : (f.p50Us[a] ?? null);
    return p === null ? "" : `p50 ${formatUs(p)}`;
  }
  const pa = f.p50Us[a] ?? null;
  const pb = f.p50Us[b] ?? null;
  if (pa === null || pb === null || f.latencyTest === null) {
    const model = [f.modelP50Us[a], f.modelP50Us[b]];
    const counts = `${f.updates[a] ?? 0} and ${f.updates[b] ?? 0} updates`;
    // On loopback the model has no network to add: its latency would be ~0 and say nothing.
    if (model[0] == null || model[1] == null || f.network.rttMs === 0)
      return `too few updates for a latency percentile (${counts})`;
    return `p50 ${formatUs(model[0])} → ${formatUs(model[1])} (model: ${counts} measured)`;
  }
  const text = `p50 ${formatUs(pa)} → ${formatUs(pb)}`;
  if (!family.significant(f.latencyTest)) return `${text}, ${SAME}`;
  const ratio = formatRatio(Math.max(pa, pb) / Math.min(pa, pb));
  return `${text} (${ratio} ${pb < pa ? "faster" : "slower"}, significant)`;
}

function behindText(b: Finding["fellBehind"][number]): string {
  return `${modeWords(b.mode)} did not keep up (${b.why}: ${b.ceiling.explanation})`;
}

/**
 * The rule the run shows, over every bot: per rate and network, how many bots' polling mode made
 * more requests than webhook and which answered faster (significant differences only), and which
 * modes could not keep up, with their ceiling.
 */
export function ruleText(answer: Answer): string {
  const findings = answer.bots.flatMap((b) => b.findings).filter((f) => f.modes.length === 2);
  if (findings.length === 0) {
    return "No bot was measured in two modes at the same rate and network, so the run shows no rule: measure a polling mode and webhook (--mode).";
  }
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.ratePerSecond}\u0000${f.network.name}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const sentences = [...groups.values()].map((group) => groupSentence(group, answer.family));
  // Each ceiling a mode hit, once (a framework that handles one update at a time has its own).
  const behind = new Set<string>();
  for (const f of answer.bots.flatMap((b) => b.findings)) {
    for (const b of f.fellBehind) behind.add(b.ceiling.explanation);
  }
  const ceilings = behind.size === 0 ? [] : [`Where a mode did not keep up: ${[...behind].join("; ")}.`];
  return [...sentences, ...ceilings].join(" ");
}

function groupSentence(group: readonly Finding[], family: TestFamily): string {
  const f0 = group[0]!;
  const n = group.length;
  const where = `At ${rateWords(f0.ratePerSecond)} (${networkWords(f0.network)})`;
  const pair = `${modeWords(f0.modes[0]!)} vs ${modeWords(f0.modes[1]!)}`;
  const tally = (pick: (f: Finding) => PendingTest | null, first: (f: Finding) => boolean | null) => {
    let more = 0;
    let less = 0;
    let same = 0;
    let none = 0;
    for (const f of group) {
      const test = pick(f);
      const firstMore = first(f);
      if (test === null || firstMore === null) none++;
      else if (!family.significant(test)) same++;
      else if (firstMore) more++;
      else less++;
    }
    return { more, less, same, none };
  };
  const req = tally(
    (f) => f.requestsTest,
    (f) => {
      const [a, b] = [f.requestsPerHour[f.modes[0]!]?.value, f.requestsPerHour[f.modes[1]!]?.value];
      return a == null || b == null ? null : a > b;
    },
  );
  const lat = tally(
    (f) => f.latencyTest,
    (f) => {
      const [a, b] = [f.p50Us[f.modes[0]!], f.p50Us[f.modes[1]!]];
      return a == null || b == null ? null : a > b;
    },
  );
  const [a, b] = [modeWords(f0.modes[0]!), modeWords(f0.modes[1]!)];
  const parts: string[] = [];
  parts.push(
    `requests: ${countsText(req, n, `${a} made more`, `${b} made more`, "too few measured (the model's figures are shown)")}`,
  );
  parts.push(
    `latency: ${countsText(lat, n, `${b} answered faster`, `${a} answered faster`, "too few updates to compare")}`,
  );
  return `${where}, ${pair} over ${n} bot${n === 1 ? "" : "s"}: ${parts.join("; ")}.`;
}

function countsText(
  t: { more: number; less: number; same: number; none: number },
  n: number,
  moreWords: string,
  lessWords: string,
  noneWords: string,
): string {
  if (t.none === n) return noneWords;
  const items: string[] = [];
  if (t.more > 0) items.push(`${moreWords} for ${t.more} of ${n}`);
  if (t.less > 0) items.push(`${lessWords} for ${t.less} of ${n}`);
  if (t.same > 0) items.push(`${SAME} for ${t.same} of ${n}`);
  if (t.none > 0) items.push(`too few samples for ${t.none} of ${n}`);
  return items.join(", ");
}
