import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { PythonEnvError } from "../subjects/python-env.ts";
import { type BuiltInSubject, registerBuiltInSubjects } from "../subjects/registry.ts";
import type { RunnerEvent } from "./events.ts";
import { prepareRuntimes } from "./runtimes.ts";
import { resolveScenario } from "./scenario.ts";

/** Bots of both runtimes, registered as bench/ registers the real ones (only the runtime matters here). */
const testBot = (name: string, runtime: BuiltInSubject["runtime"]): BuiltInSubject => ({
  name,
  description: `${name} (test entry)`,
  framework: name,
  scripts: { polling: `${name}.script`, webhook: `${name}.script` },
  defaultPollTimeoutSeconds: 30,
  pollTimeoutConfigurable: true,
  webhookReply: false,
  runtime,
});
registerBuiltInSubjects(
  [
    testBot("reference", "node"),
    testBot("grammy", "node"),
    testBot("aiogram", "python"),
    testBot("ptb", "python"),
  ],
  tmpdir(),
);

/** Python options under which no interpreter can be found, in a throw-away directory. */
async function noPython(t: TestContext) {
  const dir = await mkdtemp(join(tmpdir(), "tgbench-runtimes-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return { venvDir: join(dir, ".venv"), candidates: [join(dir, "python3")] };
}

function options(required: boolean, python: object) {
  const events: RunnerEvent[] = [];
  return {
    events,
    options: {
      required,
      signal: new AbortController().signal,
      emit: (e: RunnerEvent) => events.push(e),
      python,
    },
  };
}

describe("prepareRuntimes", () => {
  test("needs nothing for Node bots", async (t) => {
    const { events, options: o } = options(true, await noPython(t));
    const unavailable = await prepareRuntimes(resolveScenario({ bots: ["reference", "grammy"] }), o);
    assert.equal(unavailable.size, 0);
    assert.deepEqual(events, []);
  });

  test("without Python, skips the Python bots with the reason and says so in one line", async (t) => {
    const { events, options: o } = options(false, await noPython(t));
    const unavailable = await prepareRuntimes(resolveScenario({ bots: ["reference", "aiogram", "ptb"] }), o);
    assert.deepEqual([...unavailable.keys()], ["aiogram", "ptb"]);
    assert.match(unavailable.get("aiogram")!, /^Python unavailable: .*Python 3\.10\+/);
    assert.equal(events.length, 1);
    const notice = events[0]!;
    assert.equal(notice.type, "notice");
    assert.match(
      notice.type === "notice" ? notice.message : "",
      /^Python bots \(aiogram, ptb\) skipped: [^\n]+$/,
    );
  });

  test("without Python, throws when the Python bots are required (CI)", async (t) => {
    const { options: o } = options(true, await noPython(t));
    await assert.rejects(prepareRuntimes(resolveScenario({ bots: ["ptb"] }), o), (error: unknown) => {
      assert.ok(error instanceof PythonEnvError);
      assert.equal(error.problem, "no-interpreter");
      return true;
    });
  });
});
