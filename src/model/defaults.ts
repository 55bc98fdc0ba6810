/**
 * Defaults of the model's parameters, in one place. `resolve…Params` in `polling-model.ts` (the
 * first, loopback-only model) and `resolveModelInput` in `inputs.ts` are the only code that reads them.
 */
import { POPULATION_DEFAULTS } from "../generator/defaults.ts";
import { TELEGRAM_RULES } from "./protocol.ts";

export const MODEL_DEFAULTS = {
  /** Network round trip between the fake API and the bot, in ms. 0 models a loopback link. */
  rttMs: 0,
  /** Time the bot's handler takes per update, in ms. */
  handlerMs: 0,
  /** Telegram's default `max_connections` for webhooks (allowed range 1–100). */
  maxConnections: TELEGRAM_RULES.webhookMaxConnectionsDefault,
  /** getUpdates `limit` the bot asks for (Telegram's default and maximum). */
  limit: TELEGRAM_RULES.getUpdatesLimitMax,
  /** Telegram's anti-busy-loop rule, on as in the fake API and in Telegram. */
  antiBusyLoop: true,
  /** Arrival process of updates. */
  arrivals: "poisson",
  /** The bot whose behaviour (fetching, concurrency, acknowledgement) is modelled. */
  bot: "reference",
  /** Webhook replies (the reply in the POST's response body) off, as in the runner's default. */
  webhookReply: false,
  /** Extra one-way delay per message, ms (jitter); 0 = none. */
  jitterMs: 0,
  /** Share of messages lost on the way, 0–1. */
  lossShare: 0,
  /** First TCP retransmission timeout after a loss, ms (Linux `TCP_RTO_MIN`); doubles per repeated loss. */
  retransmitTimeoutMs: 200,
  /** Round trips a new connection costs before its first request (a TCP handshake; TLS adds more). */
  connectionSetupRoundTrips: 1,
  /** How late a server-side timer fires (the 1 ms batching window, the poll timeout), ms. */
  serverTimerLatencyMs: 0,
  /** How late a bot-side timer fires (poll pacing, simulated handler work), ms. */
  botTimerLatencyMs: 0,
  /** Intended → actual injection of an update (the harness's own lateness), ms. */
  injectionLatencyMs: 0,
  /** The simulated population of chats, for per-chat webhook ordering (the generator's defaults). */
  population: {
    users: POPULATION_DEFAULTS.users,
    groups: POPULATION_DEFAULTS.groups,
    groupShare: POPULATION_DEFAULTS.groupShare,
  },
} as const;

/** Defaults of one simulation run. */
export const SIMULATION_DEFAULTS = {
  /** Updates per simulated run: a few thousand give sampling errors of about a percent. */
  updates: 4_000,
  seed: "tgbench-model",
  /** The runner checks for the last reply this often after the schedule (trial.ts `DRAIN_POLL_MS`). */
  drainCheckIntervalMs: 20,
  /** Hard cap on simulated events, so an input that makes no progress still stops. */
  maxEvents: 5_000_000,
} as const;
