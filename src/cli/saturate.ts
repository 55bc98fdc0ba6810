import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { SATURATE_DEFAULTS, SATURATE_LIMITS } from "../capacity/defaults.ts";
import { renderSaturateMarkdown } from "../capacity/markdown.ts";
import { resolveSaturateOptions, SaturateOptionError } from "../capacity/options.ts";
import { type SaturateEvent, saturate } from "../capacity/saturate.ts";
import { saturateScenario } from "../capacity/scenario.ts";
import { runDirectory } from "../report/writer.ts";
import { type ResolvedScenario, ScenarioError } from "../runner/scenario.ts";
import { UsageError } from "./usage-error.ts";
import { TOOL_VERSION } from "./version.ts";

interface SaturateArgs {
  bot?: string;
  "bot-command"?: string;
  mode: string;
  "handler-delay-ms": number;
  duration: number;
  "max-rate"?: number;
  connections: number;
  prefill: number;
  "results-dir": string;
}

export const saturateCommand: CommandModule = {
  command: "saturate",
  describe:
    "The highest sustained update rate of a bot in a mode, and the knee; writes results/<timestamp>-saturate/",
  builder: (y) =>
    y
      .option("bot", { type: "string", describe: `A built-in bot (default ${SATURATE_DEFAULTS.bot})` })
      .option("bot-command", {
        type: "string",
        describe: "Your own bot instead, as `run` takes it: label[:modes]=command",
      })
      .option("mode", {
        type: "string",
        default: SATURATE_DEFAULTS.mode,
        describe: "short-polling, long-polling or webhook",
      })
      .option("handler-delay-ms", {
        type: "number",
        default: SATURATE_DEFAULTS.handlerDelayMs,
        describe: "The bot's simulated handler time",
      })
      .option("duration", {
        type: "number",
        default: SATURATE_DEFAULTS.durationMs,
        describe: "ms of the closed loop and of each open-loop step",
      })
      .option("max-rate", {
        type: "number",
        describe: `Highest offered rate of the open loop, updates/s (default: ${Math.max(...SATURATE_DEFAULTS.stepFractions)} × the closed-loop capacity, at most ${SATURATE_LIMITS.maxRatePerSecond})`,
      })
      .option("connections", {
        type: "number",
        default: SATURATE_DEFAULTS.connections,
        describe: "autocannon's connections (webhook)",
      })
      .option("prefill", {
        type: "number",
        default: SATURATE_DEFAULTS.prefillUpdates,
        describe: "Updates queued for the polling drain",
      })
      .option("results-dir", { type: "string", default: "results", describe: "Where results are written" }),
  handler: async (argv) => {
    const args = argv as unknown as SaturateArgs;
    let scenario: ResolvedScenario;
    let options: ReturnType<typeof resolveSaturateOptions>;
    try {
      options = resolveSaturateOptions({
        durationMs: args.duration,
        ...(args["max-rate"] === undefined ? {} : { maxRatePerSecond: args["max-rate"] }),
        connections: args.connections,
        prefillUpdates: args.prefill,
      });
      scenario = saturateScenario(
        {
          ...(args.bot === undefined ? {} : { bot: args.bot }),
          ...(args["bot-command"] === undefined ? {} : { botCommand: args["bot-command"] }),
          mode: args.mode,
          handlerDelayMs: args["handler-delay-ms"],
        },
        options,
      );
    } catch (error: unknown) {
      if (error instanceof ScenarioError || error instanceof SaturateOptionError)
        throw new UsageError(error.message);
      throw error;
    }
    if (scenario.subjects.length !== 1)
      throw new UsageError("saturate measures one bot: name one --bot or one --bot-command");
    const controller = new AbortController();
    const onSignal = () => {
      process.stderr.write("\nInterrupted: stopping the bot\n");
      controller.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const result = await saturate(scenario, options, {
        signal: controller.signal,
        toolVersion: TOOL_VERSION,
        emit: print,
      });
      const directory = runDirectory(args["results-dir"], "saturate");
      await mkdir(directory, { recursive: true });
      const markdown = renderSaturateMarkdown(result);
      await writeFile(join(directory, "saturate.json"), `${JSON.stringify(result, null, 2)}\n`);
      await writeFile(join(directory, "saturate.md"), markdown);
      process.stdout.write(`\n${markdown}\n`);
      process.stderr.write(`Results: ${directory}\n`);
      if (controller.signal.aborted) process.exitCode = 130;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};

function print(event: SaturateEvent): void {
  if (event.type === "phase") process.stderr.write(`${event.message}\n`);
  else if (event.type === "closed-loop")
    process.stderr.write(`closed loop: ${event.result.repliesPerSecond.toFixed(1)} replies/s (capacity)\n`);
  else {
    const s = event.step;
    process.stderr.write(
      `open loop ${s.targetPerSecond}/s: offered ${s.offeredPerSecond.toFixed(0)}/s, kept up ${s.keptUp ? "yes" : "no"}, p50 ${s.p50Us === null ? "–" : (s.p50Us / 1000).toFixed(2)} ms${s.harnessBound ? ", harness-bound" : ""}\n`,
    );
  }
}
