import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { FakeApi, FakeApiEventMap } from "../fake-api/index.ts";
import { TailBuffer } from "./tail-buffer.ts";
import { guardProcessGroup, releaseProcessGroup } from "./watchdog.ts";

/** What to run. */
export interface ProcessSpec {
  /** Human name for messages, e.g. "grammy (webhook)". */
  label: string;
  /**
   * An executable with arguments, or a shell command line, run by a real shell (`sh -c`), so that
   * `VAR=x cmd`, `cd dir && cmd` and pipes work. The shell stays the bot's parent and ignores the
   * SIGTERM tgbench sends to the group (`trap : TERM`, which its children do not inherit), so it
   * waits for the command and exits with the command's own status.
   */
  command: { file: string; args: readonly string[] } | { shell: string };
  /** The environment contract (BOT_TOKEN, TELEGRAM_API_ROOT, BOT_MODE, …). */
  env: Record<string, string>;
  /** Working directory for the child (default: this process's). */
  cwd?: string;
  /** Open a Node IPC channel to the child (`child.send`, `message` events); for tgbench's own helpers. */
  ipc?: boolean;
}

/** What to run and how to tell it is ready. */
export interface LaunchSpec extends ProcessSpec {
  /** The bot's token, to watch its calls. */
  token: string;
  /**
   * Ready means, from the fake API's side: a getUpdates it accepted (answered 200, or parked as a
   * long poll to be answered 200; a 400 or a 409 is not readiness) for `polling`; a setWebhook with
   * a non-empty URL answered ok for `webhook`.
   */
  readiness: "polling" | "webhook";
  startupTimeoutMs: number;
}

/** What a start-up waits for, in words (for progress lines and errors). */
export const READINESS_EVIDENCE: Readonly<Record<LaunchSpec["readiness"], string>> = {
  polling: "a getUpdates the fake API accepts",
  webhook: "a setWebhook with a non-empty URL answered ok",
};

/** How {@link launchBot} reports while it waits. */
export interface LaunchOptions {
  signal?: AbortSignal;
  /** Called every {@link LaunchOptions.progressIntervalMs} while the bot is not ready yet. */
  onWaiting?: (waitedMs: number, waitingFor: string) => void;
  /** Default 5 s. */
  progressIntervalMs?: number;
}

/** How often a start-up says what it is still waiting for, ms. */
export const START_PROGRESS_INTERVAL_MS = 5_000;

/**
 * Variables of the environment contract. Only the values tgbench sets reach a bot: a developer's
 * own BOT_TOKEN or WEBHOOK_URL in the shell must not leak into a measurement.
 */
const CONTRACT_VARIABLE = /^(BOT_|WEBHOOK_|POLL_|TELEGRAM_API_ROOT$|HANDLER_DELAY_MS$)/;

function childEnv(contract: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !CONTRACT_VARIABLE.test(key)) env[key] = value;
  }
  return { ...env, ...contract };
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A bot failed to start or misbehaved; carries the bot's last stderr lines and, if it exited, how. */
export class SubjectError extends Error {
  override readonly name = "SubjectError";
  readonly label: string;
  /** One line: what happened (`exited during start-up (code 2)`). */
  readonly reason: string;
  readonly stderr: string;
  /** How the bot exited during start-up; undefined when it did not (a timeout, Ctrl-C). */
  readonly exit: ExitInfo | undefined;
  constructor(label: string, reason: string, stderr: string, exit?: ExitInfo) {
    const tail = stderr.trim().split("\n").slice(-15).join("\n");
    super(`${label}: ${reason}${tail === "" ? " (no stderr)" : `\n--- last stderr lines ---\n${tail}`}`);
    this.label = label;
    this.reason = reason;
    this.stderr = stderr;
    this.exit = exit;
  }
}

/** How the last {@link BotProcess.stop} went. */
export interface StopInfo {
  /** From SIGTERM to the exit, ms (0 when the process had already exited). */
  afterMs: number;
  /** It was still running after the grace and was SIGKILLed. */
  killed: boolean;
  /** It had exited before stop() was called. */
  alreadyExited: boolean;
}

