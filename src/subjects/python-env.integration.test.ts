// The Python bots' virtual environment, with stand-in interpreters: small shell scripts that answer
// the version probe, "create" a venv by copying themselves and log every pip install. Nothing is
// downloaded; python-bots.test.ts covers the real venv.
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import {
  ensurePythonEnv,
  PYTHON_OVERRIDE_VARIABLE,
  PythonEnvError,
  type PythonEnvOptions,
  pythonRequired,
  venvPython,
} from "./python-env.ts";

/** A stand-in `python`: prints "<version> <has venv>" for `-c`, copies itself for `-m venv`, logs `-m pip`. */
const fakePython = (version: string, hasVenv: boolean) => `#!/bin/sh
echo "$*" >> "$FAKE_PY_LOG"
case "$1" in
  -c) echo "${version} ${hasVenv ? 1 : 0}" ;;
  -m)
    if [ "$2" = venv ]; then mkdir -p "$4/bin" && cp "$0" "$4/bin/python"; fi
    if [ "$2" = pip ] && [ -n "$FAKE_PIP_FAIL" ]; then
      echo "Collecting aiogram==9.9" && echo "ERROR: No matching distribution found for aiogram==9.9" >&2 && exit 1
    fi ;;
esac
`;

interface Sandbox {
  dir: string;
  log: string;
  requirements: string;
  options: (extra?: Partial<PythonEnvOptions> & { env?: NodeJS.ProcessEnv }) => PythonEnvOptions;
  /** Writes a stand-in interpreter and returns its path. */
  interpreter: (name: string, version: string, hasVenv?: boolean) => Promise<string>;
  /** The arguments of every call of every stand-in, in order. */
  calls: () => Promise<string[]>;
}

async function sandbox(t: TestContext): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), "tgbench-python-env-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const log = join(dir, "calls.log");
  const requirements = join(dir, "requirements.txt");
  await writeFile(requirements, "aiogram==3.31.0\n");
  await writeFile(log, "");
  return {
    dir,
    log,
    requirements,
    options: (extra = {}) => ({
      venvDir: join(dir, ".venv"),
      requirementsFile: requirements,
      candidates: [],
      ...extra,
      env: { PATH: process.env.PATH, FAKE_PY_LOG: log, ...extra.env },
    }),
    interpreter: async (name, version, hasVenv = true) => {
      const path = join(dir, name);
      await writeFile(path, fakePython(version, hasVenv));
      await chmod(path, 0o755);
      return path;
    },
    calls: async () => (await readFile(log, "utf8")).split("\n").filter((line) => line !== ""),
  };
}

const pipInstalls = (calls: string[]) => calls.filter((c) => c.startsWith("-m pip install"));
const venvCreations = (calls: string[]) => calls.filter((c) => c.startsWith("-m venv"));

