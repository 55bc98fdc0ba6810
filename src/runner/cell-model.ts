/**
 * The model beside the measurement: a cell of the sweep as an input of src/model/'s `predict`
 * (its mode and settings, rate, arrivals, bot, handler time, population, anti-busy-loop switch and
 * network), and the prediction as report.json stores it. One input is measured in the same run:
 * the generator's lateness (how late the harness handed updates over), which is added to every
 * wait the runner times from the intended send time; the notes say so with its value.
 */

import { createLatencyHistogram, decodeLatencyHistogram } from "../metrics/latency-histogram.ts";
import {
  BOT_BEHAVIOURS,
  type DurationSpec,
  isBuiltInBotName,
  type ModelFigures,
  type ModelInput,
  type ModelPrediction,
  type NetworkInput,
  predict,
} from "../model/index.ts";
import { JITTER_LOG_SIGMA, jitterFloorMs, type NetworkLeg, type NetworkProfile } from "../network/index.ts";
import { type CellPrediction, cellDurationMs, type TrialResult } from "../results/index.ts";
import type { Cell, ResolvedScenario } from "./scenario.ts";
import { effectivePollTimeoutSeconds } from "./subject-launch.ts";

/** The bot a cell's model takes when the model does not know the cell's bot (a `--bot-command` bot). */
const STAND_IN_BOT = "reference";

/**
 * The model's input for a cell; null when the model cannot take it (a long-polling timeout that
 * is not known). `measuredLateness` is the generator's lateness in the cell's trials ({@link latenessInput}).
 */
export function cellModelInput(
  scenario: ResolvedScenario,
  cell: Cell,
  measuredLateness: DurationSpec,
): (ModelInput & { bot: string }) | null {
  const botName = isBuiltInBotName(cell.subject.name) ? cell.subject.name : STAND_IN_BOT;
  let mode: ModelInput["mode"];
  switch (cell.mode) {
    case "short-polling":
      mode = { mode: "short-polling", intervalMs: scenario.pollIntervalMs };
      break;
    case "long-polling": {
      const timeoutSeconds = effectivePollTimeoutSeconds(scenario, cell);
      if (timeoutSeconds === null) return null;
      mode = { mode: "long-polling", timeoutSeconds };
      break;
    }
    case "webhook":
      mode = {
        mode: "webhook",
        maxConnections: scenario.webhookMaxConnections,
        // Only a bot that can put its reply in the response does (bench/bots/, bot-behaviours.ts).
        webhookReply: scenario.webhookReply && BOT_BEHAVIOURS[botName].webhookReply,
      };
  }
  return {
    ratePerSecond: cell.ratePerSecond,
    mode,
    arrivals: scenario.arrival === "constant" ? "constant" : "poisson",
    bot: botName,
    antiBusyLoop: scenario.antiBusyLoop,
    network: networkInput(cell.network),
    handlerMs: scenario.handlerDelayMs,
    population: { users: scenario.users, groups: scenario.groups },
    injectionLatencyMs: measuredLateness,
  };
}

/**
 * A network profile as the model's network: per direction, the relay's delay is
 * max(0, median + jitter) with jitter = s·(e^{σZ} − 1) (src/network/jitter.ts), that is a fixed
 * part median − s plus a log-normal with median s and the same σ: exactly the model's one-way
 * delay plus its `jitterMs` distribution. Loss is per TCP segment; a bot's messages fit in one.
 */
export function networkInput(profile: NetworkProfile): NetworkInput {
  const up = legParts(profile.toTelegram);
  const down = legParts(profile.toBot);
  const jitterMs: DurationSpec =
    up.scaleMs === 0 ? 0 : { kind: "lognormal", medianMs: up.scaleMs, sigma: JITTER_LOG_SIGMA };
  return {
    upMs: up.fixedMs,
    downMs: down.fixedMs,
    jitterMs,
    lossShare: profile.toTelegram.lossProbability,
    connectionSetupRoundTrips: profile.setupRoundTrips,
  };
}

function legParts(leg: NetworkLeg): { fixedMs: number; scaleMs: number } {
  // The jitter's floor is −s: the scale of its log-normal.
  const scaleMs = -jitterFloorMs(leg.jitterMs);
  return { fixedMs: Math.max(0, leg.delayMs - scaleMs), scaleMs };
}

/** Values an empirical lateness keeps: the merged histogram at this many evenly spaced quantiles. */
const LATENESS_QUANTILES = 500;

/**
 * The generator's lateness over the trials' updates as the model's injection latency: the
 * merged histogram itself (every value when there are few, else 500 evenly spaced quantiles), as
 * an empirical distribution, since on a busy machine a few long stalls make the mean a poor
 * stand-in for every update's delay. The mean alone for trials without histograms; 0 without any.
 */
