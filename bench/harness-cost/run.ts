/**
 * What the harness costs per update, against the least any harness could cost at the same rate
 * (issue #14), and the highest rate it sustains with the reference bot in webhook mode.
 *
 *   npm run bench:harness-cost [-- --rates 100,1000,2000,…,8000 --duration-seconds 5 --repeats 3 --precise-floor --cpu-prof]
 *
 * At every rate, two steps run, each in a fresh process of its own started the same way
 * (`node --import tsx <step>.ts --rate R …`), each launching the same reference bot from the same
 * scenario (same command, same environment contract) in a child process of its own:
 * - harness (harness-step.ts): the whole pipeline through the runner, as `tgbench run` does it —
 *   generator → fake API → webhook dispatcher → bot → sendMessage → reply matching → histograms;
 * - floor (floor-step.ts): what one update minimally costs here: a timer that sleeps until the next
 *   due time, one webhook POST with a bare undici Pool to the bot's node:http server, and the
 *   bot's one JSON request (sendMessage) to a bare fastify route.
 * With --precise-floor a third step runs beside them: the floor handing over what is due also on
 * every call the bot makes and every webhook answer, as the runner's pokes do (floor-step.ts
 * `--hand-over precise`). It is not the issue's floor and is never judged; its ratio says how much
 * of the harness's cost is the price of sub-millisecond hand-over.
 * All count process.cpuUsage() of their own process (the bot's CPU is on neither side) over the
 * same window (schedule + drain, after the same warm-up of 2,000 updates at the same spacing),
 * divided by the updates generated in it. So the two figures differ only by what the harness does
 * beyond the floor. The sides alternate which runs first from rate to rate, so a machine that gets
 * busier during the run does not always penalise the same side.
 *
 * Prints per pair: harness and floor CPU µs/update, their ratio, whether each side kept up; per rate
 * (`--repeats` pairs, 3 by default, the order of the sides alternating) the medians, the ratio being
 * the median of the pairs' ratios with their range; then the highest sustained rate. Stepping stops after the first rate the harness does not
 * sustain. Writes results/<UTC stamp>-harness-cost/harness-cost.{json,md}; with --cpu-prof also
 * every step's V8 CPU profile there (profiles/<side>-<rate>.cpuprofile, `node --cpu-prof`) and
 * their top self-time functions over the measured window.
 *
 * Targets: harness/floor ≤ 1.5× at every rate from 100/s to the highest sustained; ≥ 5,000
 * updates/s sustained. Exit code 1 when a target is not met.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { runDirectory } from "../../src/report/writer.ts";
import { type CpuProfile, type SelfTimeSummary, topSelfTime } from "./cpu-profile.ts";
import {
  type HarnessCostContext,
  type RatePair,
  renderHarnessCostJson,
  renderHarnessCostMarkdown,
  summarise,
  summaryLine,
  tableHeader,
  tableRow,
  verdictLines,
  verdictOf,
} from "./render.ts";
import { STEP_DEFAULTS, type StepResult, type StepSettings, type StepSide, stepCommand } from "./step.ts";

const DEFAULT_RATES = "100,1000,2000,3000,4000,5000,6000,7000,8000";
/** Beyond its schedule, drain and start-up, a step gets this long before it is killed. */
const STEP_SLACK_MS = 60_000;
const STARTUP_ALLOWANCE_MS = 30_000;
const PROFILE_TOP = 15;
const PROFILED_NOTE =
  "note: both sides ran under the CPU profiler, so their figures include its cost; take the figures from a run without --cpu-prof";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const args = yargs(hideBin(process.argv))
  .option("rates", { type: "string", default: DEFAULT_RATES, describe: "Rates to step through (updates/s)" })
  .option("duration-seconds", {
    type: "number",
    default: STEP_DEFAULTS.durationMs / 1000,
    describe: "Measured seconds per step",
  })
  .option("warmup-updates", {
    type: "number",
    default: STEP_DEFAULTS.warmupUpdates,
    describe: "Unmeasured updates first",
  })
  .option("repeats", {
    type: "number",
    default: 3,
    describe: "Pairs (harness + floor) per rate; each rate is judged on the median of its pairs' ratios",
  })
  .option("precise-floor", {
    type: "boolean",
    default: false,
    describe: "Also run the floor with the runner's precise hand-over (shown beside, not judged)",
  })
  .option("cpu-prof", {
    type: "boolean",
    default: false,
    describe: "Profile every step (node --cpu-prof)",
  })
  .option("results-dir", {
    type: "string",
    default: "results",
    describe: "Where results/<stamp>-harness-cost/ goes",
  })
  .strict()
  .parseSync();
const rates = args.rates.split(",").map(Number);
if (rates.length === 0 || rates.some((r) => !(r > 0) || !Number.isFinite(r))) {
  console.error(`--rates must be positive numbers separated by commas, got ${args.rates}`);
  process.exit(2);
}
if (!(args["duration-seconds"] > 0) || !(args["warmup-updates"] >= 0)) {
  console.error("--duration-seconds must be > 0 and --warmup-updates >= 0");
  process.exit(2);
}
if (!Number.isInteger(args.repeats) || args.repeats < 1) {
  console.error(`--repeats must be a whole number ≥ 1, got ${args.repeats}`);
  process.exit(2);
}

const startedAt = new Date();
const directory = runDirectory(args["results-dir"], "harness-cost", startedAt);
const profileDir = join(directory, "profiles");
const live = new Set<ChildProcess>();
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopping = true;
    for (const child of live) child.kill(signal);
  });
}

/**
 * Runs one step in a child process; its last stdout line is the result. Undefined when the run
 * is being stopped (Ctrl-C) or the step printed no result (said on stderr).
 */
