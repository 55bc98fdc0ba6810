import { execFile } from "node:child_process";
import { cpus, hostname } from "node:os";
import { promisify } from "node:util";
import type { CalibrationKey } from "./cache.ts";

const run = promisify(execFile);
const GIT_TIMEOUT_MS = 5_000;

/**
 * The key of a calibration made now: the git commit of the tool at `root` (its package root) and
 * whether its tracked files have uncommitted changes, the host name and the CPU model. Without git
 * the commit is "unknown" (and nothing is cached).
 */
export async function calibrationKey(root: string): Promise<CalibrationKey> {
  const host = hostname();
  const cpuModel = cpus()[0]?.model.trim() ?? "unknown";
  try {
    const git = (args: string[]) =>
      run("git", ["-C", root, ...args], { timeout: GIT_TIMEOUT_MS }).then((r) => r.stdout.trim());
    const commit = await git(["rev-parse", "HEAD"]);
    const dirty = (await git(["status", "--porcelain", "--untracked-files=no"])) !== "";
    return { commit, dirty, host, cpuModel };
  } catch {
    return { commit: "unknown", dirty: false, host, cpuModel };
  }
}
