import { type ChildProcess, spawn } from "node:child_process";
import type { FakeApi } from "../fake-api/index.ts";
import { TailBuffer } from "./tail-buffer.ts";

/** What to run. */
export interface ProcessSpec {
  /** Human name for messages, e.g. "grammy (webhook)". */
  label: string;
  /** An executable with arguments, or a shell command line (run with `sh -c "exec …"`). */
  command: { file: string; args: readonly string[] } | { shell: string };
  /** The environment contract (BOT_TOKEN, TELEGRAM_API_ROOT, BOT_MODE, …). */
  env: Record<string, string>;
  /** Working directory for the child (default: this process's). */
  cwd?: string;
}

/** What to run and how to tell it is ready. */
export interface LaunchSpec extends ProcessSpec {
  /** The bot's token, to watch its calls. */
  token: string;
  /** Ready means: first getUpdates (polling), or a successful setWebhook (webhook). */
  readiness: "polling" | "webhook";
  startupTimeoutMs: number;
}

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

/** A bot failed to start or misbehaved; carries the bot's last stderr lines. */
export class SubjectError extends Error {
  override readonly name = "SubjectError";
  readonly label: string;
  readonly stderr: string;
  constructor(label: string, reason: string, stderr: string) {
    const tail = stderr.trim().split("\n").slice(-15).join("\n");
    super(`${label}: ${reason}${tail === "" ? " (no stderr)" : `\n--- last stderr lines ---\n${tail}`}`);
    this.label = label;
    this.stderr = stderr;
  }
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

  constructor(spec: ProcessSpec) {
    this.label = spec.label;
    const [file, args] =
      "shell" in spec.command
        ? ["/bin/sh", ["-c", `exec ${spec.command.shell}`]]
        : [spec.command.file, [...spec.command.args]];
    this.child = spawn(file, args, {
      cwd: spec.cwd,
      env: childEnv(spec.env),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
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
        resolve(this.#exitInfo);
      });
    });
    installExitHook();
    live.add(this);
  }

  get pid(): number | undefined {
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
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 5_000): Promise<ExitInfo> {
    if (this.#exitInfo !== undefined) return this.#exitInfo;
    this.killGroup("SIGTERM");
    const exit = await this.waitForExit(graceMs);
    // Children the bot may have left behind in its group.
    this.killGroup("SIGKILL");
    return exit;
  }
}

/**
 * Starts a bot and waits until it is ready, judged from the fake API's side only: its first
 * getUpdates (polling) or a successful setWebhook (webhook). A bot that exits or is not ready in
 * time is stopped and reported with its stderr.
 */
export async function launchBot(spec: LaunchSpec, api: FakeApi, signal?: AbortSignal): Promise<BotProcess> {
  const botId = Number(spec.token.slice(0, spec.token.indexOf(":")));
  const bot = new BotProcess(spec);
  const events = api.events;
  let onRequest: ((e: { botId: number; method: string }) => void) | undefined;
  let onCall: ((e: { botId: number; record: { method: string; status: number } }) => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    if (spec.readiness === "polling") {
      onRequest = (e) => {
        if (e.botId === botId && e.method === "getupdates") resolve();
      };
      events.on("request", onRequest);
    } else {
      onCall = (e) => {
        if (e.botId === botId && e.record.method === "setwebhook" && e.record.status === 200) resolve();
      };
      events.on("call", onCall);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), spec.startupTimeoutMs);
  });
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
      const what = spec.readiness === "polling" ? "its first getUpdates" : "a successful setWebhook";
      throw new SubjectError(
        spec.label,
        `not ready after ${spec.startupTimeoutMs} ms (waiting for ${what})`,
        bot.stderr.toString(),
      );
    }
    if (winner === "aborted") throw new SubjectError(spec.label, "start-up cancelled", bot.stderr.toString());
    const exit = winner;
    throw new SubjectError(
      spec.label,
      `exited during start-up (${exit.signal ?? `code ${exit.code}`})`,
      bot.stderr.toString(),
    );
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    if (onRequest !== undefined) events.off("request", onRequest);
    if (onCall !== undefined) events.off("call", onCall);
  }
}
