/**
 * compare's Markdown: short enough for a GitHub job summary, readable in a terminal. Pure.
 */
import { formatP, signedPercent } from "./compare.ts";
import { fewestTrialsPerSide } from "./mann-whitney.ts";
import { METRIC_ORDER, METRICS } from "./metrics.ts";
import type { ComparisonResult, MetricComparison, Verdict } from "./types.ts";

const VERDICT_TEXT: Record<Verdict, string> = {
  regression: "❌ **regression**",
  improvement: "✅ improvement",
  "within-threshold": "≈ within threshold",
  "not-significant": "noise",
  unchanged: "unchanged",
  "not-enough-data": "not enough data",
  "no-data": "no data",
};

/** The comparison as GitHub-flavoured Markdown. */
export function renderComparisonMarkdown(result: ComparisonResult): string {
  const lines: string[] = [];
  lines.push(`## tgbench compare: ${headline(result)}`, "");
  lines.push(`- **base** ${describeSource(result.base)}`);
  lines.push(`- **head** ${describeSource(result.head)}`);
  lines.push("");
  const starved = starvedNote(result);
  if (starved !== null) lines.push(`> ${starved}`, "");
  if (result.cells.length > 0) {
    lines.push("| cell | metric | n | base | head | change | p | verdict |");
    lines.push("|---|---|---:|---:|---:|---:|---:|---|");
    for (const cell of result.cells) {
      for (const [i, m] of cell.metrics.entries()) {
        lines.push(
          `| ${i === 0 ? cell.label : ""} | ${m.label} | ${m.base.n}/${m.head.n} | ${format(m, m.base.value)} | ${format(m, m.head.value)} | ${m.changePercent === null ? "–" : signedPercent(m.changePercent)} | ${m.test === null ? "–" : formatP(m.test.pAdjusted)} | ${verdictCell(m)} |`,
        );
      }
    }
    lines.push("");
  }
  if (result.unmatched.length > 0) {
    lines.push("**Not compared:**", "");
    for (const u of result.unmatched) lines.push(`- ${u.label}: ${escapeCell(u.reason)}`);
    lines.push("");
  }
  if (result.warnings.length > 0) {
    lines.push("**Warnings:**", "");
    for (const w of result.warnings) lines.push(`- ${escapeCell(w)}`);
    lines.push("");
  }
  lines.push(method(result));
  return `${lines.join("\n")}\n`;
}

function headline(result: ComparisonResult): string {
  // The CLI exits 2 for this: the header must not say "no regression".
  if (result.cells.length === 0) return "nothing to compare: no cell has successful trials on both sides ⚠️";
  if (result.outcome === "regression") {
    return `${result.regressions} regression${result.regressions === 1 ? "" : "s"} ❌`;
  }
  const starved = result.cells.some((c) => c.metrics.some((m) => m.verdict === "not-enough-data"));
  if (result.judged === 0 && starved) return "no verdict (not enough trials) ⚠️";
  const better = result.improvements > 0 ? `, ${result.improvements} improvement(s)` : "";
  return `no regression${better} ✅`;
}

function describeSource(s: ComparisonResult["base"]): string {
  return `\`${s.label}\`: ${s.scenario}, ${s.createdAt}, up to ${s.trialsPerCell} trial(s) per cell${s.partial ? ", partial" : ""}`;
}

/** When no metric could be tested because of the trial counts, say so at the top. */
function starvedNote(result: ComparisonResult): string | null {
  const metrics = result.cells.flatMap((c) => c.metrics);
  const starved = metrics.filter((m) => m.verdict === "not-enough-data");
  if (result.judged > 0 || starved.length === 0) return null;
  const first = starved[0]!.note;
  const fewest = fewestTrialsPerSide(result.alpha);
  return (
    `${first}. No test can be significant with so few trials; for a verdict, run at least ${fewest} trials per side ` +
    `at α = ${result.alpha} (more for a sweep of many cells, which the correction accounts for). This is not a failure.`
  );
}

function verdictCell(m: MetricComparison): string {
  const text = VERDICT_TEXT[m.verdict];
  if (m.verdict === "not-significant" || m.verdict === "unchanged") return text;
  // "n=3: not enough trials to judge"; the why (smallest possible p) is in the JSON and the note above.
  if (m.verdict === "not-enough-data") return escapeCell(m.note.replace(/ \(.*\)$/, ""));
  return m.note === "" ? text : `${text}: ${escapeCell(m.note)}`;
}

const format = (m: MetricComparison, value: number | null) => METRICS[m.metric].format(value);

function method(result: ComparisonResult): string {
  const thresholds = METRIC_ORDER.map((name) => {
    const sign = METRICS[name].direction === "smaller-is-better" ? "+" : "−";
    return `${name} ${sign}${result.thresholdsPercent[name]}%`;
  }).join(", ");
  const correction =
    result.correction === "holm"
      ? `after Holm's correction over the ${result.judged} tested pair(s)`
      : "without a multiple-comparison correction";
  return (
    `*How to read this:* base and head are each side's figure: for latency the percentile of all its updates ` +
    `(its trials' histograms merged), for the rest the median over its trials (n = base/head). ` +
    `p is a one-sided Mann–Whitney U test on the per-trial values, in the direction they moved, ${correction}. ` +
    `A metric regresses only when p < α = ${result.alpha} and its figure moved the wrong way by at least its ` +
    `threshold (${thresholds}). Exit code 1 means at least one regression.`
  );
}

const escapeCell = (text: string) => text.replaceAll("|", "\\|");