export function latenessInput(trials: readonly TrialResult[]): DurationSpec {
  const recorded = trials.filter((t) => t.generator.lateness.count > 0);
  if (recorded.length === 0) return 0;
  if (recorded.some((t) => t.generator.lateness.histogram === null)) return meanLatenessMs(trials);
  const merged = createLatencyHistogram();
  for (const t of recorded) merged.merge(decodeLatencyHistogram(t.generator.lateness.histogram!));
  const values = merged.recordedValues();
  const total = values.reduce((sum, v) => sum + v.count, 0);
  const samplesMs: number[] = [];
  const ms = (us: number) => Math.round(us) / 1_000;
  if (total <= LATENESS_QUANTILES) {
    for (const v of values) for (let i = 0; i < v.count; i++) samplesMs.push(ms(v.valueUs));
  } else {
    let seen = 0;
    let next = 0;
    for (const v of values) {
      seen += v.count;
      while (next < LATENESS_QUANTILES && (next + 0.5) / LATENESS_QUANTILES <= seen / total) {
        samplesMs.push(ms(v.valueUs));
        next++;
      }
    }
  }
  return samplesMs.every((v) => v === samplesMs[0]) ? samplesMs[0]! : { kind: "empirical", samplesMs };
}

/**
 * The connections the trial's warm-up left open: what its relays opened in all (they count from
 * the trial's start) less what the fake API counted in the measured window (its counters are reset
 * after the warm-up). Unknown on loopback (no relay), where a handshake costs nothing anyway.
 */
export function warmConnections(trial: TrialResult): { api?: number; webhook?: number } {
  const relays = Object.entries(trial.network.stats?.relays ?? {});
  const opened = (target: string) =>
    relays.filter(([key]) => key.startsWith(`${target} `)).reduce((n, [, r]) => n + r.connectionsOpened, 0);
  const api = opened("telegram") - trial.cost.tcpConnectionsOpened;
  const webhook = opened("bot") - trial.cost.webhookConnectionsOpened;
  return {
    ...(relays.length > 0 && api >= 1 ? { api } : {}),
    ...(relays.length > 0 && webhook >= 1 ? { webhook } : {}),
  };
}

/** The generator's mean lateness over the trials' updates, ms (0 without any). */
export function meanLatenessMs(trials: readonly TrialResult[]): number {
  let count = 0;
  let sumUs = 0;
  for (const t of trials) {
    const { count: n, meanUs } = t.generator.lateness;
    if (n > 0 && meanUs !== null) {
      count += n;
      sumUs += n * meanUs;
    }
  }
  return count === 0 ? 0 : sumUs / count / 1_000;
}

/**
 * The model's figures for a cell, with their sources, inputs and notes. A cell offered more than
 * the model's throughput ceiling never settles: its figures come from a simulated trial of the
 * scenario's length and drain, as the runner measures one.
 */
export function cellPrediction(
  scenario: ResolvedScenario,
  cell: Cell,
  trials: readonly TrialResult[],
): CellPrediction | null {
  const latenessMs = meanLatenessMs(trials);
  const input = cellModelInput(scenario, cell, latenessInput(trials));
  if (input === null) return null;
  const warm = trials.length === 0 ? {} : warmConnections(trials[0]!);
  const { model, basis } = predictTrialLike(input, {
    durationMs: cellDurationMs(scenario, cell.ratePerSecond),
    drainTimeoutMs: scenario.drainTimeoutMs,
    seed: String(scenario.seed),
    openConnectionsAtStart: warm,
  });
  const notes = [...model.notes];
  if (input.bot !== cell.subject.name)
    notes.push(`the model does not know ${cell.subject.name}'s behaviour: modelled as the ${input.bot} bot`);
  if (scenario.arrival !== "poisson" && scenario.arrival !== "constant")
    notes.push(`arrivals are ${scenario.arrival}: modelled as Poisson at the cell's rate, a reference only`);
  if (latenessMs > 0)
    notes.push(
      `measured in this run and fed in: the generator's lateness (its histogram; mean ${latenessMs.toFixed(3)} ms)`,
    );
  if (basis.kind === "steady-state" && basis.idle === true) {
    notes.push(
      "a trial of this cell's length expects less than one update: the figures are the steady state at its rate",
    );
  }
  if (basis.kind === "trials") {
    notes.push(
      `figures from ${basis.runs} simulated trial(s) of the cell's length and drain, pooled: ${
        basis.why === "overloaded"
          ? "offered at or past the throughput ceiling, the cell has no steady state"
          : "the connections a trial opens pay their handshakes inside it"
      }${
        warm.api === undefined && warm.webhook === undefined
          ? ""
          : `; starting from the connections the first trial's warm-up left open (${[
              warm.api === undefined ? null : `${warm.api} to the API`,
              warm.webhook === undefined ? null : `${warm.webhook} to the webhook`,
            ]
              .filter((x) => x !== null)
              .join(", ")})`
      }`,
    );
  }
  const figures = finiteFigures(model.figures, notes);
  return { ...figures, sources: model.sources, input, notes };
}

