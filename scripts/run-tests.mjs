#!/usr/bin/env node
// Runs the *.test.ts files under src/ and bench/ with Node's built-in test runner through tsx, two
// files at a time, each in a process group of its own that is killed when the file ends or runs
// past its time. Prints one line per file (a failing file's whole output), then the totals, every
// skipped test with its reason and the slowest files.
//
// Unit test files (*.test.ts) start no process and open no socket (scripts/unit-test-guard.mjs
// refuses both); integration test files (*.integration.test.ts, *.browser.test.ts) may do either.
// `npm test` runs both kinds, `npm run test:unit` (--unit) only the unit files.
//
// Nothing a file starts may outlive it: every process a file starts carries TGBENCH_TEST_FILE in
// its environment; one still running when the file has ended is killed and fails the file.
//
// Usage: node scripts/run-tests.mjs [--unit] [--file-timeout-ms N] [--concurrency N] [--verbose]
//                                   [substring filter ...]
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findMarkedProcesses, killProcesses, waitUntilGone } from "./test-processes.mjs";
import { readReport } from "./test-reporter.mjs";

/** Files that may start processes and open sockets; everything else is a unit test file. */
const INTEGRATION_TEST = /\.(integration|browser)\.test\.ts$/;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const GUARD = fileURLToPath(new URL("./unit-test-guard.mjs", import.meta.url));
const REPORTER = fileURLToPath(new URL("./test-reporter.mjs", import.meta.url));
const DEFAULT_FILE_TIMEOUT_MS = 300_000;
const DEFAULT_CONCURRENCY = 2;
/** How long processes a file left behind get to finish dying before they count as leaked. */
const LEFTOVER_GRACE_MS = 5_000;
const SLOWEST_SHOWN = 10;

