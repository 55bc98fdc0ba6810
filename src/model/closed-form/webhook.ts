/**
 * Closed forms for webhooks. Telegram keeps at most `max_connections` POSTs in flight and delivers
 * one chat's updates one after another (WebhookActor.cpp; the fake API's dispatcher). A POST holds
 * its connection for S: the way down, then (if the bot answers after its handler) the handler and
 * its reply call, then the way back up.
 *
 * - max_connections = 1: an M/G/1 queue; the mean wait is Pollaczek–Khinchine's
 *   W = λE[S²] / (2(1 − ρ)), ρ = λE[S] (Kleinrock, Queueing Systems I, §5.6). Serving chats in
 *   turn instead of first come first served does not change the mean (the conservation law for
 *   work-conserving, non-preemptive orders that ignore service times, Kleinrock I §3.4).
 * - max_connections > 1, when so many POSTs are almost never in flight at once (fewer than
 *   max_connections busy chats with probability 1 − 1e-9, judged by M/G/∞ occupancy
 *   Poisson(λE[S])): every chat is its own M/G/1 queue at rate λ·sᵢ (Poisson thinning), so
 *   W = Σᵢ sᵢ·λsᵢE[S²] / (2(1 − λsᵢE[S])) and P(wait > 0) = Σᵢ sᵢ·λsᵢE[S].
 * Both are exact for any distribution of S (jitter, handler time) as long as S does not depend on
 * the queue. Percentiles are given only where they are 0 (the share of updates that wait at all
 * is below 1 − q); otherwise, and for max_connections > 1 near saturation, the simulation.
 */
import type { ResolvedModelInput } from "../inputs.ts";
import type { Derived } from "./derived.ts";
import { NEGLIGIBLE } from "./derived.ts";
import { poissonTailAbove } from "./quadrature.ts";
import { blankFigures, type ClosedFormResult, latencyFrom, shiftLatency } from "./result.ts";

/** The webhook's connection holding time S, as mean and second moment, and how the bot answers. */
export interface WebhookService {
  replyInBody: boolean;
  ackOnReceipt: boolean;
  meanMs: number;
  secondMomentMs2: number;
  /** POST start → the reply reached Telegram (mean), not counting any queue inside the bot. */
  replyShiftMs: number;
}

export function webhookService(input: ResolvedModelInput, d: Derived): WebhookService {
  const mode = input.mode;
  const replyInBody = mode.mode === "webhook" && mode.webhookReply && input.bot.webhookReply;
  const ackOnReceipt = !replyInBody && input.bot.webhookAck === "on-receipt";
  const oneWayVar = input.jitter.secondMomentMs2 - input.jitter.meanMs ** 2;
  const handlerVar =
    input.handler.meanMs > 0
      ? input.handler.secondMomentMs2 -
        input.handler.meanMs ** 2 +
        input.botTimerLatency.secondMomentMs2 -
        input.botTimerLatency.meanMs ** 2
      : 0;
  let meanMs: number;
  let variance: number;
  if (ackOnReceipt) {
    meanMs = d.downMs + d.upMs;
    variance = 2 * oneWayVar;
  } else if (replyInBody) {
    meanMs = d.downMs + d.handlerMs + d.upMs;
    variance = 2 * oneWayVar + handlerVar;
  } else {
    const setupMessages = input.bot.connectionPerCall ? 2 * input.connectionSetupRoundTrips : 0;
    meanMs = d.downMs + d.handlerMs + d.callRoundTripMs + d.upMs;
    variance = (4 + setupMessages) * oneWayVar + handlerVar;
  }
  return {
    replyInBody,
    ackOnReceipt,
    meanMs,
    secondMomentMs2: variance + meanMs * meanMs,
    replyShiftMs: d.downMs + d.handlerMs + (replyInBody ? 0 : d.callSetupMs) + d.upMs,
  };
}

