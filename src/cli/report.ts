import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { CommandModule } from "yargs";
import { parseReport, ReportFormatError } from "../report/read-report.ts";
import { writeReport } from "../report/writer.ts";
import type { Report } from "../results/index.ts";
import { UsageError } from "./usage-error.ts";

interface ReportArgs {
  file: string;
  out: string | undefined;
}

/**
 * `tgbench report <result.json> [--out <dir>]`: re-renders every report format (report.md,
 * report.html, benchmark*.json, and report.json itself) from a stored report.json, e.g. after
 * tgbench's renderers changed. A missing or invalid file is a usage error (one line, exit 2).
 */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report <file>",
  describe: "Re-render report.md, report.html and benchmark*.json from a stored report.json",
  builder: (y) =>
    y
      .positional("file", {
        type: "string",
        demandOption: true,
        describe: "a report.json written by tgbench run",
      })
      .option("out", {
        type: "string",
        describe: "directory to write into (default: the directory of the report.json)",
      }),
  handler: async (argv) => {
    const report = await readReportFile(argv.file);
    const directory = resolve(argv.out ?? dirname(argv.file));
    const files = await writeReport(directory, report);
    process.stdout.write(`Reports: ${files.join(", ")}\n`);
  },
};

async function readReportFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : String(code ?? error)}`,
    );
  }
  try {
    return parseReport(text);
  } catch (error: unknown) {
    if (error instanceof ReportFormatError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}
