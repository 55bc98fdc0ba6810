/**
 * An exact discrete-event simulation of one cell: seeded arrivals, Telegram's rules (telegram-side.ts),
 * the network (network.ts) and the bot (bot-side.ts), measured the way the runner measures a
 * trial. "Exact" means every protocol rule is applied as written, to every update; the figures
 * still carry the sampling error of a finite run, which shrinks as 1/√updates.
 */
import { createRng, type Rng } from "../../generator/rng.ts";
import { SIMULATION_DEFAULTS } from "../defaults.ts";
import { latencyOf, type ModelFigures } from "../figures.ts";
import { type ModelInput, type ResolvedModelInput, resolveModelInput } from "../inputs.ts";
import { SimPollingBot, SimWebhookBot } from "./bot-side.ts";
import { EventQueue } from "./event-queue.ts";
import { SimNetwork } from "./network.ts";
import { SimTelegram, type SimUpdate } from "./telegram-side.ts";

/** How long and how a simulated run goes. All optional; defaults in SIMULATION_DEFAULTS. */
export interface SimulationOptions {
  /** Updates to simulate; ignored when `durationMs` is given. Default 4000. */
  updates?: number;
  /** Simulate a trial of this length instead: arrivals in [0, durationMs), as the runner's schedule. */
  durationMs?: number;
  /** Seed of every random draw. Default "tgbench-model". */
  seed?: string;
  /** After the last arrival, wait at most this long for replies (the scenario's drainTimeoutMs). Default: until all are answered. */
  drainTimeoutMs?: number;
  /** The runner looks for the last reply this often. Default 20 ms. */
  drainCheckIntervalMs?: number;
  /** Stop after this many events (an input that makes no progress still ends). Default 5,000,000. */
  maxEvents?: number;
  /**
   * Simulate this many runs (seeds `seed/1` … `seed/runs`) and pool them: their counts, times and
   * samples add up, as the trials of a cell do. With `durationMs`, the expected figures of a trial
   * of that length, start-up included (connections opened during it). Default 1.
   */
  runs?: number;
  /**
   * Replay these arrivals (intended time in ms from the start, and the chat they are sent in)
   * instead of drawing them: the model of one measured trial, given the trial's own schedule
   * (regenerated from its seed), so that a comparison is not blurred by which arrivals a seed
   * drew. Injection lateness is still drawn. Overrides `updates` and `durationMs`' arrivals.
   */
  arrivals?: ReadonlyArray<{ intendedMs: number; chat: number }>;
  /**
   * When a polling bot sends its first getUpdates, ms from the start (its loop's phase against
   * the arrivals; a measured trial's is set by its warm-up and not recorded). Default 0.
   */
  pollStartMs?: number;
  /**
   * Connections open when the run starts: the bot's to the API and Telegram's to the webhook
   * (what a measured trial's warm-up left open). Default 1 each.
   */
  openConnectionsAtStart?: { api?: number; webhook?: number };
}

/** One simulated run: the figures, and the counts they come from. */
export interface SimulationResult {
  figures: ModelFigures;
  seed: string;
  generated: number;
  answered: number;
  getUpdates: number;
  /** getUpdates answered by the end (a poll still held then is not), as the runner counts them. */
  answeredPolls: number;
  emptyGetUpdates: number;
  replies: number;
  webhookPosts: number;
  /** Polls the anti-busy-loop rule held 3 s / cut to limit 1. */
  heldPolls: number;
  limitedPolls: number;
  /** From 0 (the schedule's start) to the end of the drain, ms (the runner's measuredMs). */
  measuredMs: number;
  answeredPerSecond: number;
  /** False when the event cap ended the run early. */
  complete: boolean;
  /**
   * Per answered update, ms: delivery wait and end-to-end latency (for sampling errors and tests),
   * and the times replies reached Telegram, in order (for throughput).
   */
  samples: { deliveryWaitMs: number[]; endToEndMs: number[]; repliedAtMs: number[] };
  /** Time of the last arrival, ms. */
  lastArrivalMs: number;
}

