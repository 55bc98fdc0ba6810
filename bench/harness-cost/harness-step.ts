/**
 * One harness step of `npm run bench:harness-cost`, in a process of its own (run.ts starts it):
 * the whole pipeline (generator → fake API → webhook POST → reference bot → sendMessage → reply
 * matching) at one rate, through the runner exactly as `tgbench run` does it. Prints a
 * {@link StepResult} as its last stdout line. The CPU figure is the runner's own: process.cpuUsage()
 * of this process over the measured window (schedule + drain), per generated update.
 *
 *   node --import tsx bench/harness-cost/harness-step.ts --rate 1000 [--duration-ms 5000 …]
 */
import { describeFailure } from "../../src/results/index.ts";
import { runScenario } from "../../src/runner/run.ts";
import {
  argumentsOrExit,
  hrtimeUs,
  mainThreadShare,
  parseStepArgs,
  printStepResult,
  type StepResult,
  stepScenario,
  threadCpuMs,
} from "./step.ts";

const settings = argumentsOrExit(() => parseStepArgs(process.argv.slice(2)));
const controller = new AbortController();
// Ctrl-C reaches this process twice (from the terminal and from run.ts): every signal just aborts.
process.on("SIGINT", () => controller.abort());
process.on("SIGTERM", () => controller.abort());

// The measured window starts 1 s before the first progress report and ends with the trial.
let window: StepResult["window"] = null;
let firstProgressUs: number | undefined;
let threadsAtFirstProgress: ReturnType<typeof threadCpuMs> = null;
let threadShare: number | null = null;
const report = await runScenario(stepScenario(settings), {
  toolVersion: "bench",
  signal: controller.signal,
  emit: (event) => {
    if (event.type === "trial-progress" && firstProgressUs === undefined) {
      firstProgressUs = hrtimeUs();
      threadsAtFirstProgress = threadCpuMs();
    }
    if (event.type === "trial-end" && firstProgressUs !== undefined) {
      window = { startUs: firstProgressUs - 1_000_000, endUs: hrtimeUs() };
      threadShare = mainThreadShare(threadsAtFirstProgress, threadCpuMs());
    }
  },
});

const cell = report.cells[0];
const trial = cell?.trials[0];
const base = { side: "harness" as const, ratePerSecond: settings.ratePerSecond };
if (trial === undefined) {
  const why =
    cell?.status === "failed" && cell.reasons[0] !== undefined
      ? describeFailure(cell.reasons[0])
      : cell?.status === "unsupported"
        ? cell.reason.message
        : "no result";
  printStepResult({
    ...base,
    generated: 0,
    answered: 0,
    answeredPerSecond: 0,
    backlogAtScheduleEnd: 0,
    sustained: false,
    measuredMs: 0,
    cpuMs: 0,
    cpuUsPerUpdate: null,
    mainThreadShare: null,
    latenessP99Us: 0,
    lateOver1Ms: 0,
    botCpuUsPerUpdate: null,
    endToEndP50Us: null,
    endToEndP99Us: null,
    window,
    failure: why,
  });
} else {
  printStepResult({
    ...base,
    generated: trial.ledger.generated,
    answered: trial.ledger.answered,
    answeredPerSecond: trial.throughput.answeredPerSecond ?? 0,
    backlogAtScheduleEnd: trial.throughput.backlogAtWindowEnd,
    sustained: trial.throughput.sustained && trial.ledger.balanced,
    measuredMs: trial.window.recordedMs,
    cpuMs: trial.cost.harnessCpuMs,
    cpuUsPerUpdate: trial.cost.harnessCpuUsPerUpdate,
    mainThreadShare: threadShare,
    latenessP99Us: trial.generator.lateness.p99Us ?? Number.NaN,
    lateOver1Ms: trial.generator.lateOver1Ms,
    botCpuUsPerUpdate: trial.cost.botCpuUsPerUpdate,
    endToEndP50Us: trial.latency.endToEnd.p50Us,
    endToEndP99Us: trial.latency.endToEnd.p99Us,
    window,
  });
}