describe("ensurePythonEnv", () => {
  test("creates the venv from the first Python 3.10+ with venv, installs the requirements and says so", async (t) => {
    const s = await sandbox(t);
    const old = await s.interpreter("python-old", "3.8.10");
    const bare = await s.interpreter("python-bare", "3.12.1", false);
    const good = await s.interpreter("python-good", "3.11.7");
    const env = await ensurePythonEnv(s.options({ candidates: [join(s.dir, "missing"), old, bare, good] }));
    assert.deepEqual(env, { python: venvPython(join(s.dir, ".venv")), version: "3.11.7", action: "created" });
    const calls = await s.calls();
    assert.deepEqual(venvCreations(calls), [`-m venv --clear ${join(s.dir, ".venv")}`]);
    assert.equal(pipInstalls(calls).length, 1);
    assert.match(pipInstalls(calls)[0]!, new RegExp(`-r ${s.requirements}$`));
  });

  test("reuses an up-to-date venv without running pip, and reinstalls when the requirements change", async (t) => {
    const s = await sandbox(t);
    const good = await s.interpreter("python3", "3.12.1");
    assert.equal((await ensurePythonEnv(s.options({ candidates: [good] }))).action, "created");
    assert.equal((await ensurePythonEnv(s.options({ candidates: [good] }))).action, "reused");
    assert.equal(pipInstalls(await s.calls()).length, 1, "no pip run for an up-to-date venv");

    await writeFile(s.requirements, "aiogram==3.31.0\npython-telegram-bot==22.8\n");
    assert.equal((await ensurePythonEnv(s.options({ candidates: [good] }))).action, "installed");
    const calls = await s.calls();
    assert.equal(pipInstalls(calls).length, 2);
    assert.equal(venvCreations(calls).length, 1, "the venv itself is kept");
  });

  test("callers in one process share one attempt", async (t) => {
    const s = await sandbox(t);
    const good = await s.interpreter("python3", "3.11.7");
    const results = await Promise.all(
      [1, 2, 3].map(() => ensurePythonEnv(s.options({ candidates: [good] }))),
    );
    assert.deepEqual(
      results.map((r) => r.action),
      ["created", "created", "created"],
    );
    assert.equal(pipInstalls(await s.calls()).length, 1);
  });

  test("without a usable interpreter, throws one line naming what was tried and what to do", async (t) => {
    const s = await sandbox(t);
    const old = await s.interpreter("python3", "3.9.18");
    const error = await ensurePythonEnv(s.options({ candidates: [join(s.dir, "python3.13"), old] })).then(
      () => assert.fail("no error"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PythonEnvError);
    assert.equal(error.problem, "no-interpreter");
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, /Python 3\.10\+/);
    assert.match(error.message, /python3\.13: not found/);
    assert.match(error.message, /python3: 3\.9\.18/);
    assert.match(error.message, new RegExp(PYTHON_OVERRIDE_VARIABLE));
  });

  test(`${PYTHON_OVERRIDE_VARIABLE} names the interpreter when no candidates are given`, async (t) => {
    const s = await sandbox(t);
    const chosen = await s.interpreter("my-python", "3.13.0");
    const options = s.options({ env: { [PYTHON_OVERRIDE_VARIABLE]: chosen } });
    delete options.candidates;
    const env = await ensurePythonEnv(options);
    assert.equal(env.version, "3.13.0");
  });

  test("a failed pip install throws pip's last line, leaves no stamp, and the next call tries again", async (t) => {
    const s = await sandbox(t);
    const good = await s.interpreter("python3", "3.11.7");
    const failing = s.options({ candidates: [good], env: { FAKE_PIP_FAIL: "1" } });
    const error = await ensurePythonEnv(failing).then(
      () => assert.fail("no error"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PythonEnvError);
    assert.equal(error.problem, "install-failed");
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, /No matching distribution found for aiogram==9\.9$/);
    assert.match(error.detail, /Collecting aiogram==9\.9/);
    assert.equal((await ensurePythonEnv(s.options({ candidates: [good] }))).action, "installed");
  });

  test("reports its slow steps before taking them", async (t) => {
    const s = await sandbox(t);
    const good = await s.interpreter("python3", "3.11.7");
    const steps: string[] = [];
    await ensurePythonEnv(s.options({ candidates: [good], onStep: (step) => steps.push(step) }));
    assert.equal(steps.length, 2);
    assert.match(steps[0]!, /^creating .*\.venv with .*python3 \(Python 3\.11\.7\)$/);
    assert.match(steps[1]!, /^installing .*requirements\.txt/);
  });
});

describe("pythonRequired", () => {
  const cases: [string, NodeJS.ProcessEnv, boolean][] = [
    ["CI=true", { CI: "true" }, true],
    ["CI=1", { CI: "1" }, true],
    ["CI unset", {}, false],
    ["CI empty", { CI: "" }, false],
    ["CI=false", { CI: "false" }, false],
    ["CI=0", { CI: "0" }, false],
  ];
  for (const [name, env, expected] of cases) {
    test(`is ${expected} when ${name}`, () => {
      assert.equal(pythonRequired(env), expected);
    });
  }
});
