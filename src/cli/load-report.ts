import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseReport, ReportFormatError } from "../report/read-report.ts";
import type { Report } from "../results/index.ts";
import { UsageError } from "./usage-error.ts";

/**
 * Reads a report.json, given its path or the run directory that holds it (`tgbench report` and
 * `tgbench compare` both accept either). A missing or invalid file is a usage error. Returns the
 * report and the file it came from.
 */
export async function loadReport(path: string): Promise<{ report: Report; file: string }> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, "report.json");
  } catch {
    throw new UsageError(`${path}: no such file or directory; pass a report.json or a run directory`);
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UsageError(
      file === path
        ? `${path}: cannot read it`
        : `${path} has no report.json; pass a run directory (results/<timestamp>-<scenario>/) or a report.json`,
    );
  }
  try {
    return { report: parseReport(text), file };
  } catch (error: unknown) {
    if (error instanceof ReportFormatError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}
