import type { Argv } from "yargs";
import { ARRIVAL_PROCESSES } from "../generator/index.ts";
import { SCENARIO_DEFAULTS } from "../runner/defaults.ts";
import { MODE_NAMES } from "../runner/modes.ts";
import { type ScenarioOptions, WEBHOOK_FRONTS } from "../runner/scenario.ts";
import { NAMED_SCENARIOS } from "../runner/scenario-registry.ts";
import { BUILT_IN_SUBJECTS } from "../subjects/registry.ts";

/** The options of `tgbench run`; every scenario option is also a flag. */
export function runOptions<T>(y: Argv<T>) {
  return y
    .option("scenario", {
      type: "string",
      choices: Object.keys(NAMED_SCENARIOS),
      describe: "A named scenario (bench/scenarios/)",
    })
    .option("bot", {
      type: "array",
      string: true,
      choices: Object.keys(BUILT_IN_SUBJECTS),
      describe: "Built-in bot(s) to measure",
    })
    .option("bot-command", {
      type: "array",
      string: true,
      describe:
        'Any other bot, beside the --bot ones (repeat it for several): "label=command", or "label:polling=…" ' +
        "to declare its modes; run by sh -c (env contract in docs/bot-contract.md)",
    })
    .option("mode", { type: "array", string: true, choices: MODE_NAMES, describe: "Delivery mode(s)" })
    .option("rate", { type: "array", number: true, describe: "Arrival rate(s), updates per second" })
    .option("arrival", {
      type: "string",
      choices: Object.keys(ARRIVAL_PROCESSES),
      describe: "Arrival process",
    })
    .option("timeline", {
      type: "string",
      describe: "replay: file of relative timestamps (ms), one per line",
    })
    .option("duration", { type: "number", describe: "Measured seconds per trial" })
    .option("max-updates", { type: "number", describe: "Stop each trial after this many updates" })
    .option("warmup-updates", {
      type: "number",
      describe: "Updates answered before measuring (not measured)",
    })
    .option("trials", { type: "number", describe: "Trials per cell" })
    .option("seed", { type: "string", describe: "Seed of the update stream" })
    .option("poll-interval-ms", { type: "number", describe: "Short polling: one getUpdates every N ms" })
    .option("poll-timeout", {
      type: "number",
      describe: "Long polling timeout in seconds (default: the framework's)",
    })
    .option("max-connections", { type: "number", describe: "Webhook max_connections" })
    .option("webhook-reply", {
      type: "boolean",
      describe: "Answer in the webhook response body where the bot can",
    })
    .option("handler-delay-ms", { type: "number", describe: "Simulated work per update in the bot" })
    .option("anti-busy-loop", {
      type: "boolean",
      describe: "Telegram's 3 s hold for repeated short polls (default on)",
    })
    .option("drain-timeout-ms", { type: "number", describe: "Wait this long for the last replies" })
    .option("start-timeout", {
      type: "number",
      describe: `Seconds a bot may take to become ready and to answer its warm-up (default ${SCENARIO_DEFAULTS.startupTimeoutMs / 1000})`,
    })
    .option("webhook-front", {
      type: "string",
      choices: WEBHOOK_FRONTS,
      describe:
        "What is in front of a webhook bot: nothing (direct, as telegram-bot-api) or a reverse proxy on " +
        "127.0.0.1 (proxy, as nginx in production: for frameworks that set the webhook before they listen)",
    })
    .option("users", { type: "number", describe: "Simulated users" })
    .option("groups", { type: "number", describe: "Simulated group chats" })
    .option("quick", { type: "boolean", default: false, describe: "A short smoke run of the same sweep" })
    .option("json", {
      type: "boolean",
      default: false,
      describe: "Print the report as JSON on stdout, nothing else",
    })
    .option("results-dir", { type: "string", default: "results", describe: "Where reports are written" });
}

type RunArgs = Awaited<ReturnType<ReturnType<typeof runOptions>["parse"]>>;

/** Which flag sets which scenario option (and how, when the units differ). */
const FLAG_TO_OPTION: ReadonlyArray<
  readonly [flag: string, option: keyof ScenarioOptions, convert?: (v: never) => unknown]
> = [
  ["bot", "bots"],
  ["bot-command", "botCommands"],
  ["mode", "modes"],
  ["rate", "ratesPerSecond"],
  ["arrival", "arrival"],
  ["timeline", "timelineFile"],
  ["duration", "durationMs", (seconds: number) => seconds * 1000],
  ["max-updates", "maxUpdates"],
  ["warmup-updates", "warmupUpdates"],
  ["trials", "trials"],
  ["seed", "seed"],
  ["poll-interval-ms", "pollIntervalMs"],
  ["poll-timeout", "pollTimeoutSeconds"],
  ["max-connections", "webhookMaxConnections"],
  ["webhook-reply", "webhookReply"],
  ["handler-delay-ms", "handlerDelayMs"],
  ["anti-busy-loop", "antiBusyLoop"],
  ["drain-timeout-ms", "drainTimeoutMs"],
  ["start-timeout", "startupTimeoutMs", (seconds: number) => seconds * 1000],
  ["webhook-front", "webhookFront"],
  ["users", "users"],
  ["groups", "groups"],
];

/** Command-line flags → scenario options (flags win over `--quick`, which wins over the named scenario). */
export function scenarioOptionsFrom(
  args: RunArgs,
  quickOverrides: Readonly<ScenarioOptions>,
): ScenarioOptions {
  const named = args.scenario === undefined ? {} : NAMED_SCENARIOS[args.scenario];
  const flags: Record<string, unknown> = {};
  for (const [flag, option, convert] of FLAG_TO_OPTION) {
    const value = (args as Record<string, unknown>)[flag];
    if (value !== undefined) flags[option] = convert === undefined ? value : convert(value as never);
  }
  return { ...named, ...(args.quick ? quickOverrides : {}), ...(flags as ScenarioOptions) };
}
