/**
 * The closed forms against the simulation, on the grid of issue 12: two independent derivations of
 * the same protocol rules must agree within the simulation's own sampling error (4σ).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { quantileOfSorted } from "../figures.ts";
import type { ModelInput } from "../inputs.ts";
import {
  assertNear,
  batchMeansError,
  emptyShareError,
  requestsPerUpdateError,
  SIGMAS,
} from "../model-test-helpers.ts";
import { simulateCeiling } from "../simulation/ceiling.ts";
import { type SimulationResult, simulate } from "../simulation/simulate.ts";
import { closedForm } from "./index.ts";

/** Compares every figure the closed form has with the run; returns how many it compared. */
function compare(label: string, input: ModelInput, run: SimulationResult): number {
  const cf = closedForm(input).figures;
  let compared = 0;
  if (cf.emptyShare !== null) {
    assertNear(
      run.figures.emptyShare,
      cf.emptyShare,
      SIGMAS * emptyShareError(run) + 1e-3,
      `${label} empty share`,
    );
    compared++;
  }
  if (cf.requestsPerAnsweredUpdate !== null) {
    assertNear(
      run.figures.requestsPerAnsweredUpdate,
      cf.requestsPerAnsweredUpdate,
      SIGMAS * requestsPerUpdateError(run) + 1e-3,
      `${label} requests per update`,
    );
    compared++;
  }
  const checkLatency = (name: "deliveryWaitMs" | "endToEndMs", samples: readonly number[]) => {
    const cfLatency = cf[name];
    if (cfLatency.meanMs !== null) {
      const tolerance = SIGMAS * batchMeansError(samples) + 0.05;
      assertNear(run.figures[name].meanMs, cfLatency.meanMs, tolerance, `${label} ${name} mean`);
      compared++;
    }
    const sorted = [...samples].sort((a, b) => a - b);
    // Updates of one poll share their fate: count polls, not updates, as independent draws.
    const independent = Math.max(
      1,
      Math.min(samples.length, run.getUpdates * (1 - (run.figures.emptyShare ?? 0)) || samples.length),
    );
    for (const [key, q] of [
      ["p50Ms", 0.5],
      ["p90Ms", 0.9],
    ] as const) {
      const expected = cfLatency[key];
      if (expected === null) continue;
      const half = SIGMAS * Math.sqrt((q * (1 - q)) / independent);
      const low = quantileOfSorted(sorted, Math.max(0, q - half))!;
      const high = quantileOfSorted(sorted, Math.min(1, q + half))!;
      assert.ok(
        expected >= low - 0.05 && expected <= high + 0.05,
        `${label} ${name} ${key}: ${expected} outside the run's [${low}, ${high}]`,
      );
      compared++;
    }
  };
  checkLatency("deliveryWaitMs", run.samples.deliveryWaitMs);
  checkLatency("endToEndMs", run.samples.endToEndMs);
  return compared;
}

describe("short polling: closed forms = simulation over λT 0.05–3, T 0.1/0.3/1 s, the rule on and off, RTT 0/20/160 ms", () => {
  for (const intervalMs of [100, 300, 1_000]) {
    test(`T = ${intervalMs} ms`, () => {
      let compared = 0;
      let cells = 0;
      for (const lambdaT of [0.05, 0.2, 1, 3]) {
        for (const antiBusyLoop of [true, false]) {
          for (const rttMs of [0, 20, 160]) {
            const input: ModelInput = {
              ratePerSecond: lambdaT / (intervalMs / 1_000),
              mode: { mode: "short-polling", intervalMs },
              antiBusyLoop,
              network: { rttMs },
            };
            const label = `T=${intervalMs} λT=${lambdaT} rule=${antiBusyLoop} rtt=${rttMs}`;
            const run = simulate(input, { updates: lambdaT < 0.1 ? 1_500 : 3_000, seed: label });
            compared += compare(label, input, run);
            cells++;
          }
        }
      }
      // Every cell has at least its empty share, requests and mean wait from a closed form, but
      // one: λT = 3 at T = 0.1 s over 160 ms, where a batch can outgrow the reference bot's 32 connections.
      assert.ok(compared >= 3 * (cells - 2), `only ${compared} figures compared over ${cells} cells`);
    });
  }
});

