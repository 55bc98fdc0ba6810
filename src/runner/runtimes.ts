import { ensurePythonEnv, PythonEnvError, type PythonEnvOptions } from "../subjects/python-env.ts";
import { requirementsPath } from "../subjects/registry.ts";
import type { RunnerEventSink } from "./events.ts";
import type { ResolvedScenario } from "./scenario.ts";

export interface RuntimeOptions {
  /** Fail the run (throw) when an interpreter is missing, instead of skipping its bots' cells. */
  required: boolean;
  signal: AbortSignal;
  emit: RunnerEventSink;
  /** Where and what to install; the defaults of python-env.ts otherwise. */
  python?: PythonEnvOptions;
}

/**
 * Prepares the interpreters the scenario's built-in bots need, once, before the first cell, so
 * that no cell's timing includes an install. Node bots need nothing (they run on this Node);
 * Python bots need the virtual environment of python-env.ts. Returns, per bot name, why its cells
 * cannot run (reported as skipped with that reason); throws the {@link PythonEnvError} instead
 * when `required` (in CI).
 */
export async function prepareRuntimes(
  scenario: ResolvedScenario,
  options: RuntimeOptions,
): Promise<Map<string, string>> {
  const unavailable = new Map<string, string>();
  const python = scenario.subjects.filter((s) => s.builtIn?.runtime === "python");
  const pythonBots = python.map((s) => s.name);
  if (pythonBots.length === 0) return unavailable;
  const names = pythonBots.join(", ");
  try {
    // One virtual environment for every Python bot: the requirements file their entries name.
    const files = [...new Set(python.flatMap((s) => requirementsPath(s.builtIn!) ?? []))];
    if (files.length > 1) {
      throw new PythonEnvError(
        "install-failed",
        `the Python bots ${names} need different requirements files (${files.join(", ")}); one virtual environment holds one`,
      );
    }
    const env = await ensurePythonEnv({
      ...(files[0] === undefined ? {} : { requirementsFile: files[0] }),
      ...options.python,
      signal: options.signal,
      onStep: (step) => options.emit({ type: "notice", message: `Python bots (${names}): ${step} …` }),
    });
    if (env.action !== "reused") {
      options.emit({
        type: "notice",
        message: `Python bots (${names}): ${env.action === "created" ? "created" : "updated"} ${env.python} (Python ${env.version})`,
      });
    }
  } catch (error: unknown) {
    if (options.signal.aborted) return unavailable;
    if (!(error instanceof PythonEnvError) || options.required) throw error;
    options.emit({ type: "notice", message: `Python bots (${names}) skipped: ${error.message}` });
    for (const name of pythonBots) unavailable.set(name, `Python unavailable: ${error.message}`);
  }
  return unavailable;
}
