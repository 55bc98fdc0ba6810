import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NetworkEmulator, networkWithRtt } from "../../src/network/index.ts";
import { runTraffic, type TrafficMode, type TrafficNetwork } from "./traffic.ts";

const direct: TrafficNetwork = { apiRoot: async (url) => url, webhookUrl: async (url) => url };

const options = (mode: TrafficMode) => ({
  mode,
  updates: 20,
  warmupUpdates: 3,
  ratePerSecond: 200,
  seed: "traffic-test",
  pollTimeoutSeconds: 5,
  webhookMaxConnections: 4,
  drainTimeoutMs: 10_000,
});

describe("runTraffic", () => {
  for (const mode of ["long-polling", "webhook"] as const) {
    test(`${mode}: every measured update is answered once, and its requests are counted`, async () => {
      const result = await runTraffic(options(mode), direct);
      assert.equal(result.answered, 20);
      assert.equal(result.sendMessage, 20);
      assert.equal(result.errors, 0);
      if (mode === "webhook") assert.equal(result.webhookPosts, 20);
      else assert.ok(result.getUpdates >= 1 && result.getUpdates <= 21, `${result.getUpdates} polls`);
      assert.ok(result.latenciesMs.every((ms) => ms >= 0));
    });
  }

  test("through a 20 ms relay every latency is at least a round trip", async (t) => {
    const network = new NetworkEmulator(networkWithRtt(20, { https: false }));
    t.after(() => network.close());
    const result = await runTraffic(options("webhook"), {
      apiRoot: (url) => network.route(url, "telegram"),
      webhookUrl: (url) => network.route(url, "bot"),
    });
    assert.equal(result.answered, 20);
    // The POST's leg to the bot, then sendMessage's leg back.
    for (const ms of result.latenciesMs) assert.ok(ms >= 20, `${ms} ms`);
  });
});