export function webhookClosedForm(input: ResolvedModelInput, d: Derived): ClosedFormResult {
  const figures = blankFigures();
  const notes: string[] = [];
  const mode = input.mode;
  if (mode.mode !== "webhook") throw new Error("webhookClosedForm needs the webhook mode");
  const service = webhookService(input, d);
  const requestsPerUpdate = service.replyInBody ? 1 : 2;
  figures.emptyShare = null;
  figures.pollsPerHour = 0;
  figures.emptyRequestsPerHour = 0;
  figures.requestsPerHour = input.ratePerSecond * 3_600 * requestsPerUpdate;
  figures.requestsPerAnsweredUpdate = requestsPerUpdate;
  if (d.ratePerMs === 0) {
    notes.push("no arrivals: no latency to predict");
    return { figures, notes };
  }
  if (input.lossShare > 0) {
    notes.push("losses make S depend on retransmissions: webhook latency comes from the simulation");
    return { figures, notes };
  }
  if (input.arrivals === "constant") {
    // D/D/1: updates spaced 1/λ ≥ S never find the one connection busy.
    if (mode.maxConnections === 1 && d.constant && d.ratePerMs * service.meanMs <= 1) {
      figures.deliveryWaitMs = latencyFrom(0, () => 0, d.injectionMs);
      const botKeepsUp =
        !service.ackOnReceipt ||
        input.bot.webhookHandlerConcurrency === Number.POSITIVE_INFINITY ||
        d.ratePerMs * (d.handlerMs + d.callRoundTripMs) <= 1;
      const shift = botKeepsUp ? service.replyShiftMs : null;
      figures.endToEndMs = shiftLatency(figures.deliveryWaitMs, shift, shift);
    } else {
      notes.push(
        "constant arrivals over several connections and chats: webhook latency comes from the simulation",
      );
    }
    return { figures, notes };
  }
  const wait = webhookWait(input, d, service, mode.maxConnections);
  if (wait === null) {
    notes.push(
      "max_connections > 1 near its limit, or past saturation: webhook waits come from the simulation",
    );
    return { figures, notes };
  }
  const quantile = (q: number) => (q <= 1 - wait.waitingShare ? 0 : null);
  figures.deliveryWaitMs = latencyFrom(wait.meanMs, quantile, d.injectionMs);
  // Inside the bot a handler may queue (python-telegram-bot handles one update at a time).
  const inBotQueue =
    service.ackOnReceipt &&
    poissonTailAbove(
      d.ratePerMs * (d.handlerMs + d.callRoundTripMs),
      input.bot.webhookHandlerConcurrency - 1,
    ) > NEGLIGIBLE;
  if (inBotQueue) {
    notes.push(
      "the bot handles POSTs one at a time after answering them: end-to-end latency comes from the simulation",
    );
    figures.endToEndMs = shiftLatency(figures.deliveryWaitMs, null, null);
  } else {
    figures.endToEndMs = shiftLatency(
      figures.deliveryWaitMs,
      service.replyShiftMs,
      d.constant ? service.replyShiftMs : null,
    );
  }
  return { figures, notes };
}

/** Mean wait for a connection and the share of updates that wait at all; null when no exact form applies. */
function webhookWait(
  input: ResolvedModelInput,
  d: Derived,
  service: WebhookService,
  maxConnections: number,
): { meanMs: number; waitingShare: number } | null {
  const lam = d.ratePerMs;
  const { meanMs: es, secondMomentMs2: es2 } = service;
  if (maxConnections === 1) {
    const rho = lam * es;
    if (rho >= 1) return null;
    return { meanMs: (lam * es2) / (2 * (1 - rho)), waitingShare: rho };
  }
  if (poissonTailAbove(lam * es, maxConnections - 1) > NEGLIGIBLE) return null;
  const { privateShare, privateChats, groupShareEach, groupChats } = input.lanes;
  let meanMs = 0;
  let waitingShare = 0;
  for (const [share, chats] of [
    [privateShare, privateChats],
    [groupShareEach, groupChats],
  ] as const) {
    if (share === 0 || chats === 0) continue;
    const rho = lam * share * es;
    if (rho >= 1) return null;
    meanMs += chats * share * ((lam * share * es2) / (2 * (1 - rho)));
    waitingShare += chats * share * rho;
  }
  return { meanMs, waitingShare };
}
