import { appendFile } from "node:fs/promises";
import type { CommandModule } from "yargs";
import { compare } from "../compare/compare.ts";
import {
  COMPARE_DEFAULTS,
  CORRECTIONS,
  type Correction,
  DEFAULT_THRESHOLDS_PERCENT,
} from "../compare/defaults.ts";
import { renderComparisonMarkdown } from "../compare/markdown.ts";
import { CompareOptionsError, parseThresholds } from "../compare/options.ts";
import type { Report } from "../results/index.ts";
import { loadReport } from "./load-report.ts";
import { UsageError } from "./usage-error.ts";

/** Exit codes of `tgbench compare` (documented in README). */
export const COMPARE_EXIT = { noRegression: 0, regression: 1, usage: 2 } as const;

interface CompareArgs {
  base: string;
  head: string;
  threshold?: string | string[];
  alpha: number;
  correction: Correction;
  json: boolean;
}

const thresholdList = Object.entries(DEFAULT_THRESHOLDS_PERCENT)
  .map(([name, percent]) => `${name}=${percent}`)
  .join(", ");

/**
 * `tgbench compare <base> <head>`: per cell and metric, base and head medians, the change and a
 * verdict that accounts for the noise between trials. Exit 1 only for a regression that is both
 * significant and beyond its threshold.
 */
export const compareCommand: CommandModule<object, CompareArgs> = {
  command: "compare <base> <head>",
  describe: "Compare two runs cell by cell; exit 1 on a significant regression beyond its threshold",
  builder: (y) =>
    y
      .positional("base", {
        type: "string",
        demandOption: true,
        describe: "report.json, or a run directory holding one",
      })
      .positional("head", {
        type: "string",
        demandOption: true,
        describe: "report.json, or a run directory holding one",
      })
      .option("threshold", {
        type: "string",
        describe: `<metric>=<percent> a metric may worsen before it counts (repeatable; defaults ${thresholdList})`,
      })
      .option("alpha", {
        type: "number",
        default: COMPARE_DEFAULTS.alpha,
        describe: "Significance level of the Mann–Whitney U test, after correction",
      })
      .option("correction", {
        choices: CORRECTIONS,
        default: COMPARE_DEFAULTS.correction,
        describe: "Multiple-comparison correction over all tested (cell, metric) pairs",
      })
      .option("json", {
        type: "boolean",
        default: false,
        describe: "Print the comparison as JSON instead of Markdown",
      })
      .epilogue(
        "Exit codes: 0 no regression (or too few trials to judge); 1 a regression; 2 a usage error or unreadable input.",
      ),
  handler: async (args) => {
    let result: ReturnType<typeof compare>;
    try {
      const thresholdsPercent = parseThresholds(args.threshold === undefined ? [] : [args.threshold].flat());
      const [base, head] = (await Promise.all([loadReport(args.base), loadReport(args.head)])).map(
        (r) => r.report,
      ) as [Report, Report];
      result = compare(base, head, {
        alpha: args.alpha,
        correction: args.correction,
        thresholdsPercent,
        labels: { base: args.base, head: args.head },
      });
    } catch (error: unknown) {
      if (error instanceof CompareOptionsError) {
        throw new UsageError(error.message);
      }
      throw error;
    }
    const markdown = renderComparisonMarkdown(result);
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : markdown);
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary !== undefined && summary !== "") await appendFile(summary, markdown);
    if (result.cells.length === 0) {
      process.stderr.write("tgbench: nothing to compare: no cell has successful trials on both sides\n");
      process.exitCode = COMPARE_EXIT.usage;
      return;
    }
    process.exitCode = result.outcome === "regression" ? COMPARE_EXIT.regression : COMPARE_EXIT.noRegression;
  },
};
