import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/**
 * The Python the Python bots run on: a virtual environment at the repo root, `.venv/`
 * (git-ignored), with the requirements file their registry entries name installed (for the bots
 * that ship with tgbench, bench/bots/python/requirements.txt). Created on first use
 * from the first Python 3.10+ found; reinstalled only when the requirements change (a stamp file
 * in the venv holds their hash). Prints nothing: it returns, or throws a {@link PythonEnvError}
 * whose message is one line saying what to do; the CLI decides what to print.
 */

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every default of {@link ensurePythonEnv}, in one place. */
export const PYTHON_ENV_DEFAULTS = {
  venvDir: join(REPO_ROOT, ".venv"),
  /** Interpreters tried in order when `TGBENCH_PYTHON` is not set. */
  candidates: ["python3", "python3.14", "python3.13", "python3.12", "python3.11", "python3.10", "python"],
  /** Creating the venv and installing the requirements (ms). */
  installTimeoutMs: 15 * 60_000,
  /** Asking an interpreter for its version (ms); a pyenv shim can take a moment. */
  probeTimeoutMs: 15_000,
} as const;

/** The oldest Python the bots and their pinned frameworks support. */
export const PYTHON_MIN_VERSION = { major: 3, minor: 10 } as const;

/** The environment variable naming the interpreter to build the venv from (skips the search). */
export const PYTHON_OVERRIDE_VARIABLE = "TGBENCH_PYTHON";

/** A stamp in the venv: the hash of the requirements it was installed from, and its Python. */
const STAMP_FILE = "tgbench-requirements.sha256";
/** Another tgbench holding the lock longer than this is taken to have died. */
const LOCK_STALE_MS = PYTHON_ENV_DEFAULTS.installTimeoutMs + 60_000;
const LOCK_POLL_MS = 250;

export interface PythonEnvOptions {
  /** Where the virtual environment lives; default `<repo>/.venv`. */
  venvDir?: string;
  /**
   * What to install: a pip requirements file (the Python bots' registry entries name it); none:
   * a bare virtual environment.
   */
  requirementsFile?: string;
  /** Interpreters to try, in order; default `$TGBENCH_PYTHON` alone when set, else python3, python3.14 … python3.10, python. */
  candidates?: readonly string[];
  /** Limit for creating the venv and installing (ms); default 15 minutes. */
  installTimeoutMs?: number;
  /** Environment for the interpreters and pip; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Told before each slow step (creating the venv, running pip), in one line, so a caller can say why it waits. */
  onStep?: (description: string) => void;
}

/** A ready virtual environment. */
export interface PythonEnv {
  /** The venv's interpreter: what a Python bot is started with. */
  python: string;
  /** Its version, e.g. "3.11.7". */
  version: string;
  /** `reused`: up to date, nothing done; `installed`: requirements (re)installed; `created`: venv made and installed. */
  action: "reused" | "installed" | "created";
}

/** What went wrong, for code that wants to tell the cases apart. */
export type PythonEnvProblem = "no-interpreter" | "venv-failed" | "install-failed";

/** The Python bots cannot run here. The message is one line and says what to do. */
export class PythonEnvError extends Error {
  override readonly name = "PythonEnvError";
  readonly problem: PythonEnvProblem;
  /** The tool's own output (pip's last lines), for a closer look; not part of the message. */
  readonly detail: string;
  constructor(problem: PythonEnvProblem, message: string, detail = "") {
    super(message);
    this.problem = problem;
    this.detail = detail;
  }
}

/** The interpreter inside a virtual environment. */
export function venvPython(venvDir: string = PYTHON_ENV_DEFAULTS.venvDir): string {
  return process.platform === "win32"
    ? join(venvDir, "Scripts", "python.exe")
    : join(venvDir, "bin", "python");
}

/**
 * Whether a missing Python must fail the run instead of skipping the Python bots: in CI
 * (`CI` set to anything but "", "0" or "false"), so that CI can never pass without them.
 */
export function pythonRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env.CI ?? "").trim().toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
}

const pending = new Map<string, Promise<PythonEnv>>();