describe("short polling under the hold, where limit = 1 matters", () => {
  test("λT = 3 at T = 0.1 s: the held call takes one update and leaves the rest to the next", () => {
    // A held call finds several updates most of the time; the ones it leaves wait one more window.
    const input: ModelInput = { ratePerSecond: 30, mode: { mode: "short-polling", intervalMs: 100 } };
    const run = simulate(input, { updates: 40_000, seed: "limit one" });
    const cf = closedForm(input).figures;
    const waits = run.samples.deliveryWaitMs;
    assertNear(
      run.figures.deliveryWaitMs.meanMs,
      cf.deliveryWaitMs.meanMs,
      SIGMAS * batchMeansError(waits),
      "mean wait",
    );
    assertNear(
      run.figures.requestsPerAnsweredUpdate,
      cf.requestsPerAnsweredUpdate,
      SIGMAS * requestsPerUpdateError(run),
      "requests per update",
    );
    assert.equal(run.limitedPolls, run.heldPolls, "every held call comes with limit 1 at T < 0.5 s");
  });
});

describe("long polling: closed forms = simulation for τ 2/5/30 s, the rule on and off, RTT 0/20/160 ms", () => {
  for (const timeoutSeconds of [2, 5, 30]) {
    test(`τ = ${timeoutSeconds} s`, () => {
      let compared = 0;
      for (const ratePerSecond of [0.05, 0.5, 3]) {
        for (const antiBusyLoop of [true, false]) {
          for (const rttMs of [0, 20, 160]) {
            const input: ModelInput = {
              ratePerSecond,
              mode: { mode: "long-polling", timeoutSeconds },
              antiBusyLoop,
              network: { rttMs },
            };
            const label = `τ=${timeoutSeconds} λ=${ratePerSecond} rule=${antiBusyLoop} rtt=${rttMs}`;
            compared += compare(label, input, simulate(input, { updates: 2_000, seed: label }));
          }
        }
      }
      assert.ok(compared >= 18 * 7, `only ${compared} figures compared`);
    });
  }
});

describe("the bots' pacing and concurrency in the closed forms", () => {
  for (const bot of ["reference", "grammy-runner", "telegraf", "ptb"]) {
    test(`${bot}: short and long polling with a 20 ms handler, RTT 0 and 60 ms`, () => {
      for (const mode of [
        { mode: "short-polling", intervalMs: 300 },
        { mode: "long-polling", timeoutSeconds: 2 },
      ] as const) {
        for (const rttMs of [0, 60]) {
          const input: ModelInput = { bot, ratePerSecond: 2, mode, handlerMs: 20, network: { rttMs } };
          const label = `${bot} ${mode.mode} rtt=${rttMs}`;
          assert.ok(compare(label, input, simulate(input, { updates: 2_500, seed: label })) >= 3, label);
        }
      }
    });
  }

  test("grammY bot.start handles one update at a time: its polling figures are left to the simulation", () => {
    const cf = closedForm({
      bot: "grammy",
      ratePerSecond: 2,
      mode: { mode: "long-polling", timeoutSeconds: 5 },
      handlerMs: 20,
    });
    assert.equal(cf.figures.emptyShare, null);
    assert.ok(cf.notes.some((n) => n.includes("one at a time")));
  });
});

describe("webhooks: closed forms = simulation, max_connections 1 and 40, handler 50 ms, up to and past saturation", () => {
  for (const maxConnections of [1, 40]) {
    for (const rttMs of [0, 20, 160]) {
      test(`max_connections ${maxConnections}, RTT ${rttMs} ms`, () => {
        const base: ModelInput = {
          ratePerSecond: 1,
          mode: { mode: "webhook", maxConnections },
          handlerMs: 50,
          network: { rttMs },
          // Many chats, so that max_connections (not one busy chat's order) sets the ceiling.
          population: { users: 1_000, groups: 10, groupShare: 0.2 },
        };
        const ceiling = closedForm(base).figures.throughputCeilingPerSecond!;
        // S = 4 one-way trips + handler; the ceiling is max_connections / S.
        assertNear(ceiling, (maxConnections * 1_000) / (2 * rttMs + 50), 1e-9, "ceiling");
        let compared = 0;
        for (const load of [0.1, 0.5, 0.8]) {
          const input = { ...base, ratePerSecond: ceiling * load };
          const label = `mc=${maxConnections} rtt=${rttMs} ρ=${load}`;
          compared += compare(
            label,
            input,
            simulate(input, { updates: load > 0.6 ? 20_000 : 4_000, seed: label }),
          );
        }
        assert.ok(compared >= 3, `only ${compared} figures compared`);
        // Past saturation: offered twice the ceiling, the simulation answers at the ceiling.
        const measured = simulateCeiling(base, ceiling, { seed: `ceiling ${maxConnections} ${rttMs}` });
        assert.ok(Math.abs(measured / ceiling - 1) < 0.03, `ceiling ${measured} vs ${ceiling}`);
      });
    }
  }

  test("an overloaded trial: waits grow through the trial as the fluid limit says", () => {
    // One connection, S = 50 ms (μ = 20/s), λ = 30/s for 5 s: update i waits i(1/μ − 1/λ), so the
    // mean over the trial is (D/2)(λ/μ − 1) = 1.25 s — seconds, where the first model said 0.2 ms.
    const input: ModelInput = {
      ratePerSecond: 30,
      mode: { mode: "webhook", maxConnections: 1 },
      handlerMs: 50,
    };
    const waits: number[] = [];
    for (let seed = 0; seed < 8; seed++) {
      waits.push(
        simulate(input, { durationMs: 5_000, seed: `overload ${seed}` }).figures.deliveryWaitMs.meanMs!,
      );
    }
    const mean = waits.reduce((s, w) => s + w, 0) / waits.length;
    assert.ok(Math.abs(mean / 1_250 - 1) < 0.15, `mean wait ${mean} ms`);
    assert.equal(closedForm(input).figures.deliveryWaitMs.meanMs, null);
  });
});

