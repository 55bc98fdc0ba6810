/**
 * What the model is asked about: one cell (mode and its parameters, arrival rate, network, bot),
 * all optional except the rate and the mode, resolved once against MODEL_DEFAULTS.
 */
import { BOT_BEHAVIOURS, type BotBehaviour, isBuiltInBotName } from "./bot-behaviours.ts";
import { MODEL_DEFAULTS } from "./defaults.ts";
import { type Duration, type DurationSpec, duration } from "./distributions.ts";
import { TELEGRAM_RULES } from "./protocol.ts";

/** The delivery mode and its own parameter. */
export type ModeInput =
  /** getUpdates with timeout 0, one every `intervalMs` (how T is counted: {@link BotBehaviour.pacing}). */
  | { mode: "short-polling"; intervalMs: number }
  /** getUpdates held up to `timeoutSeconds` (an integer, as the Bot API reads it). */
  | { mode: "long-polling"; timeoutSeconds: number }
  /** Telegram POSTs every update; `maxConnections` default 40; `webhookReply` puts the reply in the response. */
  | { mode: "webhook"; maxConnections?: number; webhookReply?: boolean };

export type ModelMode = ModeInput["mode"];

/** The network between the bot and Telegram (each direction of each message drawn independently). */
export interface NetworkInput {
  /** Round trip, ms; each direction gets half unless `upMs`/`downMs` say otherwise. Default 0. */
  rttMs?: number;
  /** One-way delay bot → Telegram, ms. Default rttMs/2. */
  upMs?: number;
  /** One-way delay Telegram → bot, ms. Default rttMs/2. */
  downMs?: number;
  /** Extra delay added to every one-way message (a distribution with a tail). Default 0. */
  jitterMs?: DurationSpec;
  /** Share of messages lost once (each loss costs a retransmission timeout, doubling). Default 0. */
  lossShare?: number;
  /** First retransmission timeout, ms. Default 200 (Linux TCP_RTO_MIN). */
  retransmitTimeoutMs?: number;
  /** Round trips a new connection costs before its first request. Default 1 (TCP); TLS adds 1–2. */
  connectionSetupRoundTrips?: number;
}

/** The simulated population of chats (for webhook per-chat ordering), as the generator draws it. */
export interface PopulationInput {
  users?: number;
  groups?: number;
  /** Share of updates sent in a group (uniform over groups); the rest in private chats. */
  groupShare?: number;
}

/** One cell for the model. */
export interface ModelInput {
  /** Arrival rate λ of updates, per second. */
  ratePerSecond: number;
  mode: ModeInput;
  /** `poisson` (the closed forms' assumption) or `constant` spacing. Default poisson. */
  arrivals?: "poisson" | "constant";
  /** A built-in bot's name or its behaviour. Default "reference". */
  bot?: string | BotBehaviour;
  /** getUpdates `limit` the bot asks for, 1–100. Default 100. */
  limit?: number;
  /** Telegram's anti-busy-loop rule. Default true (as the fake API). */
  antiBusyLoop?: boolean;
  network?: NetworkInput;
  /** The bot's own time per update before its reply (a constant or a distribution). Default 0. */
  handlerMs?: DurationSpec;
  population?: PopulationInput;
  /** Latency of server timers (batching window, poll timeout). Default 0. */
  serverTimerLatencyMs?: DurationSpec;
  /** Latency of the bot's timers (pacing sleeps, handler work). Default 0. */
  botTimerLatencyMs?: DurationSpec;
  /** Intended send time → injection (the harness's lateness; measured as `generator.lateness`). Default 0. */
  injectionLatencyMs?: DurationSpec;
}

/** A mode with every parameter resolved. */
export type ResolvedMode =
  | { mode: "short-polling"; intervalMs: number }
  | { mode: "long-polling"; timeoutSeconds: number }
  | { mode: "webhook"; maxConnections: number; webhookReply: boolean };

/** A lane (chat) and its share of the updates. */
export interface LaneShares {
  /** Share of one private chat, and how many there are. */
  privateShare: number;
  privateChats: number;
  /** Share of one group chat, and how many there are. */
  groupShareEach: number;
  groupChats: number;
}

/** {@link ModelInput} with every default applied and every value checked. */
export interface ResolvedModelInput {
  ratePerSecond: number;
  mode: ResolvedMode;
  arrivals: "poisson" | "constant";
  botName: string;
  bot: BotBehaviour;
  limit: number;
  antiBusyLoop: boolean;
  upMs: number;
  downMs: number;
  jitter: Duration;
  lossShare: number;
  retransmitTimeoutMs: number;
  connectionSetupRoundTrips: number;
  handler: Duration;
  lanes: LaneShares;
  serverTimerLatency: Duration;
  botTimerLatency: Duration;
  injectionLatency: Duration;
}

