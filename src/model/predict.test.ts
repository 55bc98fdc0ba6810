import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BOT_BEHAVIOURS } from "./bot-behaviours.ts";
import { resolveModelInput } from "./inputs.ts";
import { toPrediction } from "./legacy.ts";
import { predict } from "./predict.ts";

describe("predict: each figure from the best source", () => {
  test("short polling under the hold: counts and the mean from closed forms, percentiles from the simulation", () => {
    const p = predict(
      { ratePerSecond: 1, mode: { mode: "short-polling", intervalMs: 100 } },
      { simulation: { updates: 500 } },
    );
    assert.equal(p.sources.emptyShare, "closed-form");
    assert.equal(p.sources.requestsPerAnsweredUpdate, "closed-form");
    assert.equal(p.sources.deliveryWaitMs.meanMs, "closed-form");
    assert.equal(p.sources.deliveryWaitMs.p50Ms, "simulation");
    assert.equal(p.sources.endToEndMs.p99Ms, "simulation");
    assert.equal(p.sources.throughputCeilingPerSecond, "closed-form");
    assert.equal(p.figures.emptyShare, p.closedForm.figures.emptyShare);
    assert.equal(p.figures.deliveryWaitMs.p50Ms, p.simulation?.figures.deliveryWaitMs.p50Ms);
    assert.ok(p.notes.some((n) => n.includes("anti-busy-loop")));
  });

  test("long polling on a fixed network needs no simulation at all", () => {
    const p = predict({
      ratePerSecond: 2,
      mode: { mode: "long-polling", timeoutSeconds: 30 },
      network: { rttMs: 20 },
    });
    assert.equal(p.simulation, null);
    assert.equal(p.sources.endToEndMs.p999Ms, "closed-form");
  });

  test("jitter: polling figures from the simulation; the webhook's mean wait stays exact (Pollaczek–Khinchine)", () => {
    const network = { rttMs: 20, jitterMs: { kind: "exponential", meanMs: 2 } } as const;
    const polling = predict(
      { ratePerSecond: 2, mode: { mode: "long-polling", timeoutSeconds: 30 }, network },
      { simulation: { updates: 300 } },
    );
    assert.equal(polling.sources.emptyShare, "simulation");
    const webhook = predict(
      { ratePerSecond: 5, mode: { mode: "webhook", maxConnections: 1 }, handlerMs: 50, network },
      { simulation: { updates: 300 } },
    );
    assert.equal(webhook.sources.deliveryWaitMs.meanMs, "closed-form");
    assert.equal(webhook.sources.deliveryWaitMs.p90Ms, "simulation");
    assert.equal(webhook.sources.throughputCeilingPerSecond, "simulation");
  });

  test("with the simulation off, what has no closed form is null and says so", () => {
    const p = predict(
      { ratePerSecond: 1, mode: { mode: "short-polling", intervalMs: 100 } },
      { simulation: false },
    );
    assert.equal(p.simulation, null);
    assert.equal(p.figures.deliveryWaitMs.p50Ms, null);
    assert.equal(p.sources.deliveryWaitMs.p50Ms, "none");
  });

  test("no arrivals: the polling rhythm from the closed form, no latency, no simulation needed", () => {
    const p = predict({ ratePerSecond: 0, mode: { mode: "long-polling", timeoutSeconds: 30 } });
    assert.equal(p.simulation, null);
    assert.equal(p.figures.pollsPerHour, 120);
    assert.equal(p.figures.endToEndMs.p50Ms, null);
  });

  test("a webhook has no empty share; its ceiling is max_connections / S", () => {
    const p = predict(
      {
        ratePerSecond: 1,
        mode: { mode: "webhook" },
        handlerMs: 50,
        // Many chats, so that max_connections (not one busy chat's order) sets the ceiling.
        population: { users: 1_000, groups: 10, groupShare: 0.2 },
      },
      { simulation: { updates: 200 } },
    );
    assert.equal(p.figures.emptyShare, null);
    assert.equal(p.figures.throughputCeilingPerSecond, 800);
    assert.equal(p.input.mode.mode === "webhook" && p.input.mode.maxConnections, 40);
  });

  test("with few chats, the busiest chat's order sets a webhook's ceiling below max_connections / S", () => {
    // 5 groups share 20% of updates: each carries 4%, and its updates are delivered one at a
    // time (50 ms each), so it saturates at 20/s when the whole stream is at 500/s.
    const p = predict(
      {
        ratePerSecond: 1,
        mode: { mode: "webhook" },
        handlerMs: 50,
        population: { users: 200, groups: 5, groupShare: 0.2 },
      },
      { simulation: false },
    );
    assert.equal(p.figures.throughputCeilingPerSecond, 500);
  });
});

describe("inputs", () => {
  test("invalid values are refused with a RangeError naming them", () => {
    const cases: Array<[string, () => unknown]> = [
      ["ratePerSecond", () => resolveModelInput({ ratePerSecond: -1, mode: { mode: "webhook" } })],
      [
        "mode.intervalMs",
        () => resolveModelInput({ ratePerSecond: 1, mode: { mode: "short-polling", intervalMs: 0 } }),
      ],
      [
        "mode.timeoutSeconds",
        () => resolveModelInput({ ratePerSecond: 1, mode: { mode: "long-polling", timeoutSeconds: 2.5 } }),
      ],
      [
        "mode.maxConnections",
        () => resolveModelInput({ ratePerSecond: 1, mode: { mode: "webhook", maxConnections: 0 } }),
      ],
      ["unknown bot", () => resolveModelInput({ ratePerSecond: 1, mode: { mode: "webhook" }, bot: "nope" })],
      ["limit", () => resolveModelInput({ ratePerSecond: 1, mode: { mode: "webhook" }, limit: 101 })],
      [
        "network.lossShare",
        () => resolveModelInput({ ratePerSecond: 1, mode: { mode: "webhook" }, network: { lossShare: 0.9 } }),
      ],
      [
        "network.jitterMs",
        () => resolveModelInput({ ratePerSecond: 1, mode: { mode: "webhook" }, network: { jitterMs: -2 } }),
      ],
    ];
    for (const [name, call] of cases) {
      assert.throws(call, (e: unknown) => e instanceof RangeError && e.message.includes(name), name);
    }
  });
});

describe("toPrediction: the first model's shape for today's reports", () => {
  test("maps the figures, counting replies in requests as the measurement does", () => {
    const p = predict({
      ratePerSecond: 2,
      mode: { mode: "long-polling", timeoutSeconds: 30 },
      handlerMs: 10,
    });
    const legacy = toPrediction(p.figures, 10);
    assert.deepEqual(Object.keys(legacy).sort(), [
      "emptyRequestsPerHour",
      "emptyShare",
      "meanAddedDelayMs",
      "requestsPerHour",
      "requestsPerUpdate",
    ]);
    assert.equal(legacy.requestsPerUpdate, p.figures.requestsPerAnsweredUpdate);
    // About one poll (a few carry two updates) and one reply per update; the first model said 1.0.
    assert.ok(legacy.requestsPerUpdate > 1.9 && legacy.requestsPerUpdate < 2, `${legacy.requestsPerUpdate}`);
    assert.equal(legacy.meanAddedDelayMs, p.figures.endToEndMs.meanMs! - 10);
    const webhook = toPrediction(predict({ ratePerSecond: 2, mode: { mode: "webhook" } }).figures);
    assert.equal(webhook.emptyShare, 0);
  });
});