describe("polling ceilings: the fluid bound = the simulation under overload", () => {
  const cells: ModelInput[] = [
    {
      ratePerSecond: 1,
      mode: { mode: "long-polling", timeoutSeconds: 30 },
      handlerMs: 20,
      network: { rttMs: 60 },
    },
    {
      ratePerSecond: 1,
      mode: { mode: "short-polling", intervalMs: 300 },
      handlerMs: 20,
      network: { rttMs: 160 },
    },
    {
      bot: "grammy",
      ratePerSecond: 1,
      mode: { mode: "long-polling", timeoutSeconds: 30 },
      handlerMs: 20,
      network: { rttMs: 20 },
    },
    {
      bot: "ptb",
      ratePerSecond: 1,
      mode: { mode: "short-polling", intervalMs: 100 },
      handlerMs: 5,
      network: { rttMs: 20 },
    },
    {
      bot: "grammy-runner",
      ratePerSecond: 1,
      mode: { mode: "long-polling", timeoutSeconds: 30 },
      handlerMs: 50,
      network: { rttMs: 20 },
    },
  ];
  for (const input of cells) {
    test(`${input.bot ?? "reference"} ${input.mode.mode}`, () => {
      const ceiling = closedForm(input).figures.throughputCeilingPerSecond!;
      assert.ok(Number.isFinite(ceiling));
      const measured = simulateCeiling(input, ceiling);
      assert.ok(Math.abs(measured / ceiling - 1) < 0.03, `ceiling ${measured} vs ${ceiling}`);
    });
  }
});

describe("constant arrivals", () => {
  test("short polling without the hold: the empty share is 1 − λT whatever the phase", () => {
    const input: ModelInput = {
      ratePerSecond: 0.7,
      arrivals: "constant",
      antiBusyLoop: false,
      mode: { mode: "short-polling", intervalMs: 1_000 },
    };
    assertNear(closedForm(input).figures.emptyShare, 0.3, 1e-12, "closed form");
    const run = simulate(input, { updates: 2_000 });
    assertNear(run.figures.emptyShare, 0.3, 0.002, "simulation");
  });

  test("long polling: a fixed number of timeouts between updates, each update waits the batching window", () => {
    const input: ModelInput = {
      ratePerSecond: 1 / 12,
      arrivals: "constant",
      mode: { mode: "long-polling", timeoutSeconds: 5 },
    };
    const cf = closedForm(input).figures;
    // 12 s apart, 5 s timeouts: two empty calls between updates.
    assertNear(cf.emptyShare, 2 / 3, 1e-12, "closed form");
    const run = simulate(input, { updates: 200 });
    assertNear(run.figures.emptyShare, cf.emptyShare, 0.01, "simulation");
    const spaced = { ...input, ratePerSecond: 1 / 4 };
    assertNear(closedForm(spaced).figures.deliveryWaitMs.p90Ms, 1, 1e-12, "wait = W");
    assertNear(simulate(spaced, { updates: 200 }).figures.deliveryWaitMs.p90Ms, 1, 1e-9, "simulated wait");
  });

  test("a webhook with one connection never queues updates spaced at least S apart", () => {
    const input: ModelInput = {
      ratePerSecond: 15,
      arrivals: "constant",
      mode: { mode: "webhook", maxConnections: 1 },
      handlerMs: 50,
    };
    assert.equal(closedForm(input).figures.deliveryWaitMs.p99Ms, 0);
    assert.equal(simulate(input, { updates: 300 }).figures.deliveryWaitMs.p999Ms, 0);
  });
});