/**
 * Makes sure the virtual environment exists and has the pinned requirements, creating or
 * updating it if needed; callers in one process share one attempt, and a lock directory next to
 * the venv keeps two tgbench processes from installing at once.
 */
export function ensurePythonEnv(options: PythonEnvOptions = {}): Promise<PythonEnv> {
  const venvDir = options.venvDir ?? PYTHON_ENV_DEFAULTS.venvDir;
  let attempt = pending.get(venvDir);
  if (attempt === undefined) {
    attempt = prepare(options, venvDir).finally(() => pending.delete(venvDir));
    pending.set(venvDir, attempt);
  }
  return attempt;
}

interface Resolved {
  venvDir: string;
  requirementsFile: string | undefined;
  candidates: readonly string[];
  installTimeoutMs: number;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal | undefined;
  onStep: (description: string) => void;
}

async function prepare(options: PythonEnvOptions, venvDir: string): Promise<PythonEnv> {
  const env = options.env ?? process.env;
  const override = env[PYTHON_OVERRIDE_VARIABLE];
  const o: Resolved = {
    venvDir,
    requirementsFile: options.requirementsFile,
    candidates: options.candidates ?? (override ? [override] : PYTHON_ENV_DEFAULTS.candidates),
    installTimeoutMs: options.installTimeoutMs ?? PYTHON_ENV_DEFAULTS.installTimeoutMs,
    env,
    signal: options.signal,
    onStep: options.onStep ?? (() => {}),
  };
  const requirementsHash = await hashRequirements(o.requirementsFile);
  const current = await upToDate(o, requirementsHash);
  if (current !== undefined) return { python: venvPython(venvDir), version: current, action: "reused" };
  const release = await lock(`${venvDir}.lock`, o.signal);
  try {
    // Another tgbench may have finished the work while this one waited for the lock.
    const now = await upToDate(o, requirementsHash);
    if (now !== undefined) return { python: venvPython(venvDir), version: now, action: "reused" };
    return await install(o, requirementsHash);
  } finally {
    await release();
  }
}

async function install(o: Resolved, requirementsHash: string): Promise<PythonEnv> {
  const python = venvPython(o.venvDir);
  let version = await probeVersion(python, o);
  let action: PythonEnv["action"] = "installed";
  if (version === undefined || !supported(version)) {
    const base = await findInterpreter(o);
    o.onStep(`creating ${o.venvDir} with ${base.command} (Python ${base.version})`);
    // --clear: a venv left broken (its base interpreter gone, a half-finished creation) is rebuilt.
    await run(
      base.command,
      ["-m", "venv", "--clear", o.venvDir],
      o,
      "venv-failed",
      (output) =>
        `${base.command} -m venv ${o.venvDir} failed (${lastLine(output)}); install the venv module (Debian/Ubuntu: apt-get install python3-venv)`,
    );
    version = await probeVersion(python, o);
    if (version === undefined) {
      throw new PythonEnvError("venv-failed", `${o.venvDir} was created but ${python} does not run`);
    }
    action = "created";
  }
  await rm(join(o.venvDir, STAMP_FILE), { force: true });
  if (o.requirementsFile === undefined) {
    await writeFile(join(o.venvDir, STAMP_FILE), stampFor(requirementsHash, version));
    return { python, version, action };
  }
  o.onStep(`installing ${o.requirementsFile} into ${o.venvDir} (only when it changes)`);
  const requirementsFile = o.requirementsFile;
  const pipArgs = [
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--no-input",
    "-q",
    "-r",
    requirementsFile,
  ];
  await run(
    python,
    pipArgs,
    o,
    "install-failed",
    (output) => `pip could not install ${requirementsFile} into ${o.venvDir}: ${lastLine(output)}`,
  );
  await writeFile(join(o.venvDir, STAMP_FILE), stampFor(requirementsHash, version));
  return { python, version, action };
}

/** The venv's Python version when the venv is usable and its stamp matches, else undefined. */
async function upToDate(o: Resolved, requirementsHash: string): Promise<string | undefined> {
  const stamp = await readFile(join(o.venvDir, STAMP_FILE), "utf8").catch(() => undefined);
  if (stamp === undefined) return undefined;
  const version = await probeVersion(venvPython(o.venvDir), o);
  if (version === undefined || stamp !== stampFor(requirementsHash, version)) return undefined;
  return version;
}

