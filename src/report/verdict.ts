/**
 * The verdict: what a report says about "polling or webhook?", in plain words. It opens with one
 * line per bot under test (src/report/answer.ts: each line's figures from that bot's cells, a
 * difference stated only when significant), then the rule the run shows across bots, then what
 * limits the figures.
 */
import type { Report } from "../results/index.ts";
import { computeAnswer } from "./answer.ts";
import { type BotLines, botLine, botLines, ruleText } from "./answer-text.ts";
import { summarizeCell } from "./cell-summary.ts";
import { nothingMeasured, verdictCaveats } from "./verdict-caveats.ts";

/** The verdict of a report. */
export interface Verdict {
  /**
   * One entry per bot under test, in the scenario's order: its answer on one line (`text`), and
   * the same as a heading with one line per network distance (`lines`).
   */
  bots: Array<{ bot: string; text: string; lines: BotLines }>;
  /** The general rule the run shows (or why it shows none). */
  rule: string;
  /** The answer at a glance: the first bot's line, or why nothing was measured. */
  headline: string;
  /** What limits the figures: failed or skipped cells, unbalanced ledgers, an interrupted run. */
  caveats: string[];
  /** Significance tests behind the verdict (Holm-corrected together). */
  tests: number;
}

/** Computes the verdict of a report. Pure. */
export function computeVerdict(report: Report): Verdict {
  const summaries = report.cells.map(summarizeCell);
  const answer = computeAnswer(report);
  const measured = summaries.some((s) => s.status === "measured");
  const bots = answer.bots
    .filter((b) => b.findings.length > 0)
    .map((b) => ({ bot: b.bot, text: botLine(b, answer.family), lines: botLines(b, answer.family) }));
  const compared = answer.bots.some((b) => b.findings.some((f) => f.modes.length === 2));
  return {
    bots,
    rule: measured ? ruleText(answer) : "",
    headline: measured ? (bots[0]?.text ?? "") : nothingMeasured(summaries),
    caveats: verdictCaveats(report, summaries, compared),
    tests: answer.family.size,
  };
}
