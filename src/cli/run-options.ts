import type { Argv } from "yargs";
import { ARRIVAL_PROCESSES } from "../generator/index.ts";
import { REPORT_DEFAULTS } from "../report/defaults.ts";
import { SCENARIO_DEFAULTS, SCENARIO_LIMITS } from "../runner/defaults.ts";
import { MODE_NAMES } from "../runner/modes.ts";
import { type ScenarioOptions, WEBHOOK_FRONTS } from "../runner/scenario.ts";
import { NAMED_SCENARIOS } from "../runner/scenario-registry.ts";
import { BUILT_IN_SUBJECTS } from "../subjects/registry.ts";
import { numberFlag, secondsFlag } from "./flag-values.ts";
import { networkOptions, networkOptionsFrom } from "./network-options.ts";

/** The scenario `tgbench run` runs when no `--scenario` is given: what `npm run bench` runs. */
export const DEFAULT_SCENARIO = "default";

/** What a flag defaults to, as help shows it: the default scenario's value, else the runner's. */
function shown(option: keyof ScenarioOptions, format: (v: never) => string = String): string {
  const named = NAMED_SCENARIOS[DEFAULT_SCENARIO] as Record<string, unknown> | undefined;
  const value = named?.[option] ?? (SCENARIO_DEFAULTS as Record<string, unknown>)[option];
  if (value === undefined) return "none";
  return Array.isArray(value) ? value.map((v) => format(v as never)).join(", ") : format(value as never);
}

const ms = (v: number) => `${v} ms`;
const seconds = (v: number) => `${v / 1000} s`;
const rates = (v: number) => (v < 1 ? `${Number((v * 60).toFixed(2))}/min` : `${v}/s`);

/** `--duration`'s default as help shows it: the default scenario's per-rate rule, else its duration. */
function shownDuration(): string {
  const named = NAMED_SCENARIOS[DEFAULT_SCENARIO];
  const rule = named?.durationMs === undefined ? named?.cellDuration : undefined;
  if (rule === undefined) return shown("durationMs", seconds);
  return `sized to each rate: ${rule.updatesPerCell} updates, ${seconds(rule.minMs)} to ${seconds(rule.maxMs)}`;
}

