/**
 * The model's inputs that belong to the machine rather than to the protocol, measured in the same
 * run by the machine probe (probe.ts) while each cell ran, and fed to that cell's model:
 * - the network's one-way delay on loopback: half the probe's API round trip (another Node
 *   process calling getMe on a fake API in this one: wake-up, scheduling and request handling on
 *   a busy machine), drawn per message; with a relay, the relay's own delay (its fixed part and
 *   its log-normal jitter, as the runner gives them), plus half of what the probe's round trip
 *   through a relay of the same kind took beyond that relay's nominal round trip (the hops into
 *   and out of the relay, its handling of each chunk, its timer lateness), plus the cell's own
 *   relay's mean lateness (its delivery queue's punctuality, which the trial records) where it
 *   was later than the probe's relay;
 * - the fake API's timer latency: this process's timer lateness;
 * - the bot's timer latency: the probe process's timer lateness;
 * - what a real Bot API call costs the bot and the fake API beyond the probe's trivial getMe
 *   (parsing and building updates and messages, the runner's listeners on the fake API's events):
 *   a calibration cell (grid.ts `WEBHOOK_SERVICE_CALIBRATION`) runs one webhook connection past
 *   saturation, so that its replies per second are one over a POST's service time; the difference
 *   from the model's service time for that cell, spread over the service's
 *   {@link MESSAGES_PER_POST} messages (the POST, the reply call, their answers), is added to every
 *   one-way message of the cells that follow it, up to the next calibration cell (one runs right
 *   before each webhook saturation cell, as the load drifts; the cells that run together before
 *   the first take the first). A webhook cell with one connection then agrees with its ceiling by
 *   construction: that ceiling is the quantity measured.
 * Nothing is fitted to a cell's figures: every value is a probe measurement from the cell's own
 * time window, and the calibration's notes print the medians and 90th percentiles.
 */
import { createRng } from "../../src/generator/rng.ts";
import { type DurationSpec, type ModelInput, type NetworkInput, predict } from "../../src/model/index.ts";
import { JITTER_LOG_SIGMA, jitterFloorMs, networkWithRtt } from "../../src/network/index.ts";
import { PROBE_RELAY_RTT_MS, type ProbeSamples, type TimedSample } from "./probe.ts";
import { storedInput } from "./rows.ts";
import type { GridResult } from "./run-grid.ts";

export interface Calibration {
  /** What was calibrated, from which measurement, with the values. */
  notes: string[];
  apply(input: ModelInput, result: GridResult): ModelInput;
}

/** Values per empirical distribution (uniformly subsampled), so that simulations stay fast. */
const MAX_VALUES = 2_000;

/** The probe's samples inside [fromMs, toMs] (wall clock), all of them when the window has none. */
function within(samples: readonly TimedSample[], fromMs: number, toMs: number): number[] {
  const inside = samples.filter(([at]) => at >= fromMs && at <= toMs).map(([, v]) => v);
  return inside.length > 0 ? inside : samples.map(([, v]) => v);
}

function subsample(values: number[]): number[] {
  if (values.length <= MAX_VALUES) return values;
  const step = values.length / MAX_VALUES;
  return Array.from({ length: MAX_VALUES }, (_, i) => values[Math.floor(i * step)]!);
}

const empirical = (values: number[]): DurationSpec =>
  values.length === 0 ? 0 : { kind: "empirical", samplesMs: subsample(values.map((v) => Math.max(0, v))) };

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * What one message through a relay costs beyond the relay's nominal delay, from the probe's
 * relayed round trips: half of each one's excess over the probe relay's nominal round trip, and
 * that relay's mean lateness (already in those round trips).
 */
export interface RelayedHop {
  excessMs: number[];
  probeLatenessMs: number;
}

/**
 * The loopback hop and, for a relayed cell, the relay's delay on top, as the model's network.
 * A relayed message costs the probe's relayed hop where the probe measured one (`relayed`), else
 * (grids saved before) the loopback hop plus the cell's relay lateness.
 */
