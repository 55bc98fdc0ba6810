import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../generator/rng.ts";
import { duration } from "../model/index.ts";
import { createJitter, networkPreset, networkWithRtt } from "../network/index.ts";
import { fixtureTrial } from "../report/report-fixtures.ts";
import type { SubjectRef } from "../results/index.ts";
import { cellModelInput, cellPrediction, latenessInput, meanLatenessMs, networkInput } from "./cell-model.ts";
import { type Cell, resolveScenario as resolve, type ScenarioOptions } from "./scenario.ts";

/** A scenario; its own bot does not matter here (each test builds its cell), so no registry is needed. */
const resolveScenario = (options: ScenarioOptions) => resolve({ botCommands: ["stand-in=true"], ...options });

const reference: SubjectRef = {
  name: "reference",
  builtIn: {
    name: "reference",
    description: "",
    framework: "undici",
    scripts: { polling: "reference.mjs", webhook: "reference.mjs" },
    defaultPollTimeoutSeconds: 30,
    pollTimeoutConfigurable: true,
    webhookReply: true,
    runtime: "node",
  },
  command: undefined,
  modes: ["polling", "webhook"],
};

const cellOf = (
  mode: Cell["mode"],
  subject: SubjectRef = reference,
  network = networkPreset("loopback"),
): Cell => ({
  subject,
  mode,
  ratePerSecond: 2,
  network,
});

describe("the model's input for a cell", () => {
  const scenario = resolveScenario({
    pollIntervalMs: 300,
    handlerDelayMs: 5,
    antiBusyLoop: false,
    webhookMaxConnections: 7,
    webhookReply: true,
    users: 30,
    groups: 0,
  });

  test("takes the mode's settings, the handler time, the population and the anti-busy-loop switch", () => {
    const short = cellModelInput(scenario, cellOf("short-polling"), 0)!;
    assert.deepEqual(short.mode, { mode: "short-polling", intervalMs: 300 });
    assert.equal(short.handlerMs, 5);
    assert.equal(short.antiBusyLoop, false);
    assert.deepEqual(short.population, { users: 30, groups: 0 });
    assert.equal(short.bot, "reference");
    const long = cellModelInput(scenario, cellOf("long-polling"), 0)!;
    assert.deepEqual(
      long.mode,
      { mode: "long-polling", timeoutSeconds: 30 },
      "the framework's default timeout",
    );
    const webhook = cellModelInput(scenario, cellOf("webhook"), 0)!;
    assert.deepEqual(webhook.mode, { mode: "webhook", maxConnections: 7, webhookReply: true });
  });

  test("a bot the model does not know is modelled as the reference bot, and the notes say so", () => {
    const custom: SubjectRef = {
      name: "mine",
      builtIn: undefined,
      command: "node mine.js",
      modes: ["polling"],
    };
    const input = cellModelInput(
      resolveScenario({ pollTimeoutSeconds: 10 }),
      cellOf("long-polling", custom),
      0,
    )!;
    assert.equal(input.bot, "reference");
    const prediction = cellPrediction(
      resolveScenario({ pollTimeoutSeconds: 10 }),
      cellOf("long-polling", custom),
      [],
    )!;
    assert.ok(prediction.notes.some((n) => n.includes("does not know mine")));
  });

  test("a long poll without a known timeout has no model", () => {
    const custom: SubjectRef = {
      name: "mine",
      builtIn: undefined,
      command: "node mine.js",
      modes: ["polling"],
    };
    assert.equal(cellModelInput(resolveScenario({}), cellOf("long-polling", custom), 0), null);
  });

  test("the generator's measured lateness is an input: its distribution, with a note", () => {
    const trial = fixtureTrial("webhook", 2);
    const latenessMs = meanLatenessMs([trial]);
    assert.ok(latenessMs > 0);
    const spec = latenessInput([trial]);
    const lateness = duration("lateness", spec);
    assert.ok(
      Math.abs(lateness.meanMs - latenessMs) <= 0.02 * latenessMs + 0.01,
      `${lateness.meanMs} vs ${latenessMs}`,
    );
    const prediction = cellPrediction(resolveScenario({}), cellOf("webhook"), [trial])!;
    assert.deepEqual(prediction.input?.injectionLatencyMs, spec);
    assert.ok(prediction.notes.some((n) => n.startsWith("measured in this run")));
  });

  test("a cell whose trial expects no update gets the steady state, also at a distance, with a note", () => {
    // One update a minute in a trial of a few seconds: a trial-like simulation would see a poll
    // answered only where an update happened to arrive (long polling: 0% empty).
    const scenario = resolveScenario({ ratesPerSecond: [1 / 60] });
    const idle = { ...cellOf("long-polling", reference, networkWithRtt(100)), ratePerSecond: 1 / 60 };
    const prediction = cellPrediction(scenario, idle, [])!;
    assert.ok(prediction.notes.some((n) => n.includes("expects less than one update")));
    assert.ok(!prediction.notes.some((n) => n.includes("simulated trial")));
    assert.ok(prediction.emptyShare !== null && prediction.emptyShare > 0.3, `${prediction.emptyShare}`);
  });

  test("a ceiling nothing bounds is stored as null with a note, not Infinity (JSON has none)", () => {
    // Loopback, no handler time: nothing modelled limits a long-polling reference bot.
    const prediction = cellPrediction(resolveScenario({}), cellOf("long-polling"), [])!;
    assert.equal(prediction.throughputCeilingPerSecond, null);
    assert.ok(prediction.notes.includes("throughput ceiling: nothing modelled bounds it"));
    const distant = cellPrediction(
      resolveScenario({}),
      cellOf("long-polling", reference, networkWithRtt(100)),
      [],
    )!;
    assert.ok(distant.throughputCeilingPerSecond !== null && distant.throughputCeilingPerSecond < 1_000);
  });
});

