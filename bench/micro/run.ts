/**
 * Micro-benchmarks of the harness's hot paths, with tinybench: every suite in suites.ts (or those
 * whose name contains a filter), a table on stdout, and results/<UTC stamp>-micro/micro.json and
 * micro.md. Nothing listens and nothing is sent: servers are driven with fastify's inject(), the
 * webhook dispatcher's HTTP client answers at once, the network model runs on fake time.
 *
 *   npm run bench:micro [-- [filter ...] --time-ms 1000 --warmup-ms 250 --results-dir results]
 *
 * The default budget runs the whole set in about a minute on 2 cores (the issue allows 2).
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { runDirectory } from "../../src/report/writer.ts";
import { type MicroContext, renderMicroJson, renderMicroMarkdown, renderMicroTable } from "./render.ts";
import { MICRO_DEFAULTS, runMicroSuites } from "./runner.ts";
import { MICRO_SUITES } from "./suites.ts";

/** The issue's bound for the whole run; a longer run says so. */
const TOTAL_BUDGET_MS = 120_000;

const args = yargs(hideBin(process.argv))
  .usage("$0 [filter ...]: run the suites whose name contains a filter (all by default)")
  .option("time-ms", { type: "number", default: MICRO_DEFAULTS.timeMs, describe: "Measured time per task" })
  .option("warmup-ms", { type: "number", default: MICRO_DEFAULTS.warmupMs, describe: "Warm-up per task" })
  .option("results-dir", {
    type: "string",
    default: "results",
    describe: "Where results/<stamp>-micro/ goes",
  })
  .strictOptions()
  .parseSync();
const filter = args._.map(String);
const suites = MICRO_SUITES.filter((s) => filter.length === 0 || filter.some((f) => s.name.includes(f)));
if (suites.length === 0) {
  console.error(
    `no suite matches ${filter.join(" ")}; suites: ${MICRO_SUITES.map((s) => s.name).join(", ")}`,
  );
  process.exit(2);
}
if (!(args["time-ms"] > 0) || !(args["warmup-ms"] >= 0)) {
  console.error("--time-ms must be > 0 and --warmup-ms >= 0");
  process.exit(2);
}
const budget = { ...MICRO_DEFAULTS, timeMs: args["time-ms"], warmupMs: args["warmup-ms"] };

const startedAt = new Date();
const loadBefore = loadavg()[0]!;
const startMs = performance.now();
console.log(
  `micro-benchmarks: ${suites.map((s) => s.name).join(", ")}; ${budget.timeMs} ms per task after ${budget.warmupMs} ms warm-up`,
);
const rows = await runMicroSuites(suites, budget, (suite, suiteRows) => {
  const failed = suiteRows.filter((r) => r.error !== undefined).length;
  console.log(`  ${suite.name}: ${suiteRows.length} tasks${failed > 0 ? `, ${failed} FAILED` : ""}`);
});
const durationMs = performance.now() - startMs;
const context: MicroContext = {
  startedAt: startedAt.toISOString(),
  durationMs,
  budget,
  node: process.versions.node,
  cpu: cpus()[0]?.model.trim() ?? "unknown",
  cores: cpus().length,
  loadAverage: { before: loadBefore, after: loadavg()[0]! },
  filter,
};

console.log(`\n${renderMicroTable(rows)}\n`);
const directory = runDirectory(args["results-dir"], "micro", startedAt);
await mkdir(directory, { recursive: true });
for (const [file, text] of [
  ["micro.json", renderMicroJson(rows, context)],
  ["micro.md", renderMicroMarkdown(rows, context)],
] as const) {
  const path = join(directory, file);
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}
console.log(
  `${rows.length} tasks in ${(durationMs / 1000).toFixed(1)} s; wrote ${directory}/micro.{json,md}`,
);
const failed = rows.filter((r) => r.error !== undefined);
if (durationMs > TOTAL_BUDGET_MS) {
  console.log(
    `took longer than ${TOTAL_BUDGET_MS / 1000} s (machine load average ${context.loadAverage.after.toFixed(2)})`,
  );
}
if (failed.length > 0) {
  console.error(`${failed.length} task(s) failed: ${failed.map((r) => `${r.suite} › ${r.task}`).join("; ")}`);
  process.exitCode = 1;
}