export function calibratedNetwork(
  result: GridResult,
  hopMs: number[],
  seed: string,
  relayed: RelayedHop | null = null,
): NetworkInput {
  const cell = result.cell;
  if (cell.rttMs === 0) return { upMs: 0, downMs: 0, jitterMs: empirical(hopMs) };
  const cellLateMs = result.report.cells[0]?.trials[0]?.network.stats?.queue.meanLatenessMs ?? 0;
  // The probe's relayed round trips include its own relay's lateness; the cell's relay may have
  // been later than that (its queue carries more), and the difference is the cell's own.
  const base = relayed === null || relayed.excessMs.length === 0 ? hopMs : relayed.excessMs;
  const relayLateMs =
    relayed === null || relayed.excessMs.length === 0
      ? cellLateMs
      : Math.max(0, cellLateMs - relayed.probeLatenessMs);
  const profile = networkWithRtt(cell.rttMs);
  const leg = profile.toTelegram;
  const scaleMs = -jitterFloorMs(leg.jitterMs);
  const rng = createRng(seed);
  const draws = subsample(base).map((hop) => {
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    return hop + relayLateMs + (scaleMs === 0 ? 0 : scaleMs * Math.exp(JITTER_LOG_SIGMA * z));
  });
  const fixedMs = Math.max(0, leg.delayMs - scaleMs);
  return {
    upMs: fixedMs,
    downMs: fixedMs,
    jitterMs: empirical(draws),
    lossShare: leg.lossProbability,
    connectionSetupRoundTrips: profile.setupRoundTrips,
  };
}

/** Each cell's machine inputs from the probe samples of its own run. */
export function calibrationFor(results: readonly GridResult[], probe: ProbeSamples | null): Calibration {
  if (probe === null) {
    return {
      notes: ["none: no probe samples (every input as the runner stored it)"],
      apply: (input) => input,
    };
  }
  const windows = new Map<string, { fromMs: number; toMs: number }>();
  for (const r of results) {
    const trial = r.report.cells[0]?.trials[0];
    if (trial === undefined) continue;
    const fromMs = Date.parse(trial.startedAt);
    windows.set(r.cell.name, { fromMs, toMs: fromMs + trial.window.recordedMs });
  }
  const all = (samples: readonly TimedSample[]) => samples.map(([, v]) => v);
  const roundTrips = (probe.apiRoundTripMs ?? []).length > 0 ? probe.apiRoundTripMs : probe.roundTripMs;
  const hop = all(roundTrips).map((v) => v / 2);
  const describe = (what: string, values: number[]) =>
    `${what}: median ${quantile(values, 0.5).toFixed(2)} ms, p90 ${quantile(values, 0.9).toFixed(2)} ms (${values.length} samples over the run)`;
  const base: Calibration = {
    notes: [
      describe("loopback one-way delay (probe API round trip / 2)", hop),
      describe(
        "the other direction (harness → probe process round trip / 2)",
        all(probe.roundTripMs).map((v) => v / 2),
      ),
      describe("fake API timer latency (harness timer lateness)", all(probe.harnessTimerLatenessMs)),
      describe("bot timer latency (probe process timer lateness)", all(probe.botTimerLatenessMs)),
      ...((probe.relayedApiRoundTripMs ?? []).length === 0
        ? []
        : [
            describe(
              `a message through a relay beyond its delay (probe round trip through a ${probe.relayRttMs ?? PROBE_RELAY_RTT_MS} ms relay, less ${probe.relayRttMs ?? PROBE_RELAY_RTT_MS} ms, / 2)`,
              all(probe.relayedApiRoundTripMs!).map(
                (v) => (v - (probe.relayRttMs ?? PROBE_RELAY_RTT_MS)) / 2,
              ),
            ),
          ]),
      (probe.relayedApiRoundTripMs ?? []).length === 0
        ? "each cell takes the samples of its own run window; a relayed cell adds its relay's mean lateness per message"
        : "each cell takes the samples of its own run window; a relayed cell's messages cost the relayed hop (plus its own relay's lateness beyond the probe relay's)",
    ],
    apply: (input, result) => machine(input, result),
  };
  const machine = (input: ModelInput, result: GridResult): ModelInput => {
    const cell = result.cell;
    const w = windows.get(cell.name) ?? {
      fromMs: Number.NEGATIVE_INFINITY,
      toMs: Number.POSITIVE_INFINITY,
    };
    const hopMs = within(roundTrips, w.fromMs, w.toMs).map((v) => v / 2);
    const relayed: RelayedHop | null =
      (probe.relayedApiRoundTripMs ?? []).length === 0
        ? null
        : {
            excessMs: within(probe.relayedApiRoundTripMs!, w.fromMs, w.toMs).map(
              (v) => (v - (probe.relayRttMs ?? PROBE_RELAY_RTT_MS)) / 2,
            ),
            probeLatenessMs: probe.relayMeanLatenessMs ?? 0,
          };
    return {
      ...input,
      network: calibratedNetwork(result, hopMs, `calibration/${cell.name}`, relayed),
      serverTimerLatencyMs: empirical(within(probe.harnessTimerLatenessMs, w.fromMs, w.toMs)),
      botTimerLatencyMs: empirical(within(probe.botTimerLatenessMs, w.fromMs, w.toMs)),
    };
  };
  const overheads = results
    .filter((r) => r.cell.calibration === true && r.cell.mode === "webhook")
    .map((r) => ({ at: windows.get(r.cell.name)?.fromMs ?? 0, post: postOverhead(r, machine) }))
    .filter((o): o is { at: number; post: NonNullable<ReturnType<typeof postOverhead>> } => o.post !== null)
    .sort((a, b) => a.at - b.at);
  if (overheads.length === 0) return base;
  /** The last calibration that ran before the cell (or the first, for a cell that ran before any). */
  const overheadFor = (result: GridResult) => {
    const at = windows.get(result.cell.name)?.fromMs ?? 0;
    return [...overheads].reverse().find((o) => o.at <= at)?.post ?? overheads[0]!.post;
  };
  return {
    notes: [...base.notes, ...overheads.map((o) => o.post.note)],
    apply: (input, result) => {
      const calibrated = machine(input, result);
      const post = overheadFor(result);
      return withMessageCost(calibrated, Math.max(0, post.overheadMs) / MESSAGES_PER_POST);
    },
  };
}

