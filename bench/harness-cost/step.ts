/**
 * What the two sides of the harness-cost benchmark share: the scenario of a step (so the harness
 * and the floor run the same bot with the same environment at the same rate), the step's
 * command-line arguments, and the result each side prints as its last stdout line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { clockTicksPerSecond, parseProcStat } from "../../src/metrics/process-sampler.ts";
import { resolveScenario } from "../../src/runner/scenario.ts";
import { registerBench } from "../index.ts";

/**
 * Which side of the ratio a step measures: the harness, the floor (timer-paced), or the
 * same floor handing updates over as precisely as the runner does (`--precise-floor`).
 */
export type StepSide = "harness" | "floor" | "precise-floor";

/** The settings of one step, identical for both sides. */
export interface StepSettings {
  ratePerSecond: number;
  durationMs: number;
  warmupUpdates: number;
  drainTimeoutMs: number;
}

export const STEP_DEFAULTS = {
  durationMs: 5_000,
  /** As many as the harness-cost steps have always used: JIT and connections are warm. */
  warmupUpdates: 2_000,
  drainTimeoutMs: 5_000,
  /** The simulated users: replies spread over many chats, as in a real bot's traffic. */
  users: 1_000,
} as const;

/** One step's figures, from its own process. CPU is process.cpuUsage() over the measured window. */
export interface StepResult {
  side: StepSide;
  ratePerSecond: number;
  /** Updates offered in the measured window. */
  generated: number;
  answered: number;
  answeredPerSecond: number;
  /** Updates not answered yet when the schedule ended. */
  backlogAtScheduleEnd: number;
  /** Everything answered, the backlog at the schedule's end at most max(10, one second's worth). */
  sustained: boolean;
  /** Schedule + drain, ms. */
  measuredMs: number;
  /** CPU (user + system) of the step's own process over the window, ms. */
  cpuMs: number;
  cpuUsPerUpdate: number | null;
  /**
   * Share of that CPU spent on the main thread (JavaScript), the rest on V8's and libuv's helper
   * threads; from /proc at clock-tick resolution. Harness: over the window from its first
   * progress report (1 s in) to the trial's end. Null when unknown.
   */
  mainThreadShare: number | null;
  /** How late the pacing timer handed updates over: p99, µs. */
  latenessP99Us: number;
  lateOver1Ms: number;
  /** The bot's CPU per answered update (same bot on both sides), µs; null when unknown. */
  botCpuUsPerUpdate: number | null;
  /** Intended send → reply (harness side only), µs. */
  endToEndP50Us: number | null;
  endToEndP99Us: number | null;
  /** The measured window on the process.hrtime clock, µs, to cut a CPU profile to it. */
  window: { startUs: number; endUs: number } | null;
  /** Set when the step could not measure (the bot did not start, …). */
  failure?: string;
}

/** process.hrtime in µs: the clock V8's CPU profiles use on Linux. */
export const hrtimeUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** A step's settings from its command line (`--rate N --duration-ms N …`), as run.ts passes them. */
export function parseStepArgs(argv: readonly string[]): StepSettings {
  const value = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    if (at === -1) return fallback;
    const parsed = Number(argv[at + 1]);
    if (!(parsed >= 0) || !Number.isFinite(parsed)) throw new Error(`--${name} must be a number ≥ 0`);
    return parsed;
  };
  const ratePerSecond = value("rate", Number.NaN);
  if (!(ratePerSecond > 0)) throw new Error("--rate must be a positive number");
  return {
    ratePerSecond,
    durationMs: value("duration-ms", STEP_DEFAULTS.durationMs),
    warmupUpdates: value("warmup-updates", STEP_DEFAULTS.warmupUpdates),
    drainTimeoutMs: value("drain-timeout-ms", STEP_DEFAULTS.drainTimeoutMs),
  };
}

/** The script that measures `side` (both floors are floor-step.ts). */
export const stepScript = (side: StepSide): string =>
  fileURLToPath(new URL(side === "harness" ? "./harness-step.ts" : "./floor-step.ts", import.meta.url));

/** What follows `node --import tsx` to run one step of `side` with `settings`. */
export function stepCommand(side: StepSide, settings: StepSettings): string[] {
  const handOver = side === "precise-floor" ? ["--hand-over", "precise"] : [];
  return [stepScript(side), ...stepArgs(settings), ...handOver];
}

/** Reads a step's arguments with `read`; a mistake in them is one line on stderr and exit code 2. */
export function argumentsOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error: unknown) {
    console.error(`harness-cost step: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

/** The command-line arguments that {@link parseStepArgs} reads back. */
export function stepArgs(settings: StepSettings): string[] {
  return [
    "--rate",
    String(settings.ratePerSecond),
    "--duration-ms",
    String(settings.durationMs),
    "--warmup-updates",
    String(settings.warmupUpdates),
    "--drain-timeout-ms",
    String(settings.drainTimeoutMs),
  ];
}

/**
 * The scenario of a step: the reference bot in webhook mode, constant arrivals, text messages
 * from 1,000 users. The floor launches its bot from this very scenario (subjectLaunchSpec), so
 * both sides run the same command with the same environment.
 */
export function stepScenario(settings: StepSettings) {
  registerBench();
  return resolveScenario({
    name: "harness-cost",
    bots: ["reference"],
    modes: ["webhook"],
    ratesPerSecond: [settings.ratePerSecond],
    arrival: "constant",
    durationMs: settings.durationMs,
    warmupUpdates: settings.warmupUpdates,
    drainTimeoutMs: settings.drainTimeoutMs,
    users: STEP_DEFAULTS.users,
    groups: 0,
    mix: { text: 1 },
  });
}

/** Whether a step kept up, by the runner's rule (TrialProbe: backlog ≤ max(10, rate)). */
export function keptUp(ratePerSecond: number, backlogAtScheduleEnd: number, allAnswered: boolean): boolean {
  return allAnswered && backlogAtScheduleEnd <= Math.max(10, ratePerSecond);
}

/** Prints the result as the step's last stdout line, where run.ts reads it. */
export function printStepResult(result: StepResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * CPU of this process's threads so far, ms, from /proc/self/task (clock-tick resolution): the
 * main thread (where JavaScript runs) and all others (GC helpers, compiler, libuv pool); null
 * where /proc is not there.
 */
export function threadCpuMs(): { mainMs: number; otherMs: number } | null {
  try {
    let mainMs = 0;
    let otherMs = 0;
    const ticks = clockTicksPerSecond();
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = parseProcStat(readFileSync(`/proc/self/task/${tid}/stat`, "utf8"), ticks);
      if (stat === undefined) continue;
      const ms = stat.cpuUserMs + stat.cpuSystemMs;
      if (Number(tid) === process.pid) mainMs += ms;
      else otherMs += ms;
    }
    return { mainMs, otherMs };
  } catch {
    return null;
  }
}

/** The main thread's share of the CPU between two {@link threadCpuMs} readings; null if unknown. */
export function mainThreadShare(
  start: ReturnType<typeof threadCpuMs>,
  end: ReturnType<typeof threadCpuMs>,
): number | null {
  if (start === null || end === null) return null;
  const main = end.mainMs - start.mainMs;
  const total = main + end.otherMs - start.otherMs;
  return total > 0 ? main / total : null;
}