interface Arrival {
  intendedMs: number;
  injectedMs: number;
  lane: number;
}

function arrivalsFor(
  input: ResolvedModelInput,
  count: number,
  durationMs: number,
  rng: Rng,
  laneRng: Rng,
  lateRng: Rng,
): Arrival[] {
  const out: Arrival[] = [];
  const rate = input.ratePerSecond / 1_000;
  if (rate === 0) return out;
  const { privateChats, groupChats, groupShareEach } = input.lanes;
  const groupShare = groupShareEach * groupChats;
  let t = input.arrivals === "constant" ? 0 : -Math.log(1 - rng.next()) / rate;
  for (let i = 0; i < count && t < durationMs; i++) {
    const lane =
      groupChats > 0 && laneRng.next() < groupShare
        ? -1 - Math.floor(laneRng.next() * groupChats)
        : 1 + Math.floor(laneRng.next() * privateChats);
    out.push({ intendedMs: t, injectedMs: t + input.injectionLatency.sample(lateRng), lane });
    t += input.arrivals === "constant" ? 1 / rate : -Math.log(1 - rng.next()) / rate;
  }
  return out.sort((a, b) => a.injectedMs - b.injectedMs);
}

/** Given arrivals, each with its injection lateness drawn, in injection order. */
function replayed(
  input: ResolvedModelInput,
  given: ReadonlyArray<{ intendedMs: number; chat: number }>,
  lateRng: Rng,
): Arrival[] {
  return given
    .map((a) => ({
      intendedMs: a.intendedMs,
      injectedMs: a.intendedMs + input.injectionLatency.sample(lateRng),
      lane: a.chat,
    }))
    .sort((a, b) => a.injectedMs - b.injectedMs);
}

/** Simulates one cell (`runs` times, pooled). Deterministic for a given input, options and seed. */
export function simulate(modelInput: ModelInput, options: SimulationOptions = {}): SimulationResult {
  const runs = options.runs ?? 1;
  if (!(Number.isInteger(runs) && runs >= 1))
    throw new RangeError(`runs must be an integer ≥ 1, got ${runs}`);
  if (runs === 1) return simulateOnce(modelInput, options);
  const seed = options.seed ?? SIMULATION_DEFAULTS.seed;
  const results = Array.from({ length: runs }, (_, i) =>
    simulateOnce(modelInput, { ...options, seed: `${seed}/${i + 1}` }),
  );
  return pool(resolveModelInput(modelInput), results, seed);
}