/**
 * The messages of one webhook POST's service with a reply call: the POST, the bot's sendMessage,
 * and the answers to both. What the calibration measures beyond the model is spread over them.
 */
export const MESSAGES_PER_POST = 4;

/** `input` with every one-way message `extraMs` longer (the bot's and the fake API's handling of a real call). */
export function withMessageCost(input: ModelInput, extraMs: number): ModelInput {
  const network = input.network ?? {};
  return {
    ...input,
    network: {
      ...network,
      upMs: (network.upMs ?? 0) + extraMs,
      downMs: (network.downMs ?? 0) + extraMs,
    },
  };
}

/** The webhook service time the calibration cell measured, beyond the model's for that cell. */
function postOverhead(
  result: GridResult,
  machine: (input: ModelInput, result: GridResult) => ModelInput,
): { overheadMs: number; handlerMs: number; note: string } | null {
  const cell = result.report.cells[0];
  const trial = cell?.trials.find((t) => t.outcome.kind === "completed");
  const answeredPerSecond = trial?.throughput.answeredPerSecond ?? null;
  if (cell === undefined || trial === undefined || answeredPerSecond === null) return null;
  const input = machine(storedInput(result.report, cell, trial), result);
  const ceiling = predict(input, { simulation: { seed: "calibration" } }).figures.throughputCeilingPerSecond;
  if (ceiling === null || !Number.isFinite(ceiling)) return null;
  const measuredMs = 1_000 / answeredPerSecond;
  const modelMs = 1_000 / ceiling;
  const overheadMs = measuredMs - modelMs;
  return {
    overheadMs,
    handlerMs: result.cell.handlerMs,
    note: `webhook POST service time: ${measuredMs.toFixed(2)} ms measured (${result.cell.name}: ${answeredPerSecond.toFixed(2)} answered/s), ${modelMs.toFixed(2)} ms in the model; the difference, ${overheadMs >= 0 ? "+" : ""}${overheadMs.toFixed(2)} ms over its ${MESSAGES_PER_POST} messages, ${(Math.max(0, overheadMs) / MESSAGES_PER_POST).toFixed(2)} ms, is added to every message of the cells that follow it (the first calibration: also those before it)`,
  };
}

export function describeCalibration(calibration: Calibration): string[] {
  return calibration.notes.map((n) => `calibration: ${n}`);
}

/** Above this, a probe round trip means the machine (or this process) stalled while a cell ran. */
export const STALL_MS = 100;

/** Cells whose run window saw a probe round trip over {@link STALL_MS}, with the longest. */
export function stalledCells(
  results: readonly GridResult[],
  probe: ProbeSamples | null,
): Array<{ cell: string; maxRoundTripMs: number }> {
  if (probe === null) return [];
  const roundTrips = (probe.apiRoundTripMs ?? []).length > 0 ? probe.apiRoundTripMs : probe.roundTripMs;
  const out: Array<{ cell: string; maxRoundTripMs: number }> = [];
  for (const r of results) {
    const trial = r.report.cells[0]?.trials[0];
    if (trial === undefined) continue;
    const fromMs = Date.parse(trial.startedAt);
    const toMs = fromMs + trial.window.recordedMs;
    const inside = roundTrips.filter(([at]) => at >= fromMs && at <= toMs).map(([, v]) => v);
    const maxRoundTripMs = inside.length === 0 ? 0 : Math.max(...inside);
    if (maxRoundTripMs > STALL_MS) out.push({ cell: r.cell.name, maxRoundTripMs });
  }
  return out;
}
