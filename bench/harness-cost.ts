/**
 * What the harness costs (issue #3): the reference bot in webhook mode at rising rates, the
 * highest rate sustained with no backlog, the harness's CPU per update and the generator's
 * lateness there. Every step is a real run of the whole pipeline (generator → fake API → webhook
 * POST → bot → sendMessage → reply matching), so the figure is the pipeline's, not a component's.
 *
 *   npm run bench:harness-cost [-- --rates 1000,2000,4000,5000,6000 --duration-seconds 5]
 *
 * Targets: >= 5,000 updates/s sustained, <= 150 µs harness CPU per update, generator lateness
 * p99 < 1 ms at that rate.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { formatUs } from "../src/report/figures.ts";
import { describeFailure } from "../src/results/index.ts";
import { runScenario } from "../src/runner/run.ts";
import { resolveScenario } from "../src/runner/scenario.ts";
import { registerBench } from "./index.ts";

registerBench();

const TARGET_RATE_PER_SECOND = 5_000;
const TARGET_CPU_US_PER_UPDATE = 150;
const TARGET_LATENESS_P99_US = 1_000;

const args = yargs(hideBin(process.argv))
  .option("rates", {
    type: "string",
    default: "1000,2000,3000,4000,5000,6000,7000,8000",
    describe: "Rates to step through (updates/s)",
  })
  .option("duration-seconds", { type: "number", default: 5, describe: "Measured seconds per step" })
  .option("mode", { type: "string", default: "webhook", choices: ["webhook", "long-polling"] })
  .strict()
  .parseSync();
const rates = args.rates.split(",").map(Number);
if (rates.some((r) => !(r > 0))) {
  console.error(`--rates must be positive numbers, got ${args.rates}`);
  process.exit(2);
}

const controller = new AbortController();
process.once("SIGINT", () => controller.abort());

console.log(
  `harness cost: reference bot, ${args.mode}, ${args["duration-seconds"]} s per step, rates ${rates.join(", ")}/s`,
);
console.log(
  "rate/s   answered/s  backlog  sustained  harness CPU/update  bot CPU/update  lateness p99  late>1ms  e2e p50    e2e p99",
);
let best: { rate: number; cpuUs: number; latenessP99Us: number } | undefined;
for (const rate of rates) {
  const scenario = resolveScenario({
    name: "harness-cost",
    bots: ["reference"],
    modes: [args.mode],
    ratesPerSecond: [rate],
    arrival: "constant",
    durationMs: args["duration-seconds"] * 1000,
    warmupUpdates: 2000,
    drainTimeoutMs: 5_000,
    users: 1_000,
    groups: 0,
    mix: { text: 1 },
  });
  const report = await runScenario(scenario, { toolVersion: "bench", signal: controller.signal });
  const trial = report.cells[0]?.trials[0];
  if (trial === undefined) {
    const cell = report.cells[0];
    const why =
      cell?.status === "failed" && cell.reasons[0] !== undefined
        ? describeFailure(cell.reasons[0])
        : cell?.status === "unsupported"
          ? cell.reason.message
          : "no result";
    console.log(`${String(rate).padEnd(8)} failed: ${why}`);
    break;
  }
  const cpuUs = trial.cost.harnessCpuUsPerUpdate ?? Number.NaN;
  const sustained = trial.throughput.sustained && trial.ledger.balanced;
  console.log(
    [
      String(rate).padEnd(8),
      (trial.throughput.answeredPerSecond ?? 0).toFixed(0).padStart(10),
      String(trial.throughput.backlogAtWindowEnd).padStart(8),
      (sustained ? "yes" : "no").padStart(10),
      formatUs(cpuUs).padStart(19),
      formatUs(trial.cost.botCpuUsPerUpdate).padStart(15),
      formatUs(trial.generator.lateness.p99Us).padStart(13),
      String(trial.generator.lateOver1Ms).padStart(9),
      formatUs(trial.latency.endToEnd.p50Us).padStart(8),
      formatUs(trial.latency.endToEnd.p99Us).padStart(10),
    ].join(" "),
  );
  if (!sustained || controller.signal.aborted) break;
  best = { rate, cpuUs, latenessP99Us: trial.generator.lateness.p99Us ?? Number.NaN };
}

if (best === undefined) {
  console.log("\nno rate was sustained");
  process.exitCode = 1;
} else {
  const met = {
    rate: best.rate >= TARGET_RATE_PER_SECOND,
    cpu: best.cpuUs <= TARGET_CPU_US_PER_UPDATE,
    lateness: best.latenessP99Us < TARGET_LATENESS_P99_US,
  };
  console.log(
    `\nhighest sustained rate: ${best.rate} updates/s (target >= ${TARGET_RATE_PER_SECOND}: ${met.rate ? "met" : "NOT met"})`,
  );
  console.log(
    `harness CPU per update there: ${formatUs(best.cpuUs)} (target <= ${TARGET_CPU_US_PER_UPDATE} µs: ${met.cpu ? "met" : "NOT met"})`,
  );
  console.log(
    `generator lateness p99 there: ${formatUs(best.latenessP99Us)} (target < 1 ms: ${met.lateness ? "met" : "NOT met"})`,
  );
  process.exitCode = met.rate && met.cpu && met.lateness ? 0 : 1;
}
