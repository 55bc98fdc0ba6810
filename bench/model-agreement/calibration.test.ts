import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { duration } from "../../src/model/index.ts";
import { networkWithRtt } from "../../src/network/index.ts";
import { fixtureCell, fixtureReport, fixtureTrial } from "../../src/report/report-fixtures.ts";
import { calibrationFor, MESSAGES_PER_POST } from "./calibration.ts";
import { MODEL_GRID, WEBHOOK_SERVICE_CALIBRATION } from "./grid.ts";
import type { ProbeSamples, TimedSample } from "./probe.ts";
import { storedInput } from "./rows.ts";
import type { GridResult } from "./run-grid.ts";

const STARTED = Date.parse("2026-01-02T03:04:05.000Z");
/** Samples of one value, inside the fixture trial's window. */
const flat = (valueMs: number): TimedSample[] =>
  Array.from({ length: 50 }, (_, i): TimedSample => [STARTED + 100 * (i + 1), valueMs]);

/** The grid's long-polling cell at 20 ms, as measured with its relay this late on average. */
function relayedCell(relayLatenessMs: number): GridResult {
  const gridCell = MODEL_GRID.find((c) => c.name === "long τ=5s λ=20 rtt=20")!;
  const trial = fixtureTrial("long-polling", 20);
  const profile = networkWithRtt(20);
  trial.network = {
    profile,
    seed: trial.seed,
    emulator: "relay",
    stats: {
      relays: {},
      queue: { delivered: 100, meanLatenessMs: relayLatenessMs, maxLatenessMs: 2, lateOver1Ms: 0, spinMs: 0 },
    },
  };
  const cell = fixtureCell("reference", "long-polling", 20, [trial]);
  cell.network = profile;
  cell.settings = { pollTimeoutSeconds: 5 };
  return { cell: gridCell, report: fixtureReport([cell]), concurrent: 0 };
}

function probe(relayed: boolean): ProbeSamples {
  return {
    apiRoundTripMs: flat(0.6),
    roundTripMs: flat(0.6),
    harnessTimerLatenessMs: flat(0.1),
    botTimerLatenessMs: flat(0.1),
    ...(relayed ? { relayedApiRoundTripMs: flat(21.6), relayRttMs: 20, relayMeanLatenessMs: 0.1 } : {}),
  };
}

/** The calibrated model network's mean one-way delay beyond the relay's 10 ms. */
function extraPerMessageMs(result: GridResult, samples: ProbeSamples): number {
  const report = result.report;
  const cell = report.cells[0]!;
  const input = calibrationFor([result], samples).apply(storedInput(report, cell, cell.trials[0]!), result);
  const network = input.network!;
  assert.equal(network.upMs, 10);
  assert.equal(network.downMs, 10);
  return duration("jitter", network.jitterMs ?? 0).meanMs;
}

describe("calibration of a relayed cell", () => {
  test("each message costs half the probe's relayed round trip beyond the relay's, not the loopback hop", () => {
    // Relayed getMe: 21.6 ms through a 20 ms relay, so 0.8 ms a message; loopback: 0.3 ms a message.
    const extra = extraPerMessageMs(relayedCell(0.1), probe(true));
    assert.ok(Math.abs(extra - 0.8) < 1e-9, `got ${extra}`);
  });

  test("the cell's relay being later than the probe's adds the difference", () => {
    const extra = extraPerMessageMs(relayedCell(0.5), probe(true));
    assert.ok(Math.abs(extra - (0.8 + 0.4)) < 1e-9, `got ${extra}`);
  });

  test("a grid saved before the relayed probe keeps the loopback hop plus the relay's lateness", () => {
    const extra = extraPerMessageMs(relayedCell(0.5), probe(false));
    assert.ok(Math.abs(extra - (0.3 + 0.5)) < 1e-9, `got ${extra}`);
  });
});

/** The webhook calibration cell, as measured answering `answeredPerSecond`, started `atMs` after the fixtures' time. */
function webhookCalibration(answeredPerSecond: number): GridResult {
  const trial = fixtureTrial("webhook", 40);
  trial.throughput.answeredPerSecond = answeredPerSecond;
  trial.startedAt = new Date(STARTED - 60_000).toISOString();
  const cell = fixtureCell("reference", "webhook", 40, [trial]);
  cell.settings = { webhookMaxConnections: 1 };
  const report = fixtureReport([cell]);
  report.scenario = { ...report.scenario, handlerDelayMs: 50, webhookMaxConnections: 1, groups: 0 };
  return { cell: WEBHOOK_SERVICE_CALIBRATION, report, concurrent: 0 };
}

describe("calibration of a real call's handling", () => {
  test("what a webhook POST took beyond the model is spread over its messages and added to every message", () => {
    const relayed = relayedCell(0.1);
    const samples = probe(true);
    const without = extraPerMessageMs(relayed, samples);
    // The model's service time here is about 50 ms + 4 hops; measured: 1000/18 = 55.6 ms.
    const calibration = webhookCalibration(18);
    const all = calibrationFor([calibration, relayed], samples);
    const cell = relayed.report.cells[0]!;
    const input = all.apply(storedInput(relayed.report, cell, cell.trials[0]!), relayed);
    const note = all.notes.find((n) => n.startsWith("webhook POST service time"));
    assert.ok(note !== undefined, all.notes.join("\n"));
    const overheadMs = Number(/the difference, \+?(-?[\d.]+) ms/.exec(note)![1]);
    assert.ok(overheadMs > 3, note);
    const perMessageMs = overheadMs / MESSAGES_PER_POST;
    // Every message: 10 ms of the relay, plus the real call's handling; the relayed hop unchanged.
    close(input.network!.upMs!, 10 + perMessageMs, 0.01);
    close(input.network!.downMs!, 10 + perMessageMs, 0.01);
    close(duration("jitter", input.network!.jitterMs ?? 0).meanMs, without, 1e-9);
  });
});

function close(a: number, b: number, tolerance: number): void {
  assert.ok(Math.abs(a - b) <= tolerance, `${a} is not within ${tolerance} of ${b}`);
}