const check = (name: string, value: number, min: number, max = Number.POSITIVE_INFINITY): number => {
  if (!(Number.isFinite(value) || value === Number.POSITIVE_INFINITY) || value < min || value > max) {
    throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${value}`);
  }
  return value;
};

function resolveMode(mode: ModeInput): ResolvedMode {
  switch (mode.mode) {
    case "short-polling":
      return {
        mode: "short-polling",
        intervalMs: check("mode.intervalMs", mode.intervalMs, Number.MIN_VALUE, 1e9),
      };
    case "long-polling": {
      const seconds = check(
        "mode.timeoutSeconds",
        mode.timeoutSeconds,
        0,
        TELEGRAM_RULES.longPollMaxTimeoutSeconds,
      );
      if (!Number.isInteger(seconds)) {
        throw new RangeError(
          `mode.timeoutSeconds must be an integer (the Bot API reads it as one), got ${seconds}`,
        );
      }
      return { mode: "long-polling", timeoutSeconds: seconds };
    }
    case "webhook": {
      const maxConnections = check(
        "mode.maxConnections",
        mode.maxConnections ?? MODEL_DEFAULTS.maxConnections,
        1,
      );
      if (!Number.isInteger(maxConnections)) {
        throw new RangeError(`mode.maxConnections must be an integer, got ${maxConnections}`);
      }
      return {
        mode: "webhook",
        maxConnections,
        webhookReply: mode.webhookReply ?? MODEL_DEFAULTS.webhookReply,
      };
    }
    default:
      throw new RangeError(`unknown mode ${JSON.stringify((mode as { mode: unknown }).mode)}`);
  }
}

function resolveBot(bot: string | BotBehaviour): { name: string; behaviour: BotBehaviour } {
  if (typeof bot !== "string") {
    check("bot.handlerConcurrency", bot.handlerConcurrency, 1);
    check("bot.webhookHandlerConcurrency", bot.webhookHandlerConcurrency, 1);
    check("bot.apiConnections", bot.apiConnections, 1);
    return { name: "custom", behaviour: bot };
  }
  if (!isBuiltInBotName(bot)) {
    throw new RangeError(
      `unknown bot "${bot}"; choose one of ${Object.keys(BOT_BEHAVIOURS).join(", ")} or give a behaviour`,
    );
  }
  return { name: bot, behaviour: BOT_BEHAVIOURS[bot] };
}

function resolveLanes(population: PopulationInput = {}): LaneShares {
  const defaults = MODEL_DEFAULTS.population;
  const users = check("population.users", population.users ?? defaults.users, 1);
  const groups = check("population.groups", population.groups ?? defaults.groups, 0);
  const groupShare =
    groups === 0 ? 0 : check("population.groupShare", population.groupShare ?? defaults.groupShare, 0, 1);
  return {
    privateShare: (1 - groupShare) / users,
    privateChats: users,
    groupShareEach: groups === 0 ? 0 : groupShare / groups,
    groupChats: groups,
  };
}

/** Applies the defaults and checks every value; throws a RangeError naming the bad one. */
export function resolveModelInput(input: ModelInput): ResolvedModelInput {
  const net = input.network ?? {};
  const rttMs = check("network.rttMs", net.rttMs ?? MODEL_DEFAULTS.rttMs, 0);
  const { name, behaviour } = resolveBot(input.bot ?? MODEL_DEFAULTS.bot);
  const arrivals = input.arrivals ?? MODEL_DEFAULTS.arrivals;
  if (arrivals !== "poisson" && arrivals !== "constant") {
    throw new RangeError(`arrivals must be "poisson" or "constant", got ${JSON.stringify(arrivals)}`);
  }
  const limit = check("limit", input.limit ?? MODEL_DEFAULTS.limit, 1, TELEGRAM_RULES.getUpdatesLimitMax);
  if (!Number.isInteger(limit)) throw new RangeError(`limit must be an integer, got ${limit}`);
  return {
    ratePerSecond: check("ratePerSecond", input.ratePerSecond, 0),
    mode: resolveMode(input.mode),
    arrivals,
    botName: name,
    bot: behaviour,
    limit,
    antiBusyLoop: input.antiBusyLoop ?? MODEL_DEFAULTS.antiBusyLoop,
    upMs: check("network.upMs", net.upMs ?? rttMs / 2, 0),
    downMs: check("network.downMs", net.downMs ?? rttMs / 2, 0),
    jitter: duration("network.jitterMs", net.jitterMs ?? MODEL_DEFAULTS.jitterMs),
    lossShare: check("network.lossShare", net.lossShare ?? MODEL_DEFAULTS.lossShare, 0, 0.5),
    retransmitTimeoutMs: check(
      "network.retransmitTimeoutMs",
      net.retransmitTimeoutMs ?? MODEL_DEFAULTS.retransmitTimeoutMs,
      0,
    ),
    connectionSetupRoundTrips: check(
      "network.connectionSetupRoundTrips",
      net.connectionSetupRoundTrips ?? MODEL_DEFAULTS.connectionSetupRoundTrips,
      0,
    ),
    handler: duration("handlerMs", input.handlerMs ?? MODEL_DEFAULTS.handlerMs),
    lanes: resolveLanes(input.population),
    serverTimerLatency: duration(
      "serverTimerLatencyMs",
      input.serverTimerLatencyMs ?? MODEL_DEFAULTS.serverTimerLatencyMs,
    ),
    botTimerLatency: duration(
      "botTimerLatencyMs",
      input.botTimerLatencyMs ?? MODEL_DEFAULTS.botTimerLatencyMs,
    ),
    injectionLatency: duration(
      "injectionLatencyMs",
      input.injectionLatencyMs ?? MODEL_DEFAULTS.injectionLatencyMs,
    ),
  };
}

/** Mean extra delay of one one-way message from loss: Σ_k p^k·RTO·2^{k−1} = p·RTO/(1−2p) (p < ½). */
export function meanLossDelayMs(input: ResolvedModelInput): number {
  const p = input.lossShare;
  return p === 0 ? 0 : (p * input.retransmitTimeoutMs) / (1 - 2 * p);
}

/** Whether every delay the closed forms use is a constant (no jitter, no loss): then they are exact. */
export function constantDelays(input: ResolvedModelInput): boolean {
  return (
    input.jitter.constant &&
    input.lossShare === 0 &&
    input.handler.constant &&
    input.serverTimerLatency.constant &&
    input.botTimerLatency.constant &&
    input.injectionLatency.constant
  );
}