/** The options of `tgbench run`; every scenario option is also a flag. */
export function runOptions<T>(y: Argv<T>) {
  const n = (flag: string, unit: string) => ({ type: "string" as const, coerce: numberFlag(flag, unit) });
  return networkOptions(y)
    .option("scenario", {
      type: "string",
      choices: Object.keys(NAMED_SCENARIOS),
      default: DEFAULT_SCENARIO,
      describe: "A named scenario (bench/scenarios/); other flags change it",
    })
    .option("bot", {
      type: "array",
      string: true,
      describe: `Built-in bot(s) to measure: ${Object.keys(BUILT_IN_SUBJECTS).join(", ")}`,
      defaultDescription: shown("bots"),
    })
    .option("bot-command", {
      type: "array",
      string: true,
      describe:
        'Any other bot, beside the --bot ones (repeat it for several): "label=command", or "label:polling=…" ' +
        "to declare its modes; run by sh -c (env contract in docs/bot-contract.md)",
    })
    .option("mode", {
      type: "array",
      string: true,
      choices: MODE_NAMES,
      describe: "Delivery mode(s)",
      defaultDescription: shown("modes"),
    })
    .option("rate", {
      type: "array",
      string: true,
      coerce: numberFlag("rate", "updates per second"),
      describe: "Arrival rate(s), updates per second (0.0167 = one a minute)",
      defaultDescription: shown("ratesPerSecond", rates),
    })
    .option("arrival", {
      type: "string",
      choices: Object.keys(ARRIVAL_PROCESSES),
      describe: "Arrival process",
      defaultDescription: shown("arrival"),
    })
    .option("timeline", {
      type: "string",
      describe: "replay: file of relative timestamps (ms), one per line",
    })
    .option("duration", {
      type: "string",
      coerce: secondsFlag("duration", SCENARIO_LIMITS.maxDurationMs / 1000),
      describe: "Measured seconds per trial, the same for every cell",
      defaultDescription: shownDuration(),
    })
    .option("max-updates", {
      ...n("max-updates", "updates"),
      describe: "Stop each trial after this many updates",
    })
    .option("warmup-updates", {
      ...n("warmup-updates", "updates"),
      describe: "Updates answered before measuring (not measured)",
      defaultDescription: shown("warmupUpdates"),
    })
    .option("trials", {
      ...n("trials", "trials"),
      describe: "Trials per cell",
      defaultDescription: shown("trials"),
    })
    .option("seed", {
      type: "string",
      describe: "Seed of the update stream",
      defaultDescription: shown("seed"),
    })
    .option("poll-interval-ms", {
      ...n("poll-interval-ms", "milliseconds"),
      describe: "Short polling: one getUpdates every N ms",
      defaultDescription: shown("pollIntervalMs", ms),
    })
    .option("poll-timeout", {
      ...n("poll-timeout", "seconds"),
      describe: "Long polling timeout in seconds",
      defaultDescription: "the framework's",
    })
    .option("max-connections", {
      ...n("max-connections", "connections"),
      describe: "Webhook max_connections",
      defaultDescription: shown("webhookMaxConnections"),
    })
    .option("webhook-reply", {
      type: "boolean",
      describe: "Answer in the webhook response body where the bot can",
      defaultDescription: shown("webhookReply"),
    })
    .option("handler-delay-ms", {
      ...n("handler-delay-ms", "milliseconds"),
      describe: "Simulated work per update in the bot",
      defaultDescription: shown("handlerDelayMs", ms),
    })
    .option("anti-busy-loop", {
      type: "boolean",
      describe: "Telegram's 3 s hold for repeated short polls",
      defaultDescription: shown("antiBusyLoop"),
    })
    .option("drain-timeout-ms", {
      ...n("drain-timeout-ms", "milliseconds"),
      describe: "Wait this long for the last replies",
      defaultDescription: shown("drainTimeoutMs", ms),
    })
    .option("start-timeout", {
      type: "string",
      coerce: secondsFlag("start-timeout", 600),
      describe: "Seconds a bot may take to become ready and to answer its warm-up",
      defaultDescription: shown("startupTimeoutMs", seconds),
    })
    .option("webhook-front", {
      type: "string",
      choices: WEBHOOK_FRONTS,
      describe:
        "What is in front of a webhook bot: nothing (direct, as telegram-bot-api) or a reverse proxy on " +
        "127.0.0.1 (proxy, as nginx in production: for frameworks that set the webhook before they listen)",
      defaultDescription: shown("webhookFront"),
    })
    .option("users", {
      ...n("users", "users"),
      describe: "Simulated users",
      defaultDescription: "the generator's",
    })
    .option("groups", {
      ...n("groups", "group chats"),
      describe: "Simulated group chats",
      defaultDescription: "the generator's",
    })
    .option("traffic", {
      type: "array",
      string: true,
      coerce: numberFlag("traffic", "updates per day"),
      describe: "Updates per day to cost a month at, in the reports",
      defaultDescription: REPORT_DEFAULTS.trafficPerDay.join(", "),
    })
    .option("quick", { type: "boolean", default: false, describe: "A short smoke run of the same sweep" })
    .option("json", {
      type: "boolean",
      default: false,
      describe: "Print the report as JSON on stdout, nothing else",
    })
    .option("results-dir", { type: "string", default: "results", describe: "Where reports are written" })
    .option("calibrate", {
      type: "boolean",
      default: true,
      describe:
        "Measure the harness's own ceiling first (a few seconds; reused for 24 h on the same commit and machine); --no-calibrate skips it",
    })
    .example("$0 run", "what `npm run bench` runs: every built-in bot, every mode, idle to high rates")
    .example("$0 run --quick", "the same sweep, short: a smoke test")
    .example(
      "$0 run --bot aiogram --rate 0.0167 1 200",
      "aiogram alone at one update a minute, 1/s and 200/s",
    )
    .example("$0 run --bot grammy --bot-command 'mine=node my-bot.mjs'", "your own bot beside grammY")
    .example("$0 run --traffic 5000", "and cost a month at 5000 updates a day");
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

/**
 * Command-line flags → scenario options (flags win over `--quick`, which wins over the named
 * scenario, `default` when none is named). `--bot-command` without `--bot` replaces the scenario's
 * built-in bots. `--duration` (and `--quick`'s) is every cell's: it replaces a scenario's
 * per-rate rule (resolveScenario).
 */
export function scenarioOptionsFrom(
  args: RunArgs,
  quickOverrides: Readonly<ScenarioOptions>,
): ScenarioOptions {
  const named = NAMED_SCENARIOS[args.scenario] ?? {};
  const flags: Record<string, unknown> = {};
  for (const [flag, option, convert] of FLAG_TO_OPTION) {
    const value = (args as Record<string, unknown>)[flag];
    if (value !== undefined) flags[option] = convert === undefined ? value : convert(value as never);
  }
  // --bot-command without --bot measures the custom bots alone (with the scenario's modes and rates).
  const replaced =
    flags.botCommands !== undefined && flags.bots === undefined ? { bots: [], description: "" } : {};
  // The network flags replace the named scenario's network options one by one.
  const network = networkOptionsFrom(args as Record<string, unknown>);
  if (network !== undefined) flags.network = { ...named?.network, ...network };
  // Flags that name the bots, modes or networks ask for exactly those cells: the scenario's
  // exclusions (cells it leaves out to keep its own sweep short) no longer apply.
  if (["bots", "botCommands", "modes", "network"].some((option) => flags[option] !== undefined))
    flags.excludeCells = [];
  return { ...named, ...(args.quick ? quickOverrides : {}), ...replaced, ...(flags as ScenarioOptions) };
}