/** Simulated updates a trial-like prediction pools at least (over as many runs as that takes)… */
const TRIAL_LIKE_UPDATES = 4_000;
/** …in at most this many runs. */
const TRIAL_LIKE_MAX_RUNS = 40;
/** A connection set-up shorter than this (ms) changes no figure: the steady state stands for a trial. */
const SETUP_THAT_MATTERS_MS = 1;

/** How a cell's prediction was made: the steady state, or simulated trials of the cell's length. */
export type PredictionBasis =
  /** `idle`: a trial of the cell's length expects less than one update (then never trial-like). */
  | { kind: "steady-state"; idle?: boolean }
  | { kind: "trials"; runs: number; why: "overloaded" | "connection set-up" };

/**
 * The model of a cell measured in trials of `run.durationMs` and drain. The steady state (closed
 * forms, or a simulation of a few thousand updates) describes a long trial on loopback, and stands
 * for any trial expected to see less than one update. Two cases need simulated trials of the same
 * length and drain instead, pooled over enough runs:
 * - a rate at or past the model's throughput ceiling: no steady state exists (waits grow through
 *   the trial);
 * - a network where a new connection costs a handshake: the connections a trial opens as its
 *   concurrency grows (after a warm-up that left one open) pay it inside the trial.
 */
export function predictTrialLike(
  input: ModelInput,
  run: {
    durationMs: number;
    drainTimeoutMs: number;
    seed: string;
    openConnectionsAtStart?: { api?: number; webhook?: number };
  },
): { model: ModelPrediction; overloaded: boolean; basis: PredictionBasis } {
  const steady = predict(input, { simulation: { seed: run.seed } });
  const ceiling = steady.figures.throughputCeilingPerSecond ?? Number.POSITIVE_INFINITY;
  const overloaded = input.ratePerSecond >= ceiling;
  const r = steady.input;
  const setupMs = r.connectionSetupRoundTrips * (r.upMs + r.downMs + 2 * r.jitter.meanMs);
  const expectedPerTrial = (input.ratePerSecond * run.durationMs) / 1_000;
  if (!overloaded && setupMs < SETUP_THAT_MATTERS_MS) {
    return { model: steady, overloaded, basis: { kind: "steady-state" } };
  }
  // A trial expected to see no update at all measures nothing a trial-like model could be judged
  // on: its few polls answer only when an update happens to arrive. The steady state says what
  // the mode costs at this rate.
  if (!overloaded && expectedPerTrial < 1) {
    return { model: steady, overloaded, basis: { kind: "steady-state", idle: true } };
  }
  const perRun = Math.max(1, expectedPerTrial);
  const runs = Math.min(TRIAL_LIKE_MAX_RUNS, Math.max(1, Math.ceil(TRIAL_LIKE_UPDATES / perRun)));
  const model = predict(input, { simulation: { ...run, runs }, prefer: "simulation" });
  return {
    model,
    overloaded,
    basis: { kind: "trials", runs, why: overloaded ? "overloaded" : "connection set-up" },
  };
}

/** Non-finite figures (a ceiling nothing modelled bounds) as null, with a note (JSON has no Infinity). */
function finiteFigures(figures: ModelFigures, notes: string[]): ModelFigures {
  const out = structuredClone(figures);
  if (out.throughputCeilingPerSecond !== null && !Number.isFinite(out.throughputCeilingPerSecond)) {
    out.throughputCeilingPerSecond = null;
    notes.push("throughput ceiling: nothing modelled bounds it");
  }
  for (const key of [
    "emptyShare",
    "pollsPerHour",
    "requestsPerHour",
    "emptyRequestsPerHour",
    "requestsPerAnsweredUpdate",
  ] as const) {
    const value = out[key];
    if (value !== null && !Number.isFinite(value)) out[key] = null;
  }
  for (const latency of [out.deliveryWaitMs, out.endToEndMs]) {
    for (const key of Object.keys(latency) as Array<keyof typeof latency>) {
      const value = latency[key];
      if (value !== null && !Number.isFinite(value)) latency[key] = null;
    }
  }
  return out;
}
