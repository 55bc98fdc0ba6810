import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import type yargsEsm from "yargs";
import { QUICK_OVERRIDES } from "../runner/defaults.ts";
import { registerScenarios } from "../runner/scenario-registry.ts";
import { DEFAULT_SCENARIO, runOptions, scenarioOptionsFrom } from "./run-options.ts";

const yargs = createRequire(import.meta.url)("yargs") as typeof yargsEsm;

/** What bench/ registers as `default` (what `npm run bench` runs), stood in for by a scenario of the test's own. */
const DEFAULT = { name: "default", bots: ["aiogram"], ratesPerSecond: [0.5, 50], durationMs: 7_000 };
registerScenarios({ [DEFAULT_SCENARIO]: DEFAULT });

const parse = (argv: string[]) =>
  scenarioOptionsFrom(runOptions(yargs(argv)).parseSync() as never, QUICK_OVERRIDES);

describe("tgbench run's options", () => {
  test("no flags run the default scenario: what `npm run bench` runs", () => {
    assert.equal(DEFAULT_SCENARIO, "default");
    assert.deepEqual(parse([]), DEFAULT);
  });

  test("flags change the default scenario; durations are given in seconds", () => {
    assert.deepEqual(parse(["--rate", "1", "2.5", "--duration", "3"]), {
      ...DEFAULT,
      ratesPerSecond: [1, 2.5],
      durationMs: 3_000,
    });
  });

  test("--bot-command alone measures the custom bot alone; with --bot, beside it", () => {
    assert.deepEqual(parse(["--bot-command", "mine=node bot.mjs"]), {
      ...DEFAULT,
      bots: [],
      description: "",
      botCommands: ["mine=node bot.mjs"],
      excludeCells: [],
    });
    assert.deepEqual(parse(["--bot", "grammy", "--bot-command", "mine=node bot.mjs"]).bots, ["grammy"]);
  });

  test("flags that name bots, modes or networks drop the scenario's excluded cells; others keep them", () => {
    const excluded = { excludeCells: [{ bots: ["aiogram"], modes: ["short-polling" as const] }] };
    registerScenarios({ excluding: { ...DEFAULT, name: "excluding", ...excluded } });
    const named = (...argv: string[]) => parse(["--scenario", "excluding", ...argv]).excludeCells;
    assert.deepEqual(named(), excluded.excludeCells);
    assert.deepEqual(named("--rate", "5"), excluded.excludeCells);
    assert.deepEqual(named("--bot", "aiogram"), []);
    assert.deepEqual(named("--mode", "short-polling"), []);
    assert.deepEqual(named("--network", "continent"), []);
  });

  test("--quick shortens the same sweep", () => {
    assert.deepEqual(parse(["--quick"]), { ...DEFAULT, ...QUICK_OVERRIDES });
  });
});