/** @returns {ReturnType<typeof parseArgs<{ allowPositionals: true, options: typeof OPTIONS }>>} */
function parseCommandLine() {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (error) {
    console.error(`run-tests: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
const OPTIONS = /** @type {const} */ ({
  unit: { type: "boolean", default: false },
  "file-timeout-ms": { type: "string", default: String(DEFAULT_FILE_TIMEOUT_MS) },
  concurrency: { type: "string", default: String(DEFAULT_CONCURRENCY) },
  verbose: { type: "boolean", default: false },
});
const { values: flags, positionals: filters } = parseCommandLine();
const fileTimeoutMs = Number(flags["file-timeout-ms"]);
const concurrency = Number(flags.concurrency);
if (!(fileTimeoutMs > 0) || !(Number.isInteger(concurrency) && concurrency > 0)) {
  console.error("run-tests: --file-timeout-ms must be a positive number, --concurrency a positive integer");
  process.exit(2);
}

/** @param {string} dir @returns {string[]} */
function findTests(dir) {
  /** @type {string[]} */
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith(".test.ts")) found.push(relative(ROOT, path));
  }
  return found;
}

const isIntegration = (/** @type {string} */ file) => INTEGRATION_TEST.test(file);
const files = ["src", "bench"]
  .flatMap((dir) => findTests(join(ROOT, dir)))
  .filter((f) => !flags.unit || !isIntegration(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  // The slow files first, so that the last minutes are not spent waiting for one of them.
  .sort((a, b) => Number(isIntegration(b)) - Number(isIntegration(a)) || a.localeCompare(b));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ") || "*.test.ts"}`);
  process.exit(1);
}

const runId = process.env.TGBENCH_TEST_RUN || `${process.pid}-${Date.now()}`;
/** Whether a TGBENCH_TEST_FILE value is one of this run's (the runner itself has none). */
const ofThisRun = (/** @type {string} */ value) => value.startsWith(`${runId}:`);
const reportDir = mkdtempSync(join(tmpdir(), "tgbench-test-reports-"));
/** @type {Map<string, import("node:child_process").ChildProcess>} */
const running = new Map();

/**
 * @typedef {object} FileResult
 * @property {string} file
 * @property {number} durationMs
 * @property {boolean} ok
 * @property {string[]} problems  why the file failed beyond its failing tests
 * @property {import("./test-reporter.mjs").FileSummary} summary
 * @property {string} output
 */

/** @param {string} file @param {number} index @returns {Promise<FileResult>} */
async function runFile(file, index) {
  const reportFile = join(reportDir, `${index}.jsonl`);
  const marker = `${runId}:${file}`;
  const args = [
    "--import",
    "tsx",
    ...(isIntegration(file) ? [] : ["--import", GUARD]),
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    `--test-reporter=${REPORTER}`,
    `--test-reporter-destination=${reportFile}`,
    file,
  ];
  const startedMs = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TGBENCH_TEST_RUN: runId, TGBENCH_TEST_FILE: marker },
  });
  running.set(marker, child);
  /** @type {Buffer[]} */
  const chunks = [];
  child.stdout.on("data", (chunk) => chunks.push(chunk));
  child.stderr.on("data", (chunk) => chunks.push(chunk));
  const closed = new Promise((resolve) => child.once("close", resolve));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killFile(marker, child);
  }, fileTimeoutMs);
  /** @type {[number | null, NodeJS.Signals | null]} */
  const [code, signal] = await new Promise((resolve) => {
    child.once("error", (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      resolve([null, null]);
    });
    child.once("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  clearTimeout(timer);
  const durationMs = performance.now() - startedMs;

  const problems = [];
  const summary = readReport(readText(reportFile));
  if (timedOut) {
    const where =
      summary.running.length > 0
        ? `still running: ${summary.running.join(" › ")}`
        : "all its tests had ended: something it started (a server, socket, timer or process) kept it alive";
    problems.push(`timed out after ${fileTimeoutMs / 1000} s and was killed; ${where}`);
  }
  // Whatever the file left behind (anything carrying its marker, in any process group) fails it,
  // unless it dies within the grace (processes the tests killed last may still be dying).
  const left = await waitUntilGone((value) => value === marker, LEFTOVER_GRACE_MS);
  if (left.length > 0 && !timedOut) {
    const list = left.map((p) => `    ${p.pid} ${p.command}`).join("\n");
    problems.push(`left ${left.length} process(es) running after it ended (now killed):\n${list}`);
  }
  killProcesses(left);
  killGroup(child.pid, "SIGKILL");
  // The pipes close once every process holding them is gone.
  /** @type {NodeJS.Timeout | undefined} */
  let closeTimer;
  await Promise.race([closed, new Promise((resolve) => (closeTimer = setTimeout(resolve, 5_000)))]);
  clearTimeout(closeTimer);
  running.delete(marker);
  if (!timedOut && code !== 0)
    problems.push(signal !== null ? `killed by ${signal}` : `exited with code ${code}`);
  if (!timedOut && code === 0 && summary.tests === 0) problems.push("ran no test");
  const ok = problems.length === 0 && summary.fail === 0 && summary.cancelled === 0;
  return { file, durationMs, ok, problems, summary, output: Buffer.concat(chunks).toString("utf8") };
}

/** @param {string} path */
function readText(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** @param {number | undefined} pid @param {NodeJS.Signals} signal */
function killGroup(pid, signal) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** @param {string} marker @param {import("node:child_process").ChildProcess} child */
function killFile(marker, child) {
  killGroup(child.pid, "SIGKILL");
  killProcesses(findMarkedProcesses((value) => value === marker));
}

const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;

/** @param {FileResult} r */
function report(r) {
  const { tests, skipped } = r.summary;
  const counts = `${tests} test${tests === 1 ? "" : "s"}${skipped > 0 ? `, ${skipped} skipped` : ""}`;
  console.log(`${r.ok ? "✔" : "✖"} ${r.file}  (${counts}, ${seconds(r.durationMs)})`);
  if (!r.ok || flags.verbose) {
    const body = r.output.trimEnd();
    if (body !== "") console.log(`${body.replace(/^/gm, "    ")}`);
    for (const problem of r.problems) console.log(`  ✖ ${r.file} ${problem}`);
  }
}

function stopAll() {
  for (const [marker, child] of running) killFile(marker, child);
  killProcesses(findMarkedProcesses(ofThisRun));
  rmSync(reportDir, { recursive: true, force: true });
}
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
  process.once(signal, () => {
    console.error(`\nrun-tests: ${signal}: stopping every test file and what it started`);
    stopAll();
    process.exit(130);
  });
}

const startedMs = performance.now();
/** @type {FileResult[]} */
const results = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const index = next++;
    const result = await runFile(/** @type {string} */ (files[index]), index);
    results.push(result);
    report(result);
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
const strays = findMarkedProcesses(ofThisRun);
killProcesses(strays);
rmSync(reportDir, { recursive: true, force: true });

const sum = (/** @type {(r: FileResult) => number} */ pick) => results.reduce((n, r) => n + pick(r), 0);
const failed = results.filter((r) => !r.ok);
console.log(
  `\ntests ${sum((r) => r.summary.tests)} · pass ${sum((r) => r.summary.pass)} · fail ${sum((r) => r.summary.fail)}` +
    ` · cancelled ${sum((r) => r.summary.cancelled)} · skipped ${sum((r) => r.summary.skipped)}` +
    ` · files ${results.length} (${failed.length} failed) · ${seconds(performance.now() - startedMs)}`,
);
// Skipped tests are never silent: one line per file and reason.
const skips = results.flatMap((r) => {
  /** @type {Map<string, string[]>} */
  const byReason = new Map();
  for (const s of r.summary.skips) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.name]);
  return [...byReason].map(([reason, names]) => {
    const what = names.length === 1 ? names[0] : `${names.length} tests`;
    return `  ${r.file} › ${what}: ${reason || "(no reason given)"}`;
  });
});
if (skips.length > 0) console.log(`skipped:\n${skips.join("\n")}`);
console.log("slowest files:");
for (const r of [...results].sort((a, b) => b.durationMs - a.durationMs).slice(0, SLOWEST_SHOWN))
  console.log(`  ${seconds(r.durationMs).padStart(7)}  ${r.file}`);
if (strays.length > 0) console.log(`✖ ${strays.length} process(es) of this run were still running (killed)`);
for (const r of failed) console.log(`✖ ${r.file}${r.problems.length > 0 ? `: ${r.problems[0]}` : ""}`);
// The plain closing line CI systems read: "N passed, N failed, N skipped", alone on its line. A
// file that failed without a failing test (killed, leaked a process) counts as one failure.
const failures =
  sum((r) => r.summary.fail + r.summary.cancelled) + failed.filter((r) => r.summary.fail === 0).length;
console.log(
  `${sum((r) => r.summary.pass)} passed, ${failures} failed, ${sum((r) => r.summary.skipped)} skipped`,
);
process.exitCode = failed.length > 0 || strays.length > 0 ? 1 : 0;
