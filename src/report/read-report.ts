import { isHarnessCeiling, REPORT_SCHEMA, type Report } from "../results/index.ts";
import { REPORT_SCHEMA_V1, upgradeReportV1 } from "../results/upgrade-v1.ts";
import { REPORT_SCHEMA_V2, upgradeReportV2 } from "../results/upgrade-v2.ts";
import { REPORT_SCHEMA_V3, upgradeReportV3 } from "../results/upgrade-v3.ts";

/** A text that is not a tgbench report.json this version can render; the message says what is wrong. */
export class ReportFormatError extends Error {
  override readonly name = "ReportFormatError";
}

/**
 * Parses a stored report.json. Checks the schema tag and the shape the renderers rely on (cells
 * with trials, a scenario, a machine), so a wrong file is refused with one clear message instead
 * of failing halfway through rendering. A report of an older schema (@1, @2, @3) is upgraded to this
 * one. Pure.
 */
export function parseReport(text: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error: unknown) {
    throw new ReportFormatError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(data)) throw new ReportFormatError("not a tgbench report: expected a JSON object");
  const known = [REPORT_SCHEMA, REPORT_SCHEMA_V3, REPORT_SCHEMA_V2, REPORT_SCHEMA_V1];
  if (!known.includes(data.schema as never)) {
    const found = data.schema === undefined ? "no schema" : `schema ${JSON.stringify(data.schema)}`;
    throw new ReportFormatError(`not a ${REPORT_SCHEMA} report (${found})`);
  }
  for (const key of ["scenario", "machine", "tool"] as const) {
    if (!isObject(data[key])) throw new ReportFormatError(`"${key}" is missing or not an object`);
  }
  if (!Array.isArray(data.cells)) throw new ReportFormatError('"cells" is missing or not an array');
  for (const [i, cell] of data.cells.entries()) {
    if (
      !isObject(cell) ||
      !Array.isArray(cell.trials) ||
      typeof cell.bot !== "string" ||
      typeof cell.mode !== "string" ||
      typeof cell.ratePerSecond !== "number"
    ) {
      throw new ReportFormatError(`cells[${i}] is not a cell (bot, mode, ratePerSecond, trials)`);
    }
  }
  if (data.harnessCeiling !== undefined && !isHarnessCeiling(data.harnessCeiling)) {
    throw new ReportFormatError(
      '"harnessCeiling" is not a harness ceiling (status "measured" with its figures, or "not-measured" with a reason)',
    );
  }
  if (data.schema === REPORT_SCHEMA_V1) return upgradeReportV1(data);
  if (data.schema === REPORT_SCHEMA_V2) return upgradeReportV2(data);
  if (data.schema === REPORT_SCHEMA_V3) return upgradeReportV3(data);
  return data as unknown as Report;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