/** Every bot still running, so they can be killed when tgbench exits for any reason. */
const live = new Set<BotProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const bot of live) bot.killGroup("SIGKILL");
  });
  // A signal's default action ends the process without an "exit" event, which would orphan the
  // bots. Unless someone else handles the signal (the CLI stops gracefully and writes a partial
  // report), kill them and die of the same signal.
  for (const signal of ["SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const bot of live) bot.killGroup("SIGKILL");
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * A bot under test as a child process in its own process group, so that stopping it also stops
 * anything it spawned (a shell, a Python interpreter). Never outlives tgbench.
 */
export class BotProcess {
  readonly label: string;
  readonly child: ChildProcess;
  readonly stderr = new TailBuffer();
  readonly stdout = new TailBuffer();
  readonly exited: Promise<ExitInfo>;
  #exitInfo: ExitInfo | undefined;
  #groupGone = false;
  #stopInfo: StopInfo | undefined;
  readonly #viaShell: boolean;

  constructor(spec: ProcessSpec) {
    this.label = spec.label;
    this.#viaShell = "shell" in spec.command;
    const [file, args] =
      "shell" in spec.command
        ? ["/bin/sh", ["-c", `trap : TERM\n${spec.command.shell}`]]
        : [spec.command.file, [...spec.command.args]];
    this.child = spawn(file, args, {
      cwd: spec.cwd,
      env: childEnv(spec.env),
      stdio: spec.ipc === true ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const pgid = this.child.pid;
    if (pgid !== undefined) guardProcessGroup(pgid);
    this.child.stdout?.on("data", (chunk: Buffer) => this.stdout.push(chunk));
    this.child.stderr?.on("data", (chunk: Buffer) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => {
      this.child.once("error", (error) => {
        this.stderr.push(`\n${error.message}\n`);
        this.#exitInfo = { code: null, signal: null };
        live.delete(this);
        resolve(this.#exitInfo);
      });
      this.child.once("exit", (code, signal) => {
        this.#exitInfo = { code, signal };
        live.delete(this);
        // Its group may outlive it (children it left); while any member lives, the id stays reserved.
        if (pgid !== undefined && !groupAlive(pgid)) this.#forgetGroup(pgid);
        resolve(this.#exitInfo);
      });
    });
    installExitHook();
    live.add(this);
  }

  /**
   * The process to measure (CPU time, memory): the child tgbench started, or, for a shell command
   * line, the command the shell runs (its only child, once it has started it), not the shell.
   */
  get pid(): number | undefined {
    const pid = this.child.pid;
    if (pid === undefined || !this.#viaShell || !this.running) return pid;
    return onlyChild(pid) ?? pid;
  }

  /** The id of the bot's process group (the pid of the process tgbench started). */
  get pgid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.#exitInfo === undefined;
  }

  /** How it exited, or undefined while it runs. */
  get exit(): ExitInfo | undefined {
    return this.#exitInfo;
  }

  /** What it printed (last 16 KiB of stdout, then of stderr), for messages. */
  get output(): string {
    const text = `${this.stdout.toString()}${this.stderr.toString()}`.trimEnd();
    return text === "" ? "(the bot printed nothing)" : text;
  }

  /** Resolves when the process has exited, SIGKILLing its group after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<ExitInfo> {
    const timer = setTimeout(() => this.killGroup("SIGKILL"), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal to the whole process group (ignored if already gone). */
  killGroup(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined || this.#groupGone) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** How the last {@link stop} went; undefined before one. */
  get stopInfo(): StopInfo | undefined {
    return this.#stopInfo;
  }

  /**
   * SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. Whatever the bot
   * left in its process group is killed too, also when the bot had exited before.
   */
  async stop(graceMs = 5_000): Promise<ExitInfo> {
    const startMs = performance.now();
    let exit = this.#exitInfo;
    if (exit === undefined) {
      this.killGroup("SIGTERM");
      exit = await this.waitForExit(graceMs);
      this.#stopInfo ??= {
        afterMs: performance.now() - startMs,
        killed: exit.signal === "SIGKILL",
        alreadyExited: false,
      };
    } else {
      this.#stopInfo ??= { afterMs: 0, killed: false, alreadyExited: true };
    }
    this.killGroup("SIGKILL");
    if (this.child.pid !== undefined) this.#forgetGroup(this.child.pid);
    return exit;
  }

  #forgetGroup(pgid: number): void {
    this.#groupGone = true;
    releaseProcessGroup(pgid);
  }
}

/** The pid of a process's only child (Linux's /proc/<pid>/task/<pid>/children), else undefined. */
function onlyChild(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ");
    return children.length === 1 && children[0] !== "" ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether any process of the group still exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a bot and waits until it is ready, judged from the fake API's side only (see
 * {@link LaunchSpec.readiness}), saying every few seconds what it still waits for. A bot that
 * exits or is not ready in time is stopped and reported with its stderr and exit status.
 */
export async function launchBot(
  spec: LaunchSpec,
  api: FakeApi,
  options: LaunchOptions = {},
): Promise<BotProcess> {
  const { signal, onWaiting } = options;
  const botId = Number(spec.token.slice(0, spec.token.indexOf(":")));
  const bot = new BotProcess(spec);
  const events = api.events;
  const startMs = performance.now();
  const waitingFor = READINESS_EVIDENCE[spec.readiness];
  let onPoll: ((...args: FakeApiEventMap["poll"]) => void) | undefined;
  let onCall: ((...args: FakeApiEventMap["call"]) => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    if (spec.readiness === "polling") {
      onPoll = (e) => {
        if (e.botId === botId) resolve();
      };
      events.on("poll", onPoll);
    } else {
      onCall = ({ botId: id, record }) => {
        if (id === botId && record.method === "setwebhook" && record.status === 200 && record.params.url)
          resolve();
      };
      events.on("call", onCall);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), spec.startupTimeoutMs);
  });
  const progress =
    onWaiting === undefined
      ? undefined
      : setInterval(
          () => onWaiting(performance.now() - startMs, waitingFor),
          options.progressIntervalMs ?? START_PROGRESS_INTERVAL_MS,
        );
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<"aborted">((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve("aborted");
    onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const winner = await Promise.race([ready.then(() => "ready" as const), bot.exited, timedOut, aborted]);
    if (winner === "ready") return bot;
    await bot.stop(1_000);
    if (winner === "timeout") {
      throw new SubjectError(
        spec.label,
        `not ready after ${spec.startupTimeoutMs} ms (waiting for ${waitingFor})`,
        bot.stderr.toString(),
      );
    }
    if (winner === "aborted") throw new SubjectError(spec.label, "start-up cancelled", bot.stderr.toString());
    const exit = winner;
    throw new SubjectError(
      spec.label,
      `exited during start-up (${exit.signal ?? `code ${exit.code}`}) before ${waitingFor}`,
      bot.stderr.toString(),
      exit,
    );
  } finally {
    clearTimeout(timer);
    clearInterval(progress);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    if (onPoll !== undefined) events.off("poll", onPoll);
    if (onCall !== undefined) events.off("call", onCall);
  }
}
