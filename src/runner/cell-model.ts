/**
 * The model beside the measurement: a cell of the sweep as an input of src/model/'s `predict`
 * (its mode and settings, rate, arrivals, bot, handler time, population, anti-busy-loop switch and
 * network), and the prediction as report.json stores it. One input is measured in the same run:
 * the generator's lateness (how late the harness handed updates over), which is added to every
 * wait the runner times from the intended send time; the notes say so with its value.
 */
import {
  BOT_BEHAVIOURS,
  type DurationSpec,
  isBuiltInBotName,
  type ModelFigures,
  type ModelInput,
  type NetworkInput,
  predict,
} from "../model/index.ts";
import { JITTER_LOG_SIGMA, jitterFloorMs, type NetworkLeg, type NetworkProfile } from "../network/index.ts";
import type { CellPrediction, TrialResult } from "../results/index.ts";
import type { Cell, ResolvedScenario } from "./scenario.ts";
import { effectivePollTimeoutSeconds } from "./subject-launch.ts";

/** The bot a cell's model takes when the model does not know the cell's bot (a `--bot-command` bot). */
const STAND_IN_BOT = "reference";

/**
 * The model's input for a cell; null when the model cannot take it (a long-polling timeout that
 * is not known). `measuredLatenessMs` is the generator's mean lateness in the cell's trials.
 */
export function cellModelInput(
  scenario: ResolvedScenario,
  cell: Cell,
  measuredLatenessMs: number,
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
    injectionLatencyMs: measuredLatenessMs,
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
  const input = cellModelInput(scenario, cell, latenessMs);
  if (input === null) return null;
  const seed = String(scenario.seed);
  let model = predict(input, { simulation: { seed } });
  const ceiling = model.figures.throughputCeilingPerSecond ?? Number.POSITIVE_INFINITY;
  const overloaded = cell.ratePerSecond >= ceiling;
  if (overloaded) {
    model = predict(input, {
      simulation: { durationMs: scenario.durationMs, drainTimeoutMs: scenario.drainTimeoutMs, seed },
    });
  }
  const notes = [...model.notes];
  if (input.bot !== cell.subject.name)
    notes.push(`the model does not know ${cell.subject.name}'s behaviour: modelled as the ${input.bot} bot`);
  if (scenario.arrival !== "poisson" && scenario.arrival !== "constant")
    notes.push(`arrivals are ${scenario.arrival}: modelled as Poisson at the cell's rate, a reference only`);
  if (latenessMs > 0)
    notes.push(`measured in this run and fed in: the generator's mean lateness, ${latenessMs.toFixed(3)} ms`);
  if (overloaded)
    notes.push(
      "offered at or past the throughput ceiling: figures from a simulated trial of the same length",
    );
  const figures = finiteFigures(model.figures, notes);
  return { ...figures, sources: model.sources, input, notes };
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
