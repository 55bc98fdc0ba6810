// The environment contract (docs/bot-contract.md), from outside: every registered Node bot exits
// with code 2 and one stderr line when the contract is broken (env.test.ts has the parsing).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { describe, test } from "node:test";
import {
  type BotMode,
  BUILT_IN_SUBJECTS,
  type BuiltInSubject,
  scriptPath,
} from "../../src/subjects/registry.ts";
import { registerBench } from "../index.ts";
import { BotProcess, WAIT_TIMEOUT_MS } from "./bot-process.ts";

registerBench();

const BOT_TOKEN = "123456789:secret";

/** Every Node bot script the runner's registry names, with the modes it is registered for (python-bots.test.ts has the Python ones). */
function registeredScripts(): Map<string, BotMode[]> {
  const scripts = new Map<string, BotMode[]>();
  for (const subject of Object.values(BUILT_IN_SUBJECTS) as BuiltInSubject[]) {
    if (subject.runtime !== "node") continue;
    for (const mode of Object.keys(subject.scripts) as BotMode[]) {
      const path = scriptPath(subject, mode)!;
      scripts.set(path, [...(scripts.get(path) ?? []), mode]);
    }
  }
  return scripts;
}

describe("every registered bot", () => {
  for (const [path, modes] of registeredScripts()) {
    const file = basename(path);
    const badModes = [
      undefined,
      "sideways",
      ...(["polling", "webhook"] as const).filter((m) => !modes.includes(m)),
    ];
    test(`${file} exits with code 2 and one stderr line when BOT_MODE is ${badModes.map((m) => m ?? "unset").join(", ")}`, async (t) => {
      // The registry names it, so it must exist: a missing bot fails here rather than skipping.
      assert.ok(existsSync(path), `the registry names ${path}, which does not exist`);
      const runs = badModes.map(async (mode) => {
        const bot = new BotProcess(path, {
          BOT_TOKEN,
          // Port 9 (discard): nothing must be sent anywhere before the environment is checked.
          TELEGRAM_API_ROOT: "http://127.0.0.1:9",
          ...(mode === undefined ? {} : { BOT_MODE: mode }),
        });
        t.after(() => bot.kill());
        const exit = await bot.waitForExit(WAIT_TIMEOUT_MS);
        const label = `BOT_MODE=${mode ?? "(unset)"}`;
        assert.deepEqual(exit, { code: 2, signal: null }, `${label}\n${bot.output}`);
        const name = file.replace(/\.mjs$/, "");
        assert.match(bot.output, new RegExp(`^${name}: BOT_MODE [^\\n]+$`), `${label}: one line on stderr`);
      });
      await Promise.all(runs);
    });
  }
});