describe("a network profile as the model's network", () => {
  test("loopback adds nothing", () => {
    const n = networkInput(networkPreset("loopback"));
    assert.deepEqual([n.upMs, n.downMs, n.jitterMs, n.lossShare], [0, 0, 0, 0]);
  });

  test("a round trip without jitter is half of it each way, with the handshakes of new connections", () => {
    const n = networkInput(networkWithRtt(40));
    assert.deepEqual([n.upMs, n.downMs, n.jitterMs], [20, 20, 0]);
    assert.equal(n.connectionSetupRoundTrips, 2, "TCP and TLS 1.3");
    assert.equal(networkInput(networkWithRtt(40, { https: false })).connectionSetupRoundTrips, 1);
  });

  test("a preset's delay has the relay's distribution: the same mean and spread per leg", () => {
    const profile = networkPreset("continent");
    const n = networkInput(profile);
    const jitter = duration("jitter", n.jitterMs!);
    const meanMs = n.upMs! + jitter.meanMs;
    const sdMs = Math.sqrt(jitter.secondMomentMs2 - jitter.meanMs ** 2);
    // The relay's: median delay + a deviation of median 0 and the leg's sd.
    const draw = createJitter(profile.toTelegram.jitterMs, createRng("test"));
    const draws = Array.from({ length: 50_000 }, () => profile.toTelegram.delayMs + draw());
    const relayMean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const relaySd = Math.sqrt(draws.reduce((s, v) => s + (v - relayMean) ** 2, 0) / draws.length);
    assert.ok(Math.abs(meanMs - relayMean) < 0.05, `${meanMs} vs ${relayMean}`);
    assert.ok(Math.abs(sdMs - relaySd) < 0.05, `${sdMs} vs ${relaySd}`);
    assert.ok(Math.abs(sdMs - profile.toTelegram.jitterMs) < 0.01);
  });

  test("loss per segment is the model's loss per message", () => {
    const n = networkInput(networkWithRtt(20, { lossPercent: 2 }));
    assert.equal(n.lossShare, 0.02);
  });
});
