import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cellsOf, resolveScenario, ScenarioError } from "./scenario.ts";

const base = { botCommands: ["stand-in=true"], modes: ["long-polling"], ratesPerSecond: [1, 20] };

describe("the network as a sweep dimension", () => {
  test("is loopback alone by default", () => {
    const scenario = resolveScenario(base);
    assert.deepEqual(
      scenario.networks.map((n) => n.name),
      ["loopback"],
    );
    assert.equal(cellsOf(scenario).length, 2);
  });

  test("a cell is bot × mode × rate × network, networks innermost", () => {
    const scenario = resolveScenario({ ...base, network: { networks: ["region", "continent"], rttMs: [5] } });
    assert.deepEqual(
      cellsOf(scenario).map((c) => `${c.ratePerSecond} ${c.network.name}`),
      ["1 region", "1 continent", "1 rtt-5ms", "20 region", "20 continent", "20 rtt-5ms"],
    );
  });

  test("a bad network option is a scenario error in the user's units", () => {
    for (const [network, message] of [
      [{ networks: ["moon"] }, /unknown network "moon"/],
      [{ rttMs: ["fast"] }, /--rtt-ms must be a number from 0 to 10000 \(ms\), got "fast"/],
      [{ lossPercent: 3 }, /--loss-percent needs a network other than loopback/],
    ] as const) {
      assert.throws(
        () => resolveScenario({ ...base, network }),
        (e: unknown) => e instanceof ScenarioError && message.test(e.message),
      );
    }
  });
});