const stampFor = (requirementsHash: string, version: string) => `${requirementsHash} python ${version}\n`;

async function hashRequirements(file: string | undefined): Promise<string> {
  if (file === undefined) return "none";
  try {
    return createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
  } catch (error: unknown) {
    throw new PythonEnvError("install-failed", `cannot read ${file}: ${(error as Error).message}`);
  }
}

const PROBE =
  "import sys, importlib.util as u; v = sys.version_info; print('%d.%d.%d' % v[:3], int(bool(u.find_spec('venv') and u.find_spec('ensurepip'))))";

/** An interpreter's version ("3.11.7"), or undefined when it does not run. */
async function probeVersion(command: string, o: Resolved): Promise<string | undefined> {
  return (await probe(command, o))?.version;
}

async function probe(
  command: string,
  o: Resolved,
): Promise<{ version: string; hasVenv: boolean } | undefined> {
  try {
    const { stdout } = await execFileText(command, ["-c", PROBE], {
      env: o.env,
      timeoutMs: PYTHON_ENV_DEFAULTS.probeTimeoutMs,
      signal: o.signal,
    });
    const match = /^(\d+\.\d+\.\d+) ([01])\s*$/.exec(stdout);
    return match === null ? undefined : { version: match[1]!, hasVenv: match[2] === "1" };
  } catch {
    return undefined;
  }
}

function supported(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const min = PYTHON_MIN_VERSION;
  return major > min.major || (major === min.major && minor >= min.minor);
}

/** The first candidate that is Python 3.10+ with the venv module; throws naming what was tried. */
async function findInterpreter(o: Resolved): Promise<{ command: string; version: string }> {
  const tried: string[] = [];
  for (const command of o.candidates) {
    const found = await probe(command, o);
    if (found === undefined) tried.push(`${command}: not found`);
    else if (!supported(found.version)) tried.push(`${command}: ${found.version}`);
    else if (!found.hasVenv) tried.push(`${command}: ${found.version} without venv`);
    else return { command, version: found.version };
  }
  const min = `${PYTHON_MIN_VERSION.major}.${PYTHON_MIN_VERSION.minor}`;
  throw new PythonEnvError(
    "no-interpreter",
    `the Python bots need Python ${min}+ with the venv module, and none was found (${tried.join(", ")}); install it (Debian/Ubuntu: apt-get install python3 python3-venv) or set ${PYTHON_OVERRIDE_VARIABLE} to one`,
  );
}

/** Runs a setup step; a failure becomes a PythonEnvError whose one-line message `describe` builds from its output. */
async function run(
  command: string,
  args: readonly string[],
  o: Resolved,
  problem: PythonEnvProblem,
  describe: (output: string) => string,
): Promise<void> {
  try {
    await execFileText(command, args, { env: o.env, timeoutMs: o.installTimeoutMs, signal: o.signal });
  } catch (error: unknown) {
    const e = error as Error & { stdout?: string; stderr?: string; killed?: boolean };
    const output = `${e.stdout ?? ""}\n${e.stderr ?? ""}`.trim() || e.message;
    const tail = output.split("\n").slice(-20).join("\n");
    throw new PythonEnvError(
      problem,
      describe(e.killed === true ? `timed out after ${o.installTimeoutMs} ms` : output),
      tail,
    );
  }
}

const lastLine = (text: string): string =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .at(-1) ?? "no output";

function execFileText(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; signal: AbortSignal | undefined },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        env: options.env,
        timeout: options.timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (error, stdout, stderr) => {
        if (error !== null) reject(Object.assign(error, { stdout, stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** A lock directory (mkdir is atomic); waits while another live process holds it. */
async function lock(path: string, signal: AbortSignal | undefined): Promise<() => Promise<void>> {
  for (;;) {
    signal?.throwIfAborted();
    try {
      await mkdir(path);
      return () => rm(path, { recursive: true, force: true });
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const since = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (since > LOCK_STALE_MS) await rm(path, { recursive: true, force: true });
    else await sleep(LOCK_POLL_MS);
  }
}
