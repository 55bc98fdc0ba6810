/** The model at the ends of the rate axis: no traffic at all, and more than the bot can take. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { closedForm } from "./closed-form/index.ts";
import type { ModelInput } from "./inputs.ts";
import { assertNear } from "./model-test-helpers.ts";
import { simulate } from "./simulation/simulate.ts";

const idleCells: Array<{ name: string; input: ModelInput; pollsPerHour: number }> = [
  {
    // A held call every other time: one 3 s hold, then a call 0.1 s later.
    name: "short polling T = 0.1 s with the rule: two calls per 3.1 s",
    input: { ratePerSecond: 0, mode: { mode: "short-polling", intervalMs: 100 } },
    pollsPerHour: (3_600_000 * 2) / 3_100,
  },
  {
    name: "short polling T = 0.1 s without it: 3600/T",
    input: { ratePerSecond: 0, antiBusyLoop: false, mode: { mode: "short-polling", intervalMs: 100 } },
    pollsPerHour: 36_000,
  },
  {
    name: "long polling τ = 30 s over 20 ms: one call per τ + RTT",
    input: { ratePerSecond: 0, mode: { mode: "long-polling", timeoutSeconds: 30 }, network: { rttMs: 20 } },
    pollsPerHour: 3_600_000 / 30_020,
  },
  {
    name: "long polling τ = 2 s: held to 3 s every other time",
    input: { ratePerSecond: 0, mode: { mode: "long-polling", timeoutSeconds: 2 }, network: { rttMs: 20 } },
    pollsPerHour: (3_600_000 * 2) / (2_000 + 3_000 + 40),
  },
];

describe("no traffic (λ → 0)", () => {
  for (const { name, input, pollsPerHour } of idleCells) {
    test(`${name}: closed form, its λ → 0 limit and the simulation agree`, () => {
      const idle = closedForm(input).figures;
      assertNear(idle.pollsPerHour, pollsPerHour, 1e-6, "closed form at λ = 0");
      assert.equal(idle.emptyShare, 1);
      assert.equal(idle.requestsPerAnsweredUpdate, Number.POSITIVE_INFINITY);
      // A rate so small that no update comes in a day tends to the same figures.
      const tiny = closedForm({ ...input, ratePerSecond: 1e-9 }).figures;
      assertNear(tiny.pollsPerHour, pollsPerHour, pollsPerHour * 1e-6, "λ = 1e-9/s");
      assertNear(tiny.emptyShare, 1, 1e-6, "λ = 1e-9/s empty share");
      const run = simulate(input, { durationMs: 600_000 });
      assertNear(run.figures.pollsPerHour, pollsPerHour, pollsPerHour * 0.01, "simulation");
    });
  }

  test("webhook: no wait, one fixed way there and back, two requests per update", () => {
    const input: ModelInput = {
      ratePerSecond: 1e-6,
      mode: { mode: "webhook", maxConnections: 40 },
      handlerMs: 30,
      network: { rttMs: 60 },
    };
    const cf = closedForm(input).figures;
    assertNear(cf.deliveryWaitMs.meanMs, 0, 1e-6, "wait");
    assert.equal(cf.deliveryWaitMs.p99Ms, 0);
    // Down 30 ms, handler 30 ms, the reply up 30 ms.
    assert.equal(cf.endToEndMs.p50Ms, 90);
    assert.equal(cf.requestsPerAnsweredUpdate, 2);
    assert.equal(cf.pollsPerHour, 0);
  });
});

describe("more than the bot can take (λ → ∞)", () => {
  test("short polling: every call carries updates, the rule never fires, calls come every T", () => {
    const input: ModelInput = { ratePerSecond: 500, mode: { mode: "short-polling", intervalMs: 100 } };
    const run = simulate(input, { durationMs: 20_000 });
    // Only the very first call, at 0 ms before any update, is empty (and the one after it repeats its offset).
    assert.equal(run.emptyGetUpdates, 1);
    assert.ok(run.heldPolls <= 1);
    assertNear(run.figures.pollsPerHour, 36_000, 400, "polls per hour");
    // 50 updates per call on average, below the limit of 100: closed forms still apply.
    assertNear(closedForm(input).figures.requestsPerAnsweredUpdate, 1 + 1 / 50, 1e-6, "requests per update");
  });

  test("long polling at the limit: full batches back to back, one round trip and the replies apart", () => {
    const input: ModelInput = {
      ratePerSecond: 3_000,
      mode: { mode: "long-polling", timeoutSeconds: 30 },
      network: { rttMs: 20 },
      handlerMs: 10,
    };
    const cf = closedForm(input);
    // Batches of 100 outgrow the reference bot's 32 connections: no closed form but the ceiling.
    assert.equal(cf.figures.emptyShare, null);
    // A cycle: the call's 20 ms round trip, 10 ms handler, replies in ⌈100/32⌉ = 4 rounds of 20 ms.
    assertNear(cf.figures.throughputCeilingPerSecond, 100 / 0.11, 1e-9, "ceiling");
    const run = simulate(input, { durationMs: 3_000, drainTimeoutMs: 0 });
    assert.equal(run.figures.emptyShare, 0);
    assert.ok(run.answered < 0.5 * run.generated, "a backlog builds");
  });
});