function simulateOnce(modelInput: ModelInput, options: SimulationOptions): SimulationResult {
  const input = resolveModelInput(modelInput);
  const seed = options.seed ?? SIMULATION_DEFAULTS.seed;
  const root = createRng(seed);
  const durationMs = options.durationMs ?? Number.POSITIVE_INFINITY;
  const count =
    options.durationMs === undefined ? (options.updates ?? SIMULATION_DEFAULTS.updates) : Infinity;
  if (input.ratePerSecond === 0 && !Number.isFinite(durationMs)) {
    throw new RangeError("ratePerSecond is 0: give durationMs, the length of the run to simulate");
  }
  if (!(count > 0)) throw new RangeError(`updates must be > 0, got ${count}`);
  const arrivals =
    options.arrivals === undefined
      ? arrivalsFor(
          input,
          count,
          durationMs,
          root.fork("arrivals"),
          root.fork("lanes"),
          root.fork("injection"),
        )
      : replayed(input, options.arrivals, root.fork("injection"));
  const queue = new EventQueue(options.maxEvents ?? SIMULATION_DEFAULTS.maxEvents);
  const open = options.openConnectionsAtStart ?? {};
  const network = new SimNetwork(input, root.fork("network"), {
    api: open.api ?? 1,
    webhook: open.webhook ?? 1,
  });
  const telegram = new SimTelegram(queue, input, root.fork("server-timers"));
  const rngs = { handler: root.fork("handler"), timers: root.fork("bot-timers") };
  const mode = input.mode;
  if (mode.mode === "webhook") {
    const bot = new SimWebhookBot(queue, input, telegram, network, rngs);
    telegram.setWebhook(network, bot.onPost, mode.maxConnections);
  } else {
    new SimPollingBot(queue, input, telegram, network, rngs).start(options.pollStartMs ?? 0);
  }

  const updates: SimUpdate[] = [];
  for (const arrival of arrivals) {
    queue.at(arrival.injectedMs, () => {
      const update: SimUpdate = {
        id: updates.length + 1,
        intendedMs: arrival.intendedMs,
        injectedMs: arrival.injectedMs,
        lane: arrival.lane,
        deliveredMs: Number.NaN,
        repliedMs: Number.NaN,
      };
      updates.push(update);
      telegram.inject(update);
    });
  }

  const lastInjectedMs = arrivals.length === 0 ? durationMs : arrivals[arrivals.length - 1]!.injectedMs;
  // As the runner: a trial's window runs to its duration however few updates arrived, and the
  // drain starts when both the window and the schedule are over.
  const scheduleEndMs = Number.isFinite(durationMs) ? Math.max(lastInjectedMs, durationMs) : lastInjectedMs;
  const checkMs = options.drainCheckIntervalMs ?? SIMULATION_DEFAULTS.drainCheckIntervalMs;
  const drainDeadlineMs = scheduleEndMs + (options.drainTimeoutMs ?? Number.POSITIVE_INFINITY);
  let endMs = Number.NaN;
  const complete = queue.run(() => {
    const nowMs = queue.nowMs;
    if (Number.isNaN(endMs)) {
      if (nowMs >= drainDeadlineMs) endMs = drainDeadlineMs;
      else if (telegram.repliedCount === arrivals.length && updates.length === arrivals.length) {
        endMs = drainEnd(scheduleEndMs, telegram.lastReplyMs, checkMs, drainDeadlineMs);
      }
    }
    return !Number.isNaN(endMs) && nowMs > endMs;
  });
  if (Number.isNaN(endMs)) endMs = queue.nowMs;
  return summarize(input, telegram, updates, arrivals.length, endMs, complete, seed);
}

/** The runner's drain: it checks every `checkMs` after the schedule whether everything is answered. */
function drainEnd(scheduleEndMs: number, lastReply: number, checkMs: number, deadlineMs: number): number {
  if (lastReply <= scheduleEndMs) return scheduleEndMs;
  const end = scheduleEndMs + Math.ceil((lastReply - scheduleEndMs) / checkMs) * checkMs;
  return Math.min(end, deadlineMs);
}

const countUpTo = (times: readonly number[], endMs: number): number => {
  let n = 0;
  for (const t of times) if (t <= endMs) n++;
  return n;
};

