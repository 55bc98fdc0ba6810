/**
 * CPU time and memory of a process, read from Linux's /proc: the bot under test is sampled by
 * pid while it runs, the harness itself through process.cpuUsage(). Reads are synchronous and
 * take microseconds (/proc files are generated in memory), so a sampler can call them on a timer.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { DEFAULT_CLOCK_TICKS_PER_SECOND } from "./defaults.ts";

/** CPU time and memory of a process since it started. */
export interface ProcessStats {
  /** CPU time in user mode, in ms (resolution: one clock tick, usually 10 ms). */
  cpuUserMs: number;
  /** CPU time in kernel mode, in ms (resolution: one clock tick). */
  cpuSystemMs: number;
  /** Resident set size now, in bytes (VmRSS). */
  rssBytes: number;
  /** Peak resident set size, in bytes (VmHWM). */
  peakRssBytes: number;
}

/** Fields of /proc/<pid>/stat counted from 1, as in proc(5). */
const STAT_FIELD = { state: 3, utime: 14, stime: 15 } as const;
/** The first field after `comm`, which is field 2 and may itself contain spaces and parentheses. */
const FIRST_FIELD_AFTER_COMM = 3;
const BYTES_PER_KB = 1_024;
const MS_PER_SECOND = 1_000;
const US_PER_MS = 1_000;

let cachedClockTicksPerSecond: number | undefined;

/**
 * Clock ticks per second (`getconf CLK_TCK`), the unit of utime and stime; asked once and cached.
 * Falls back to {@link DEFAULT_CLOCK_TICKS_PER_SECOND} (100) when getconf cannot be run.
 */
export function clockTicksPerSecond(): number {
  if (cachedClockTicksPerSecond === undefined) {
    cachedClockTicksPerSecond = askClockTicksPerSecond();
  }
  return cachedClockTicksPerSecond;
}

function askClockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 2_000 }).trim());
    return Number.isSafeInteger(ticks) && ticks > 0 ? ticks : DEFAULT_CLOCK_TICKS_PER_SECOND;
  } catch {
    return DEFAULT_CLOCK_TICKS_PER_SECOND;
  }
}

/**
 * The state letter and CPU times in the text of /proc/<pid>/stat, or undefined when it cannot be
 * parsed. Exported for tests.
 */
export function parseProcStat(
  text: string,
  ticksPerSecond: number,
): { state: string; cpuUserMs: number; cpuSystemMs: number } | undefined {
  const commEnd = text.lastIndexOf(")");
  if (commEnd === -1) return undefined;
  const fields = text
    .slice(commEnd + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number) => fields[n - FIRST_FIELD_AFTER_COMM];
  const state = field(STAT_FIELD.state);
  const utimeTicks = Number(field(STAT_FIELD.utime));
  const stimeTicks = Number(field(STAT_FIELD.stime));
  if (state === undefined || !Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks)) return undefined;
  const msPerTick = MS_PER_SECOND / ticksPerSecond;
  return { state, cpuUserMs: utimeTicks * msPerTick, cpuSystemMs: stimeTicks * msPerTick };
}

/**
 * VmRSS and VmHWM in the text of /proc/<pid>/status, in bytes, or undefined when they are missing
 * (a zombie or a kernel thread). Exported for tests.
 */
export function parseProcStatus(text: string): { rssBytes: number; peakRssBytes: number } | undefined {
  const rssKb = statusKb(text, "VmRSS");
  const peakKb = statusKb(text, "VmHWM");
  if (rssKb === undefined || peakKb === undefined) return undefined;
  return { rssBytes: rssKb * BYTES_PER_KB, peakRssBytes: peakKb * BYTES_PER_KB };
}

function statusKb(text: string, key: string): number | undefined {
  const match = new RegExp(`^${key}:\\s*(\\d+)\\s*kB`, "m").exec(text);
  return match === null ? undefined : Number(match[1]);
}

/**
 * CPU time and memory of process `pid`, or undefined when the process is gone (exited, a zombie
 * waiting to be reaped, or never existed), or /proc is not there (not Linux).
 */
export function readProcessStats(pid: number): ProcessStats | undefined {
  let statText: string;
  let statusText: string;
  try {
    statText = readFileSync(`/proc/${pid}/stat`, "utf8");
    statusText = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const stat = parseProcStat(statText, clockTicksPerSecond());
  const memory = parseProcStatus(statusText);
  if (stat === undefined || memory === undefined || stat.state === "Z" || stat.state === "X")
    return undefined;
  return { cpuUserMs: stat.cpuUserMs, cpuSystemMs: stat.cpuSystemMs, ...memory };
}

/** CPU time (user + system) the harness process has used since it started, in ms (µs resolution). */
export function harnessCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / US_PER_MS;
}
