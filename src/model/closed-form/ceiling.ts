/**
 * The throughput ceiling: the highest arrival rate a cell sustains, as a fluid (deterministic)
 * bound. At saturation every getUpdates returns a full batch with a new offset (so the
 * anti-busy-loop rule never applies), and every webhook connection is busy.
 * - Polling, next call after the batch: limit / cycle, cycle = the window after a full batch
 *   (round trip + B(limit), or T if pacing is longer; poll-chain's `nextCallAfter`).
 * - Polling, fetching beside handling: min(limit / fetch cycle, handling capacity), handling
 *   capacity = min(c / (h + r_call), P / r_call) for c handler slots and P connections.
 * - Webhook: min(max_connections, 1/sₘₐₓ) / E[S]: every connection, and every chat (a chat with
 *   share sₘₐₓ of the updates gets one POST at a time), serves at most 1/E[S] per unit time; a bot
 *   that answers at once is further bounded by its own handling capacity.
 * Exact for constant delays, except for a bot that fetches beside handling over a capped connection
 * pool (aiogram): its getUpdates then waits for a connection behind the replies, which the bound
 * leaves out. Otherwise the simulation measures the ceiling directly (`simulateCeiling`).
 */
import type { ResolvedModelInput } from "../inputs.ts";
import { batchWorkMs, type Derived } from "./derived.ts";
import { nextCallAfter } from "./polling.ts";
import { webhookService } from "./webhook.ts";

const perSecond = (count: number, ms: number): number =>
  ms > 0 ? (count / ms) * 1_000 : Number.POSITIVE_INFINITY;

function handlingCapacityPerSecond(input: ResolvedModelInput, d: Derived, concurrency: number): number {
  const slots = perSecond(concurrency, d.handlerMs + d.callRoundTripMs);
  const connections = perSecond(input.bot.apiConnections, d.callRoundTripMs);
  return Math.min(slots, connections);
}

/** The ceiling in updates per second (Infinity when nothing modelled bounds it, e.g. loopback with no handler time). */
export function throughputCeilingPerSecond(input: ResolvedModelInput, d: Derived): number {
  const mode = input.mode;
  if (mode.mode === "webhook") {
    const service = webhookService(input, d);
    const { privateShare, groupShareEach } = input.lanes;
    const maxShare = Math.max(privateShare, groupShareEach);
    const posts = perSecond(Math.min(mode.maxConnections, 1 / maxShare), service.meanMs);
    if (!service.ackOnReceipt) return posts;
    return Math.min(posts, handlingCapacityPerSecond(input, d, input.bot.webhookHandlerConcurrency));
  }
  const limit = input.limit;
  if (input.bot.fetch === "after-batch") {
    return perSecond(limit, nextCallAfter(input, d, 0, batchWorkMs(input, d, limit)));
  }
  const fetch = perSecond(limit, nextCallAfter(input, d, 0, 0));
  return Math.min(fetch, handlingCapacityPerSecond(input, d, input.bot.handlerConcurrency));
}

/** Whether {@link throughputCeilingPerSecond} is exact for this input (else it is an upper bound). */
export function ceilingIsExact(input: ResolvedModelInput, d: Derived): boolean {
  if (!d.constant) return false;
  if (input.mode.mode === "webhook") return true;
  return input.bot.fetch === "after-batch" || input.bot.apiConnections > input.bot.handlerConcurrency;
}

/**
 * How long one round of work takes at saturation, ms: a full batch's cycle for polling, a POST
 * for webhooks (what a simulated overload must last many times over to measure a rate).
 */
export function saturationRoundMs(input: ResolvedModelInput, d: Derived): number {
  if (input.mode.mode === "webhook") return webhookService(input, d).meanMs + d.handlerMs + d.callRoundTripMs;
  return Math.max(
    nextCallAfter(input, d, 0, batchWorkMs(input, d, input.limit)),
    d.handlerMs + d.callRoundTripMs,
  );
}