async function runStep(
  side: StepSide,
  settings: StepSettings,
  repeat: number,
): Promise<StepResult | undefined> {
  const profile = args["cpu-prof"]
    ? [
        "--cpu-prof",
        "--cpu-prof-dir",
        profileDir,
        "--cpu-prof-name",
        profileName(side, settings.ratePerSecond, repeat),
      ]
    : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", ...stepCommand(side, settings)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  live.add(child);
  const limitMs = settings.durationMs + settings.drainTimeoutMs + STARTUP_ALLOWANCE_MS + STEP_SLACK_MS;
  const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  live.delete(child);
  const last = stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last) as StepResult;
  } catch {
    if (!stopping)
      console.error(`${side} step at ${settings.ratePerSecond}/s printed no result (exit ${code})`);
    return undefined;
  }
}

/** The profile of a step: only the first pair of a rate is named without its repeat. */
const profileName = (side: StepSide, rate: number, repeat: number) =>
  `${side}-${rate}${repeat === 0 ? "" : `-${repeat + 1}`}.cpuprofile`;

async function profileSummary(file: string, window: StepResult["window"]): Promise<SelfTimeSummary> {
  const text = await readFile(join(directory, file), "utf8");
  return topSelfTime(JSON.parse(text) as CpuProfile, { window, limit: PROFILE_TOP, root: ROOT });
}

const precise = args["precise-floor"];
/** The sides of every pair; which runs first rotates from pair to pair. */
const sides: StepSide[] = precise ? ["floor", "harness", "precise-floor"] : ["floor", "harness"];
const loadBefore = loadavg()[0]!;
console.log(
  `harness cost: reference bot, webhook, ${args["duration-seconds"]} s per step, ${args.repeats} pair${args.repeats === 1 ? "" : "s"} per rate, rates ${rates.join(", ")}/s; ${precise ? "harness, floor and precise floor take turns first" : "harness and floor alternate"}`,
);
console.log(tableHeader(precise));
const pairs: RatePair[] = [];
const profiles: { file: string; summary: SelfTimeSummary }[] = [];
let failedStep = false;
let step = 0;
stepping: for (const rate of rates) {
  const settings: StepSettings = {
    ratePerSecond: rate,
    durationMs: args["duration-seconds"] * 1000,
    warmupUpdates: args["warmup-updates"],
    drainTimeoutMs: STEP_DEFAULTS.drainTimeoutMs,
  };
  let sustained = true;
  for (let repeat = 0; repeat < args.repeats; repeat++) {
    if (stopping) break stepping;
    const shift = step++ % sides.length;
    const order: StepSide[] = [...sides.slice(shift), ...sides.slice(0, shift)];
    const results: Partial<Record<StepSide, StepResult>> = {};
    for (const side of order) {
      if (!stopping) results[side] = await runStep(side, settings, repeat);
    }
    if (
      results.harness === undefined ||
      results.floor === undefined ||
      (precise && !results["precise-floor"])
    ) {
      if (!stopping) failedStep = true;
      break stepping;
    }
    const pair: RatePair = {
      ratePerSecond: rate,
      first: order[0]!,
      harness: results.harness,
      floor: results.floor,
      ...(precise ? { preciseFloor: results["precise-floor"] } : {}),
    };
    pairs.push(pair);
    console.log(tableRow(pair, precise));
    for (const side of order) {
      const failure = results[side]!.failure;
      if (failure !== undefined) console.log(`  ${side} at ${rate}/s: ${failure}`);
    }
    if (args["cpu-prof"] && repeat === 0) {
      for (const side of sides) {
        const file = `profiles/${profileName(side, rate, repeat)}`;
        const summary = await profileSummary(file, results[side]!.window).catch(() => null);
        if (summary !== null) profiles.push({ file, summary });
      }
    }
    if (!results.harness.sustained) sustained = false;
  }
  const summary = summarise(pairs).find((r) => r.ratePerSecond === rate);
  if (args.repeats > 1 && summary !== undefined) console.log(summaryLine(summary));
  // A rate the harness did not sustain every time ends the stepping.
  if (!sustained) break;
}

const verdict = verdictOf(pairs);
console.log("");
if (stopping) console.log("stopped by a signal: the results below are partial");
console.log("floor = timer-paced bare undici webhook POST + the bot's JSON request to a bare fastify route");
if (precise)
  console.log("precise floor = the same, also handing over what is due on every call and webhook answer");
for (const line of verdictLines(verdict)) console.log(line);
if (args["cpu-prof"]) console.log(PROFILED_NOTE);
for (const { file, summary } of profiles) {
  const where = summary.windowed ? "measured window" : "whole process";
  console.log(
    `\ntop self time, ${file} (${where}: ${summary.totalMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle):`,
  );
  for (const row of summary.rows) {
    console.log(
      `  ${row.selfMs.toFixed(1).padStart(8)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}  ${row.location}`,
    );
  }
}

const context: HarnessCostContext = {
  startedAt: startedAt.toISOString(),
  durationSeconds: args["duration-seconds"],
  warmupUpdates: args["warmup-updates"],
  node: process.versions.node,
  cpu: cpus()[0]?.model.trim() ?? "unknown",
  cores: cpus().length,
  loadAverage: { before: loadBefore, after: loadavg()[0]! },
  profiled: args["cpu-prof"],
};
await mkdir(directory, { recursive: true });
for (const [file, text] of [
  ["harness-cost.json", renderHarnessCostJson(pairs, context, profiles)],
  ["harness-cost.md", renderHarnessCostMarkdown(pairs, context, profiles)],
] as const) {
  const path = join(directory, file);
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}
console.log(`\nwrote ${directory}/harness-cost.{json,md}`);
process.exitCode = stopping ? 130 : !failedStep && verdict.rateMet && verdict.ratioMet ? 0 : 1;
