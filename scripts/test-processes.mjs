// The processes test files started, found by the TGBENCH_TEST_FILE variable that
// scripts/run-tests.mjs puts in each file's environment (and so in everything the file starts,
// whatever process group or session it moves to). Linux only: elsewhere nothing is found.
import { readdirSync, readFileSync } from "node:fs";

/** The variable scripts/run-tests.mjs sets to `<run id>:<test file>`. */
export const FILE_MARKER = "TGBENCH_TEST_FILE";

/**
 * @typedef {object} MarkedProcess
 * @property {number} pid
 * @property {string} command  its command line, for messages
 */

/**
 * Live processes (zombies excluded) whose TGBENCH_TEST_FILE value satisfies `matches`.
 * @param {(value: string) => boolean} matches
 * @returns {MarkedProcess[]}
 */
export function findMarkedProcesses(matches) {
  /** @type {string[]} */
  let pids;
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  /** @type {MarkedProcess[]} */
  const found = [];
  const prefix = `${FILE_MARKER}=`;
  for (const pid of pids) {
    try {
      const variable = readFileSync(`/proc/${pid}/environ`, "latin1")
        .split("\0")
        .find((entry) => entry.startsWith(prefix));
      if (variable === undefined || !matches(variable.slice(prefix.length))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state === "Z" || state === "X") continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim();
      found.push({
        pid: Number(pid),
        command: command.length > 160 ? `${command.slice(0, 157)}...` : command,
      });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** SIGKILLs each process (ignoring ones already gone). @param {MarkedProcess[]} processes */
export function killProcesses(processes) {
  for (const { pid } of processes) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/**
 * Waits up to `graceMs` for the matching processes to be gone (a process being killed needs a
 * moment to die); returns the ones still there, none in the usual case.
 * @param {(value: string) => boolean} matches
 * @param {number} graceMs
 * @returns {Promise<MarkedProcess[]>}
 */
export async function waitUntilGone(matches, graceMs) {
  const deadlineMs = performance.now() + graceMs;
  for (;;) {
    const left = findMarkedProcesses(matches);
    if (left.length === 0 || performance.now() > deadlineMs) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
