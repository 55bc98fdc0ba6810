/**
 * `npm run bench:model`: the model against the real runner, on the grid of issue 12
 * (bench/model-agreement/grid.ts) with the reference bot. Prints, per cell and figure, measured,
 * model, difference, the measurement's sampling uncertainty and whether it is within the target
 * (empty share within 2 percentage points or 2σ; mean delivery wait and p50 latency within 10% or
 * 2 ms, or 2σ where the cell's own noise is larger; throughput ceiling within 10%), then the share
 * within the targets, per figure (2σ) and family-wise for the whole grid beside it (Šidák at 95%
 * over the judged figures, fixed targets unchanged: model-agreement/family-wise.ts). The measured
 * reports are saved to results/<time>-model-grid/grid.json, which
 * this script also reads back (or any report.json) to compare again without measuring.
 *
 *   npm run bench:model                                  # the grid (a few minutes on 2 cores)
 *   npm run bench:model -- --only "webhook" --concurrency 4
 *   npm run bench:model -- results/<time>-model-grid/grid.json
 *   npm run bench:model -- results/<run>/report.json
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { parseReport, ReportFormatError } from "../src/report/read-report.ts";
import type { Report } from "../src/results/index.ts";
import { registerBench } from "./index.ts";
import {
  calibrationFor,
  describeCalibration,
  STALL_MS,
  stalledCells,
} from "./model-agreement/calibration.ts";
import { MODEL_GRID } from "./model-agreement/grid.ts";
import { gridAgreement, type SavedGrid } from "./model-agreement/grid-agreement.ts";
import { agreementSummary, agreementTable } from "./model-agreement/print.ts";
import { MachineProbe, type ProbeSamples } from "./model-agreement/probe.ts";
import { agreementOf, summarise } from "./model-agreement/rows.ts";
import { type GridResult, runGrid } from "./model-agreement/run-grid.ts";

const args = yargs(hideBin(process.argv))
  .usage("$0 [report.json | grid.json]")
  .option("only", { type: "string", describe: "Run only the cells whose name contains this" })
  .option("concurrency", { type: "number", default: 8, describe: "Most low-rate cells at once" })
  .option("seed", { type: "string", default: "model-grid" })
  .option("results-dir", { type: "string", default: "results" })
  .option("calibrate", {
    type: "boolean",
    default: true,
    describe: "Feed each cell's model the machine probe's measurements (--no-calibrate: the runner's inputs)",
  })
  .strictOptions()
  .parseSync();

const path = args._[0] === undefined ? undefined : String(args._[0]);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (path !== undefined) {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error: unknown) {
    fail(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const data = JSON.parse(text) as { grid?: unknown };
  if (data.grid !== undefined) {
    const saved = data as SavedGrid;
    printGrid(saved.results, saved.probe ?? null);
  } else {
    let report: Report;
    try {
      report = parseReport(text);
    } catch (error: unknown) {
      if (!(error instanceof ReportFormatError)) throw error;
      fail(`${path}: ${error.message}`);
    }
    const agreement = agreementOf(report);
    console.log([...agreementTable(agreement), "", ...agreementSummary(agreement)].join("\n"));
  }
} else {
  registerBench();
  const cells = MODEL_GRID.filter((c) => args.only === undefined || c.name.includes(args.only));
  if (cells.length === 0) fail(`no grid cell matches "${args.only}"`);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const started = performance.now();
  console.error(`bench:model: ${cells.length} cells …`);
  const probe = await MachineProbe.start();
  const results = await runGrid(cells, {
    maxConcurrent: args.concurrency,
    seed: args.seed,
    signal: controller.signal,
    onCellDone: (r, done, total) => {
      const t = r.report.cells[0]?.trials[0];
      console.error(
        `  [${done}/${total}] ${r.cell.name}: ${t?.ledger.answered ?? 0} answered, ${t?.requests.getUpdates ?? 0} getUpdates (${r.concurrent} beside it)`,
      );
    },
  });
  const probeSamples = await probe.stop();
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const directory = join(args["results-dir"], `${stamp}-model-grid`);
  mkdirSync(directory, { recursive: true });
  const saved: SavedGrid = { grid: "tgbench/model-grid@1", seed: args.seed, results, probe: probeSamples };
  writeFileSync(join(directory, "grid.json"), `${JSON.stringify(saved)}\n`);
  console.error(
    `measured in ${((performance.now() - started) / 1000).toFixed(0)} s; saved ${directory}/grid.json`,
  );
  printGrid(results, probeSamples);
}

function printGrid(results: GridResult[], probe: ProbeSamples | null): void {
  const calibration = calibrationFor(results, args.calibrate ? probe : null);
  const agreement = summarise(gridAgreement(results, calibration).rows);
  const stalls = stalledCells(results, probe).map(
    (s) => `- ${s.cell}: a probe round trip of ${s.maxRoundTripMs.toFixed(0)} ms while it ran`,
  );
  console.log(
    [
      ...describeCalibration(calibration),
      "",
      ...agreementTable(agreement),
      "",
      ...agreementSummary(agreement),
      "",
      stalls.length === 0
        ? `No cell's run saw a probe round trip over ${STALL_MS} ms (a stall of the machine or of this process).`
        : `Cells whose run saw a probe round trip over ${STALL_MS} ms (a stall of the machine or of this process):`,
      ...stalls,
    ].join("\n"),
  );
}
