#!/usr/bin/env node
// Creates or updates the Python bots' virtual environment (.venv/, with the requirements file the
// Python bots' registry entries name: bench/bots/python/requirements.txt) exactly as `tgbench run`
// does before a Python bot's first cell, so CI has it before `npm test`.
// Prints one line; exits 1 with one line (and pip's last lines) when it cannot be done.
// Usage: node scripts/setup-python.mjs     (TGBENCH_PYTHON=/path/to/python3.12 picks the interpreter)
import { register } from "tsx/esm/api";

register();
const { ensurePythonEnv, PythonEnvError } = await import("../src/subjects/python-env.ts");
const { pythonRequirementsFile } = await import("../bench/bots/catalog.ts");

try {
  const env = await ensurePythonEnv({
    requirementsFile: pythonRequirementsFile(),
    onStep: (step) => console.error(`setup-python: ${step} …`),
  });
  console.log(
    `setup-python: ${env.python} (Python ${env.version}) ${env.action === "reused" ? "is up to date" : `${env.action}`}`,
  );
} catch (error) {
  if (!(error instanceof PythonEnvError)) throw error;
  console.error(`setup-python: ${error.message}`);
  if (error.detail !== "") console.error(error.detail);
  process.exitCode = 1;
}
