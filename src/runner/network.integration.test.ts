import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatLedger } from "../metrics/ledger.ts";
import { registerReferenceBot } from "./reference-bot-for-tests.ts";
import { runScenario } from "./run.ts";
import { resolveScenario } from "./scenario.ts";
import type { NetworkFactory } from "./trial-network.ts";
import { relayNetwork } from "./trial-network.ts";

registerReferenceBot();

const RTT_MS = 40;

/** The runner's relay network, recording every route it was asked for. */
function recordingRelay(routes: string[]): NetworkFactory {
  return (profile, seed) => {
    const network = relayNetwork(profile, seed);
    return {
      ...network,
      route: async (url, target) => {
        routes.push(target);
        return network.route(url, target);
      },
    };
  };
}

describe("a cell across an emulated network", () => {
  for (const mode of ["long-polling", "webhook"] as const) {
    test(`${mode}: the bot's calls ${mode === "webhook" ? "and the webhook POSTs " : ""}cross the relay, and every update pays the round trip`, async () => {
      const scenario = resolveScenario({
        bots: ["reference"],
        modes: [mode],
        ratesPerSecond: [10],
        arrival: "constant",
        durationMs: 1_000,
        warmupUpdates: 2,
        drainTimeoutMs: 60_000,
        startupTimeoutMs: 60_000,
        network: { rttMs: [RTT_MS], https: false },
      });
      const routes: string[] = [];
      const report = await runScenario(scenario, { toolVersion: "test", network: recordingRelay(routes) });
      const cell = report.cells[0]!;
      assert.equal(cell.network.name, "rtt-40ms+no-tls");
      assert.equal(cell.status, "ran");
      const trial = cell.trials[0]!;
      assert.ok(trial.ledger.balanced, formatLedger(trial.ledger));
      assert.equal(trial.ledger.answered, 10);
      assert.equal(trial.network.profile.name, cell.network.name, "the trial records its network too");
      assert.equal(trial.network.emulator, "relay");
      const relays = Object.keys(trial.network.stats?.relays ?? {});
      assert.deepEqual(
        routes.sort(),
        mode === "webhook" ? ["bot", "telegram"] : ["telegram"],
        "the API root, and the webhook URL, routed once each",
      );
      assert.equal(relays.length, routes.length);
      // An update is answered after it crossed to the bot and the reply crossed back: one round trip at least.
      assert.ok(trial.latency.endToEnd.minUs! >= RTT_MS * 1_000, `${trial.latency.endToEnd.minUs} µs`);
      const prediction = cell.prediction!;
      assert.ok(prediction !== null && prediction.input !== null);
      assert.deepEqual(
        [prediction.input.network?.upMs, prediction.input.network?.downMs],
        [RTT_MS / 2, RTT_MS / 2],
      );
      assert.ok(prediction.endToEndMs.p50Ms! >= RTT_MS, "the model pays the round trip too");
    });
  }

  test("loopback starts no relay and records no emulator", async () => {
    const scenario = resolveScenario({
      bots: ["reference"],
      modes: ["webhook"],
      ratesPerSecond: [10],
      arrival: "constant",
      durationMs: 500,
      warmupUpdates: 1,
      drainTimeoutMs: 60_000,
      startupTimeoutMs: 60_000,
    });
    const report = await runScenario(scenario, { toolVersion: "test" });
    const trial = report.cells[0]!.trials[0]!;
    assert.equal(report.cells[0]!.network.name, "loopback");
    assert.equal(trial.network.emulator, "none");
    assert.equal(trial.network.stats, null);
  });
});
