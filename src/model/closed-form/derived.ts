/**
 * The few derived times every closed form is written in (all means, ms), and the conditions under
 * which the closed forms are exact. Notation follows docs/model.md:
 * - u, d: one-way delay bot → Telegram and back; r = u + d;
 * - r_poll, r_call: a getUpdates / reply round trip as the bot sees it (plus a handshake per call
 *   for a bot that opens a connection per call);
 * - h: handler time; B: how long the bot takes over a batch before its next getUpdates;
 * - W: the batching window, 1 ms (LONG_POLL_WAIT_AFTER) plus the server's timer latency;
 * - L: injection lateness, added to every delivery wait.
 */
import { constantDelays, meanLossDelayMs, type ResolvedModelInput } from "../inputs.ts";
import { TELEGRAM_RULES } from "../protocol.ts";
import { poissonTailAbove } from "./quadrature.ts";

/** Probabilities below this count as "never" when deciding whether a closed form is exact. */
export const NEGLIGIBLE = 1e-9;

export interface Derived {
  ratePerMs: number;
  upMs: number;
  downMs: number;
  /** Handshake paid by every bot call (connection per call), else 0. */
  callSetupMs: number;
  pollRoundTripMs: number;
  callRoundTripMs: number;
  /** Mean handler time including the bot's timer latency (which applies only to real work). */
  handlerMs: number;
  /** Batching window W. */
  windowMs: number;
  serverTimerMs: number;
  botTimerMs: number;
  injectionMs: number;
  /** Delays, handler time, timer and injection latencies are all constants. */
  constant: boolean;
}

export function derive(input: ResolvedModelInput): Derived {
  const loss = meanLossDelayMs(input);
  const upMs = input.upMs + input.jitter.meanMs + loss;
  const downMs = input.downMs + input.jitter.meanMs + loss;
  const callSetupMs = input.bot.connectionPerCall ? input.connectionSetupRoundTrips * (upMs + downMs) : 0;
  const botTimerMs = input.botTimerLatency.meanMs;
  const handlerMs = input.handler.meanMs > 0 ? input.handler.meanMs + botTimerMs : 0;
  return {
    ratePerMs: input.ratePerSecond / 1_000,
    upMs,
    downMs,
    callSetupMs,
    pollRoundTripMs: callSetupMs + upMs + downMs,
    callRoundTripMs: callSetupMs + upMs + downMs,
    handlerMs,
    windowMs: TELEGRAM_RULES.longPollWaitAfterMs + input.serverTimerLatency.meanMs,
    serverTimerMs: input.serverTimerLatency.meanMs,
    botTimerMs,
    injectionMs: input.injectionLatency.meanMs,
    constant: constantDelays(input),
  };
}

/**
 * B(k): how long an after-batch bot spends on a batch of k before its next getUpdates:
 * ⌈k/c⌉ rounds of (h + ⌈min(c,k)/P⌉·r_call) for c handlers and P connections (c = 1: k·(h + r_call)).
 */
export function batchWorkMs(input: ResolvedModelInput, d: Derived, k: number): number {
  if (k === 0 || input.bot.fetch === "decoupled") return 0;
  const c = Math.min(input.bot.handlerConcurrency, k);
  const rounds = Math.ceil(k / c);
  return rounds * (d.handlerMs + Math.max(1, Math.ceil(c / input.bot.apiConnections)) * d.callRoundTripMs);
}

/**
 * The batch work when it is the same for every batch size the cell sees (batches up to `maxBatch`
 * with probability 1 − NEGLIGIBLE), else null: then the poll timing depends on the batch and the
 * closed forms for polling are not exact.
 */
export function constantBatchWorkMs(input: ResolvedModelInput, d: Derived, windowMs: number): number | null {
  if (input.bot.fetch === "decoupled") return 0;
  const one = batchWorkMs(input, d, 1);
  const perUpdate = d.handlerMs + d.callRoundTripMs;
  if (perUpdate === 0) return 0;
  const fits = Math.min(input.bot.handlerConcurrency, input.bot.apiConnections);
  if (fits <= 1) return poissonTailAbove(d.ratePerMs * windowMs, 1) < NEGLIGIBLE ? one : null;
  return poissonTailAbove(d.ratePerMs * windowMs, fits) < NEGLIGIBLE ? one : null;
}

/**
 * Delivery at Telegram → the reply back at Telegram, when it is the same for every update: the
 * answer's way down, the handler, the reply's way up. Null when handlers queue (one at a time,
 * or fewer slots than a batch can hold) and the shift depends on the update's place.
 */
export function replyShiftMs(input: ResolvedModelInput, d: Derived, windowMs: number): number | null {
  const shift = d.downMs + d.handlerMs + d.callSetupMs + d.upMs;
  const slots = Math.min(input.bot.handlerConcurrency, input.bot.apiConnections);
  if (d.handlerMs + d.callRoundTripMs === 0) return shift;
  // Updates in the bot at once: a batch (what a window collects) plus those still being handled.
  const inBotMean = d.ratePerMs * (windowMs + d.handlerMs + d.callRoundTripMs);
  return poissonTailAbove(inBotMean, slots) < NEGLIGIBLE ? shift : null;
}
