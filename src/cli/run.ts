import type { CommandModule } from "yargs";
import { harnessCeilingForRun } from "../calibration/index.ts";
import { ceilingLine } from "../report/harness-limit.ts";
import { renderMarkdown } from "../report/markdown.ts";
import { runDirectory, writeJobSummary, writeReport } from "../report/writer.ts";
import { QUICK_OVERRIDES } from "../runner/defaults.ts";
import { runScenario } from "../runner/run.ts";
import { type ResolvedScenario, resolveScenario, ScenarioError } from "../runner/scenario.ts";
import { ProgressDisplay } from "./progress.ts";
import { runOptions, scenarioOptionsFrom } from "./run-options.ts";
import { UsageError } from "./usage-error.ts";
import { TOOL_VERSION } from "./version.ts";

/** What a control token may be (the fake API's own rule, resolveFakeApiOptions). */
const CONTROL_TOKEN_FORMAT = /^[\x21-\x7e]{16,256}$/;

/** Exit codes of `tgbench run` (documented in README). */
export const RUN_EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export const runCommand: CommandModule = {
  command: "run",
  describe: "Measure bots in a sweep of modes and rates; writes results/<timestamp>-<scenario>/",
  builder: (y) => runOptions(y),
  handler: async (argv) => {
    const args = argv as unknown as Parameters<typeof scenarioOptionsFrom>[0];
    let scenario: ResolvedScenario;
    try {
      scenario = resolveScenario(scenarioOptionsFrom(args, QUICK_OVERRIDES));
    } catch (error: unknown) {
      if (error instanceof ScenarioError) throw new UsageError(error.message);
      throw error;
    }
    // The fake APIs' control token, to watch a run from outside (their /__tgbench/ counters).
    const controlToken = process.env.TGBENCH_CONTROL_TOKEN || undefined;
    if (controlToken !== undefined && !CONTROL_TOKEN_FORMAT.test(controlToken)) {
      throw new UsageError("TGBENCH_CONTROL_TOKEN must be 16-256 printable ASCII characters without spaces");
    }
    const render = args.traffic === undefined ? {} : { trafficPerDay: [args.traffic].flat() as number[] };
    const directory = runDirectory(args["results-dir"], scenario.name + (args.quick ? "-quick" : ""));
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts === 1) {
        process.stderr.write(
          "\nInterrupted: stopping the bot and writing a partial report (Ctrl-C again to quit now)\n",
        );
        controller.abort();
      } else {
        process.exit(RUN_EXIT.interrupted);
      }
    };
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigint);
    const progress = new ProgressDisplay();
    try {
      if (!args.json && args.calibrate !== false) {
        process.stderr.write("Calibrating the harness's ceiling on this machine (--no-calibrate skips it)\n");
      }
      const harnessCeiling = await harnessCeilingForRun({
        enabled: args.calibrate !== false,
        signal: controller.signal,
      });
      if (!args.json) process.stderr.write(`${ceilingLine(harnessCeiling)}\n`);
      const report = await runScenario(scenario, {
        signal: controller.signal,
        toolVersion: TOOL_VERSION,
        ...(controlToken === undefined ? {} : { controlToken }),
        emit: args.json ? undefined : (event) => progress.print(event),
        onProgress: async (partial) => {
          await writeReport(directory, { ...partial, harnessCeiling }, render);
        },
      });
      report.harnessCeiling = harnessCeiling;
      if (controller.signal.aborted) report.partial = true;
      const files = await writeReport(directory, report, render);
      await writeJobSummary(report, process.env, render);
      if (args.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        process.stdout.write(`\n${renderMarkdown(report, render)}\n`);
        process.stderr.write(`Reports: ${files.join(", ")}\n`);
      }
      // Unsupported cells (a bot without that mode) are not failures; a bot that failed to start,
      // crashed mid-run or left the ledger unbalanced is (the runner marks those cells failed).
      const failed = report.cells.some((cell) => cell.status === "failed");
      process.exitCode = report.partial ? RUN_EXIT.interrupted : failed ? RUN_EXIT.failed : RUN_EXIT.ok;
    } finally {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigint);
    }
  },
};
