/**
 * Child processes owned by a test: each is started in a process group of its own and registered
 * for clean-up with `t.after` before the caller gets it, so a failing assertion, a timeout or a
 * thrown error can never leave it (or anything it started) running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { TestContext } from "node:test";
import { waitUntil } from "./wait.ts";

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Where it runs and what it gets; stdin is always closed. */
export interface OwnedProcessOptions {
  /** The whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A child process a test started; see {@link startProcess}. */
export interface OwnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when it has exited. */
  readonly exited: Promise<ProcessExit>;
  /** Resolves when it has exited and its stdout and stderr are closed (all output read). */
  readonly closed: Promise<void>;
  /** How it exited, or undefined while it runs. */
  exit(): ProcessExit | undefined;
  /** Waits until its stdout (or stderr) matches `pattern`; fails at once if it exits first. */
  waitForOutput(pattern: RegExp, what: string, stream?: "stdout" | "stderr"): Promise<RegExpExecArray>;
  /** Sends `signal` to it alone (its group is for the clean-up). */
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts `file args` in a new process group and registers its clean-up with `t` at once: when the
 * test ends, however it ends, the process, its group and every process it started that is still
 * running (found through /proc while they are its descendants) are SIGKILLed.
 */
export function startProcess(
  t: TestContext,
  file: string,
  args: readonly string[],
  options: OwnedProcessOptions = {},
): OwnedProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let exit: ProcessExit | undefined;
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("error", (error) => {
      stderr += `\n${error.message}\n`;
      exit = { code: null, signal: null };
      resolve(exit);
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  t.after(async () => {
    if (child.pid !== undefined) killTree(child.pid);
    await exited;
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const owned: OwnedProcess = {
    child,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    closed,
    exit: () => exit,
    waitForOutput: (pattern, what, stream = "stdout") =>
      waitUntil(what, () => pattern.exec(stream === "stdout" ? stdout : stderr), {
        abandon: () => (exit === undefined ? undefined : `it exited (${exit.signal ?? `code ${exit.code}`})`),
        describe: () => `stdout:\n${stdout}\nstderr:\n${stderr}`,
      }),
    signal: (signal) => {
      if (exit === undefined) child.kill(signal);
    },
  };
  return owned;
}

/** What a finished process printed and how it ended. */
export interface ProcessResult extends ProcessExit {
  stdout: string;
  stderr: string;
}

/** Runs `file args` to its end as an owned process (see {@link startProcess}). */
export async function runProcess(
  t: TestContext,
  file: string,
  args: readonly string[],
  options: OwnedProcessOptions = {},
): Promise<ProcessResult> {
  const owned = startProcess(t, file, args, options);
  const exit = await owned.exited;
  await owned.closed;
  return { ...exit, stdout: owned.stdout(), stderr: owned.stderr() };
}

/**
 * SIGKILLs a process, every process descended from it and their process groups. Descendants
 * are read from /proc (Linux); elsewhere only the process and its group are killed.
 */
export function killTree(rootPid: number): void {
  const doomed = [rootPid, ...descendantsOf(rootPid)];
  for (const pid of doomed) {
    signalQuietly(-pid, "SIGKILL"); // its group, if it leads one
    signalQuietly(pid, "SIGKILL");
  }
}

/** Running, and not a zombie waiting for a reaper. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** The pids of every process descended from `rootPid` (Linux /proc; elsewhere none). */
export function descendantsOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** A process's environment as it was started (Linux /proc), or undefined if unreadable. */
export function environmentOf(pid: number): Record<string, string> | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, "utf8")
      .split("\0")
      .filter((e) => e !== "");
    return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  } catch {
    return undefined;
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone, or not a group leader.
  }
}
