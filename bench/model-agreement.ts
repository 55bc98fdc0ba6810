/**
 * Measured vs model for every cell of a report.json: the difference and the measurement's
 * sampling uncertainty per figure, and the share of figures within the targets of issue 12.
 * Scaffolding for `npm run bench:model`, which will run the grid itself; this reads a report.
 * The model's inputs come from the cell (mode, rate, bot, settings, network when recorded) and one
 * measured input that belongs to the harness, not to the protocol: the generator's lateness
 * (cell-input.ts). The handler time is the scenario's nominal delay; a real bot's own time per
 * update is longer by its HTTP and framework work (on loopback, a few ms on a loaded machine).
 *
 *   node --import tsx bench/model-agreement.ts results/<run>/report.json
 */
import { readFileSync } from "node:fs";
import { parseReport, ReportFormatError } from "../src/report/read-report.ts";
import { agreementOf } from "./model-agreement/rows.ts";

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: node --import tsx bench/model-agreement.ts <report.json>");
  process.exit(2);
}
let text: string;
try {
  text = readFileSync(path, "utf8");
} catch (error: unknown) {
  console.error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
let report: ReturnType<typeof parseReport>;
try {
  report = parseReport(text);
} catch (error: unknown) {
  if (!(error instanceof ReportFormatError)) throw error;
  console.error(`${path}: ${error.message}`);
  process.exit(2);
}

const agreement = agreementOf(report);
const fmt = (x: number) =>
  !Number.isFinite(x)
    ? "–"
    : Math.abs(x) >= 100
      ? x.toFixed(0)
      : Math.abs(x) >= 1
        ? x.toFixed(2)
        : x.toFixed(4);
console.log("| cell | trial | figure | measured | model (source) | difference | σ | target |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of agreement.rows) {
  const target = r.within === null ? "" : r.within ? "within" : "OUTSIDE";
  console.log(
    `| ${r.cell} | ${r.trial} | ${r.figure} | ${fmt(r.measured)} | ${fmt(r.model)} (${r.source}) | ${fmt(r.difference)} | ${fmt(r.standardError)} | ${target} |`,
  );
}
for (const s of agreement.skipped) console.log(`skipped ${s.cell}: ${s.reason}`);
console.log(
  `\n${agreement.withinTargets}/${agreement.targeted} figures with a target are within it` +
    (agreement.targeted > 0
      ? ` (${((100 * agreement.withinTargets) / agreement.targeted).toFixed(0)}%)`
      : ""),
);
