import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  MODE_PREDICTORS,
  type Prediction,
  predictLongPolling,
  predictMode,
  predictShortPolling,
  predictWebhook,
} from "./polling-model.ts";

/** λ = 60 updates per hour, the worked example of harness-anchors.md §5. */
const SIXTY_PER_HOUR = 60 / 3_600;

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );
}

describe("the worked example at λ = 60/h", () => {
  const rows: {
    mode: string;
    prediction: Prediction;
    requestsPerHour: number;
    emptyPerHour: number;
    emptySharePercent?: number;
  }[] = [
    {
      mode: "short T=1 s",
      prediction: predictMode("short-polling", { ratePerSecond: SIXTY_PER_HOUR, intervalMs: 1_000 }),
      requestsPerHour: 3_600,
      emptyPerHour: 3_540,
      emptySharePercent: 98.3,
    },
    {
      mode: "short T=5 s",
      prediction: predictMode("short-polling", { ratePerSecond: SIXTY_PER_HOUR, intervalMs: 5_000 }),
      requestsPerHour: 720,
      emptyPerHour: 662,
      emptySharePercent: 92.0,
    },
    {
      mode: "long τ=10 s",
      prediction: predictMode("long-polling", { ratePerSecond: SIXTY_PER_HOUR, timeoutSeconds: 10 }),
      requestsPerHour: 391,
      emptyPerHour: 331,
    },
    {
      mode: "long τ=30 s",
      prediction: predictMode("long-polling", { ratePerSecond: SIXTY_PER_HOUR, timeoutSeconds: 30 }),
      requestsPerHour: 152,
      emptyPerHour: 92,
      emptySharePercent: 60.7,
    },
    {
      mode: "webhook",
      prediction: predictMode("webhook", { ratePerSecond: SIXTY_PER_HOUR }),
      requestsPerHour: 60,
      emptyPerHour: 0,
      emptySharePercent: 0,
    },
  ];
  for (const { mode, prediction, requestsPerHour, emptyPerHour, emptySharePercent } of rows) {
    test(`${mode}: ${requestsPerHour} requests/h, ${emptyPerHour} empty`, () => {
      assert.equal(Math.round(prediction.requestsPerHour), requestsPerHour);
      assert.equal(Math.round(prediction.emptyRequestsPerHour), emptyPerHour);
      if (emptySharePercent !== undefined) {
        assert.equal(Math.round(prediction.emptyShare * 1_000) / 10, emptySharePercent);
      }
      assertClose(prediction.requestsPerUpdate, prediction.requestsPerHour / 60, 1e-9, "requests per update");
    });
  }

  test("mean added delay: T/2 + rtt for short polling, about one rtt otherwise", () => {
    const rttMs = 40;
    const base = { ratePerSecond: SIXTY_PER_HOUR, rttMs };
    const short = predictShortPolling({ ...base, intervalMs: 5_000 });
    assert.equal(short.meanAddedDelayMs, 2_540);
    assert.equal(short.p99AddedDelayMs, 4_990);
    assertClose(predictLongPolling({ ...base, timeoutSeconds: 30 }).meanAddedDelayMs, rttMs, 0.1, "long");
    assert.equal(predictWebhook({ ...base, handlerMs: 5 }).meanAddedDelayMs, rttMs);
  });
});

describe("limits", () => {
  test("long polling without arrivals makes one empty request per timeout + gap, without NaN", () => {
    const p = predictLongPolling({ ratePerSecond: 0, timeoutSeconds: 30, rttMs: 50 });
    assert.equal(p.emptyShare, 1);
    assert.equal(p.meanCycleMs, 30_050);
    assertClose(p.requestsPerHour, 3_600_000 / 30_050, 1e-9, "requests/h");
    assert.equal(p.emptyRequestsPerHour, p.requestsPerHour);
    assert.equal(p.requestsPerUpdate, Number.POSITIVE_INFINITY);
    assert.equal(p.meanAddedDelayMs, 50 + ((50 / 30_050) * 50) / 2);
  });

  test("long polling at a tiny rate tends smoothly to the no-arrival limit", () => {
    const tiny = predictLongPolling({ ratePerSecond: 1e-12, timeoutSeconds: 30 });
    assertClose(tiny.meanCycleMs, 30_000, 1e-6, "cycle");
  });

  test("long polling under heavy load polls back to back, once per gap, never empty", () => {
    const p = predictLongPolling({ ratePerSecond: 1e9, timeoutSeconds: 30, rttMs: 20 });
    assertClose(p.meanCycleMs, 20, 1e-3, "cycle");
    assertClose(p.requestsPerHour, 180_000, 0.1, "requests/h");
    assert.equal(p.emptyShare, 0);
    assertClose(p.meanAddedDelayMs, 30, 1e-3, "rtt + gap/2");
    assert.ok(p.requestsPerUpdate < 1e-6);
  });

  test("short polling without arrivals: every poll is empty; under heavy load none is", () => {
    const idle = predictShortPolling({ ratePerSecond: 0, intervalMs: 1_000 });
    assert.deepEqual(
      [idle.emptyShare, idle.emptyRequestsPerHour, idle.requestsPerUpdate],
      [1, 3_600, Infinity],
    );
    const busy = predictShortPolling({ ratePerSecond: 1e9, intervalMs: 1_000 });
    assert.deepEqual([busy.emptyShare, busy.emptyRequestsPerHour], [0, 0]);
  });

  test("webhook: one POST per update at any rate, and Little's law against max_connections", () => {
    assert.equal(predictWebhook({ ratePerSecond: 0 }).requestsPerUpdate, 1);
    const light = predictWebhook({ ratePerSecond: 100, rttMs: 50, handlerMs: 150 });
    assert.equal(light.inFlight, 20);
    assert.equal(light.withinMaxConnections, true);
    const heavy = predictWebhook({ ratePerSecond: 1_000, rttMs: 50, handlerMs: 150, maxConnections: 100 });
    assert.equal(heavy.inFlight, 200);
    assert.equal(heavy.withinMaxConnections, false);
  });
});

describe("predictMode", () => {
  test("covers every mode and returns only the shared figures", () => {
    assert.deepEqual(Object.keys(MODE_PREDICTORS), ["short-polling", "long-polling", "webhook"]);
    const p = predictMode("long-polling", { ratePerSecond: 1, timeoutSeconds: 10 });
    assert.deepEqual(Object.keys(p).sort(), [
      "emptyRequestsPerHour",
      "emptyShare",
      "meanAddedDelayMs",
      "requestsPerHour",
      "requestsPerUpdate",
    ]);
  });

  test("parameters out of range are refused with a RangeError naming them", () => {
    const cases: [string, () => unknown][] = [
      ["intervalMs", () => predictShortPolling({ ratePerSecond: 1, intervalMs: 0 })],
      ["ratePerSecond", () => predictWebhook({ ratePerSecond: -1 })],
      ["ratePerSecond", () => predictWebhook({ ratePerSecond: Number.NaN })],
      ["rePollGapMs", () => predictLongPolling({ ratePerSecond: 1, timeoutSeconds: 0 })],
      ["maxConnections", () => predictWebhook({ ratePerSecond: 1, maxConnections: 0 })],
    ];
    for (const [name, call] of cases) {
      assert.throws(
        call,
        (error: unknown) => error instanceof RangeError && error.message.includes(name),
        name,
      );
    }
  });
});