function summarize(
  input: ResolvedModelInput,
  telegram: SimTelegram,
  updates: readonly SimUpdate[],
  generated: number,
  endMs: number,
  complete: boolean,
  seed: string,
): SimulationResult {
  const log = telegram.log;
  const getUpdates = countUpTo(log.getUpdatesMs, endMs);
  const empty = countUpTo(log.emptyMs, endMs);
  const answeredPolls = countUpTo(log.answersMs, endMs);
  const replies = countUpTo(log.repliesMs, endMs);
  const posts = countUpTo(log.postsMs, endMs);
  const deliveryWaitMs: number[] = [];
  const endToEndMs: number[] = [];
  const repliedAtMs: number[] = [];
  let lastArrivalMs = 0;
  for (const u of updates) {
    lastArrivalMs = Math.max(lastArrivalMs, u.intendedMs);
    if (!(u.repliedMs <= endMs)) continue;
    endToEndMs.push(u.repliedMs - u.intendedMs);
    repliedAtMs.push(u.repliedMs);
    if (!Number.isNaN(u.deliveredMs)) deliveryWaitMs.push(u.deliveredMs - u.intendedMs);
  }
  const answered = endToEndMs.length;
  const requests = getUpdates + replies + posts;
  const perHour = (n: number) => (endMs > 0 ? (n / endMs) * 3_600_000 : 0);
  const webhook = input.mode.mode === "webhook";
  return {
    figures: {
      emptyShare: webhook ? null : answeredPolls > 0 ? empty / answeredPolls : null,
      pollsPerHour: perHour(getUpdates),
      requestsPerHour: perHour(requests),
      emptyRequestsPerHour: perHour(empty),
      requestsPerAnsweredUpdate: answered > 0 ? requests / answered : null,
      deliveryWaitMs: latencyOf(deliveryWaitMs),
      endToEndMs: latencyOf(endToEndMs),
      throughputCeilingPerSecond: null,
    },
    seed,
    generated,
    answered,
    getUpdates,
    answeredPolls,
    emptyGetUpdates: empty,
    replies,
    webhookPosts: posts,
    heldPolls: log.heldPolls,
    limitedPolls: log.limitedPolls,
    measuredMs: endMs,
    answeredPerSecond: endMs > 0 ? (answered / endMs) * 1_000 : 0,
    complete,
    samples: { deliveryWaitMs, endToEndMs, repliedAtMs: repliedAtMs.sort((a, b) => a - b) },
    lastArrivalMs,
  };
}

/** Runs pooled as the trials of one cell: counts and times add up, samples are concatenated. */
function pool(
  input: ResolvedModelInput,
  results: readonly SimulationResult[],
  seed: string,
): SimulationResult {
  const sum = (pick: (r: SimulationResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const getUpdates = sum((r) => r.getUpdates);
  const answeredPolls = sum((r) => r.answeredPolls);
  const empty = sum((r) => r.emptyGetUpdates);
  const replies = sum((r) => r.replies);
  const posts = sum((r) => r.webhookPosts);
  const answered = sum((r) => r.answered);
  const measuredMs = sum((r) => r.measuredMs);
  const deliveryWaitMs = results.flatMap((r) => r.samples.deliveryWaitMs);
  const endToEndMs = results.flatMap((r) => r.samples.endToEndMs);
  const requests = getUpdates + replies + posts;
  const perHour = (n: number) => (measuredMs > 0 ? (n / measuredMs) * 3_600_000 : 0);
  return {
    figures: {
      emptyShare: input.mode.mode === "webhook" ? null : answeredPolls > 0 ? empty / answeredPolls : null,
      pollsPerHour: perHour(getUpdates),
      requestsPerHour: perHour(requests),
      emptyRequestsPerHour: perHour(empty),
      requestsPerAnsweredUpdate: answered > 0 ? requests / answered : null,
      deliveryWaitMs: latencyOf(deliveryWaitMs),
      endToEndMs: latencyOf(endToEndMs),
      throughputCeilingPerSecond: null,
    },
    seed,
    generated: sum((r) => r.generated),
    answered,
    getUpdates,
    answeredPolls,
    emptyGetUpdates: empty,
    replies,
    webhookPosts: posts,
    heldPolls: sum((r) => r.heldPolls),
    limitedPolls: sum((r) => r.limitedPolls),
    measuredMs,
    answeredPerSecond: measuredMs > 0 ? (answered / measuredMs) * 1_000 : 0,
    complete: results.every((r) => r.complete),
    // Reply times stay per run (they are offsets within a run): the first run's, for throughput.
    samples: { deliveryWaitMs, endToEndMs, repliedAtMs: results[0]!.samples.repliedAtMs },
    lastArrivalMs: results[0]!.lastArrivalMs,
  };
}
