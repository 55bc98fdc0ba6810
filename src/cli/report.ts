import { dirname, resolve } from "node:path";
import type { CommandModule } from "yargs";
import { REPORT_DEFAULTS } from "../report/defaults.ts";
import { writeReport } from "../report/writer.ts";
import { numberFlag } from "./flag-values.ts";
import { loadReport } from "./load-report.ts";

interface ReportArgs {
  file: string;
  out: string | undefined;
  traffic: number | number[] | undefined;
}

/**
 * `tgbench report <run dir | report.json> [--out <dir>] [--traffic <updates per day>…]`: re-renders
 * every report format (report.md, report.html, benchmark*.json, and report.json itself) from a
 * stored report.json, e.g. after tgbench's renderers changed, or to cost a month at another
 * traffic. A missing or invalid file is a usage error (one line, exit 2).
 */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report <file>",
  describe: "Re-render report.md, report.html and benchmark*.json from a run directory or its report.json",
  builder: (y) =>
    y
      .positional("file", {
        type: "string",
        demandOption: true,
        describe: "a run directory (results/<timestamp>-<scenario>/) or the report.json in it",
      })
      .option("out", {
        type: "string",
        describe: "directory to write into",
        defaultDescription: "the directory of the report.json",
      })
      .option("traffic", {
        type: "array",
        string: true,
        coerce: numberFlag("traffic", "updates per day"),
        describe: "Updates per day to cost a month at",
        defaultDescription: REPORT_DEFAULTS.trafficPerDay.join(", "),
      })
      .example("$0 report results/2026-01-02T030405Z-default", "re-render a run")
      .example(
        "$0 report results/latest/report.json --traffic 500 50000",
        "cost a month at 500 and 50 000 updates a day",
      ) as never,
  handler: async (argv) => {
    const { report, file } = await loadReport(argv.file);
    const directory = resolve(argv.out ?? dirname(file));
    const render = argv.traffic === undefined ? {} : { trafficPerDay: [argv.traffic].flat() };
    const files = await writeReport(directory, report, render);
    process.stdout.write(`Reports: ${files.join(", ")}\n`);
  },
};
