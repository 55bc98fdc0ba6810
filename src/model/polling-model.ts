/**
 * The first model: loopback-only closed forms for the three delivery modes, shown beside the
 * measured figures (harness-anchors.md §5). Superseded by `predict` (predict.ts, docs/model.md),
 * which adds Telegram's anti-busy-loop rule, the network, the bots' concurrency and the webhook
 * queue; kept for the reports until they show the new one (`toPrediction` maps between them). Updates arrive as a Poisson process at rate λ = `ratePerSecond`.
 *
 * "Added delay" is what the delivery mode adds between an update's creation in the fake API and
 * the bot's reply reaching it, excluding the handler's own time: the wait for a poll (if any),
 * the transit to the bot and the transit of the reply back, i.e. one round trip `rttMs`.
 *
 * Figures are per hour because that is how polling waste is usually quoted. Counts that have no
 * finite value (requests per update when no update arrives) are `Infinity`.
 */
import { MODEL_DEFAULTS } from "./defaults.ts";

/** The modes the model knows. */
export type DeliveryMode = "short-polling" | "long-polling" | "webhook";

/** What every mode predicts; the figures a report shows next to the measured ones. */
export interface Prediction {
  /** Share of requests that carry no update, 0 … 1. */
  emptyShare: number;
  requestsPerHour: number;
  emptyRequestsPerHour: number;
  /** Requests per delivered update; `Infinity` when `ratePerSecond` is 0 and requests are still made. */
  requestsPerUpdate: number;
  /** Mean added delay per update, in ms (see the module comment). */
  meanAddedDelayMs: number;
}

/** Short polling: getUpdates with timeout 0 every `intervalMs`. */
export interface ShortPollingParams {
  ratePerSecond: number;
  /** Time between polls, in ms; > 0. */
  intervalMs: number;
  /** @defaultValue {@link MODEL_DEFAULTS}.rttMs */
  rttMs?: number;
}

/** Long polling: getUpdates with `timeoutSeconds`, re-issued after `rePollGapMs`. */
export interface LongPollingParams {
  ratePerSecond: number;
  /** The getUpdates timeout τ, in seconds. */
  timeoutSeconds: number;
  /** Time without a parked request between two polls, in ms. @defaultValue `rttMs` (one round trip) */
  rePollGapMs?: number;
  /** @defaultValue {@link MODEL_DEFAULTS}.rttMs */
  rttMs?: number;
}

/** Webhook: one POST per update. */
export interface WebhookParams {
  ratePerSecond: number;
  /** @defaultValue {@link MODEL_DEFAULTS}.rttMs */
  rttMs?: number;
  /** Handler time per update, in ms. @defaultValue {@link MODEL_DEFAULTS}.handlerMs */
  handlerMs?: number;
  /** The webhook's max_connections. @defaultValue {@link MODEL_DEFAULTS}.maxConnections (40) */
  maxConnections?: number;
}

/** The parameters of each mode. */
export interface ModeParams {
  "short-polling": ShortPollingParams;
  "long-polling": LongPollingParams;
  webhook: WebhookParams;
}

/** {@link predictShortPolling}'s figures: the shared ones plus the p99 of the added delay. */
export interface ShortPollingPrediction extends Prediction {
  /** 99th percentile of the added delay, in ms: the wait is Uniform(0, interval). */
  p99AddedDelayMs: number;
}

/** {@link predictLongPolling}'s figures: the shared ones plus the mean poll cycle. */
export interface LongPollingPrediction extends Prediction {
  /** Mean time from one getUpdates to the next, in ms. */
  meanCycleMs: number;
}

/** {@link predictWebhook}'s figures: the shared ones plus concurrency against max_connections. */
export interface WebhookPrediction extends Prediction {
  /** Mean POSTs in flight by Little's law, λ·(rtt + handler). */
  inFlight: number;
  maxConnections: number;
  /** True when `inFlight` stays below `maxConnections`; otherwise updates queue and the delay grows. */
  withinMaxConnections: boolean;
}

const SECONDS_PER_HOUR = 3_600;
const MS_PER_SECOND = 1_000;
const P99 = 0.99;

/** Throws a RangeError unless `value` is a finite number ≥ 0 (or > 0 when `positive`). */
function check(name: string, value: number, positive = false): number {
  if (!Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(`${name} must be a finite number ${positive ? "> 0" : "≥ 0"}, got ${value}`);
  }
  return value;
}

/** Requests per update for `requestsPerHour` at `ratePerSecond`; `Infinity` without updates. */
function perUpdate(requestsPerHour: number, ratePerSecond: number): number {
  return ratePerSecond === 0
    ? Number.POSITIVE_INFINITY
    : requestsPerHour / (SECONDS_PER_HOUR * ratePerSecond);
}

/** Short polling: P(empty) = e^{−λT}, 3600/T polls per hour, added delay T/2 + rtt (p99 0.99T + rtt). */
export function predictShortPolling(params: ShortPollingParams): ShortPollingPrediction {
  const ratePerSecond = check("ratePerSecond", params.ratePerSecond);
  const intervalMs = check("intervalMs", params.intervalMs, true);
  const rttMs = check("rttMs", params.rttMs ?? MODEL_DEFAULTS.rttMs);
  const emptyShare = Math.exp((-ratePerSecond * intervalMs) / MS_PER_SECOND);
  const requestsPerHour = (SECONDS_PER_HOUR * MS_PER_SECOND) / intervalMs;
  return {
    emptyShare,
    requestsPerHour,
    emptyRequestsPerHour: requestsPerHour * emptyShare,
    requestsPerUpdate: perUpdate(requestsPerHour, ratePerSecond),
    meanAddedDelayMs: intervalMs / 2 + rttMs,
    p99AddedDelayMs: P99 * intervalMs + rttMs,
  };
}

/**
 * Long polling: P(empty) = e^{−λ(τ+g)}; mean cycle g + (1−e^{−λτ})/λ (→ g + τ as λ → 0, → g as
 * λ → ∞). Added delay is one rtt while a request is parked; updates that arrive in the gap
 * (a share g/cycle of them) also wait g/2 on average, which only matters when λτ is large.
 */
export function predictLongPolling(params: LongPollingParams): LongPollingPrediction {
  const ratePerSecond = check("ratePerSecond", params.ratePerSecond);
  const timeoutMs = check("timeoutSeconds", params.timeoutSeconds) * MS_PER_SECOND;
  const rttMs = check("rttMs", params.rttMs ?? MODEL_DEFAULTS.rttMs);
  const gapMs = check("rePollGapMs", params.rePollGapMs ?? rttMs);
  if (timeoutMs + gapMs === 0) {
    throw new RangeError("timeoutSeconds and rePollGapMs are both 0: give a timeout, an rttMs or a gap > 0");
  }
  const ratePerMs = ratePerSecond / MS_PER_SECOND;
  // (1 − e^{−λτ})/λ, written with expm1 so that it stays exact for tiny λτ and is τ at λ = 0.
  const heldMs = ratePerMs === 0 ? timeoutMs : -Math.expm1(-ratePerMs * timeoutMs) / ratePerMs;
  const meanCycleMs = gapMs + heldMs;
  const emptyShare = Math.exp(-ratePerMs * (timeoutMs + gapMs));
  const requestsPerHour = (SECONDS_PER_HOUR * MS_PER_SECOND) / meanCycleMs;
  return {
    emptyShare,
    requestsPerHour,
    emptyRequestsPerHour: requestsPerHour * emptyShare,
    requestsPerUpdate: perUpdate(requestsPerHour, ratePerSecond),
    meanAddedDelayMs: rttMs + ((gapMs / meanCycleMs) * gapMs) / 2,
    meanCycleMs,
  };
}

/** Mean webhook POSTs in flight by Little's law: λ·(2d + S) with 2d = `rttMs`, S = `handlerMs`. */
export function webhookInFlight(ratePerSecond: number, rttMs: number, handlerMs: number): number {
  return (ratePerSecond * (rttMs + handlerMs)) / MS_PER_SECOND;
}

/** Webhook: 3600λ POSTs per hour, none empty, one per update; added delay one rtt. */
export function predictWebhook(params: WebhookParams): WebhookPrediction {
  const ratePerSecond = check("ratePerSecond", params.ratePerSecond);
  const rttMs = check("rttMs", params.rttMs ?? MODEL_DEFAULTS.rttMs);
  const handlerMs = check("handlerMs", params.handlerMs ?? MODEL_DEFAULTS.handlerMs);
  const maxConnections = check(
    "maxConnections",
    params.maxConnections ?? MODEL_DEFAULTS.maxConnections,
    true,
  );
  const inFlight = webhookInFlight(ratePerSecond, rttMs, handlerMs);
  return {
    emptyShare: 0,
    requestsPerHour: SECONDS_PER_HOUR * ratePerSecond,
    emptyRequestsPerHour: 0,
    requestsPerUpdate: 1,
    meanAddedDelayMs: rttMs,
    inFlight,
    maxConnections,
    withinMaxConnections: inFlight < maxConnections,
  };
}

/** The predictor of each mode; `Object.keys(MODE_PREDICTORS)` lists the modes. */
export const MODE_PREDICTORS: { readonly [M in DeliveryMode]: (params: ModeParams[M]) => Prediction } = {
  "short-polling": predictShortPolling,
  "long-polling": predictLongPolling,
  webhook: predictWebhook,
};

/**
 * The prediction for `mode`, reduced to the figures every mode has, so a report can show it
 * beside each measured figure. Throws a RangeError for a parameter out of range.
 */
export function predictMode<M extends DeliveryMode>(mode: M, params: ModeParams[M]): Prediction {
  const { emptyShare, requestsPerHour, emptyRequestsPerHour, requestsPerUpdate, meanAddedDelayMs } =
    MODE_PREDICTORS[mode](params);
  return { emptyShare, requestsPerHour, emptyRequestsPerHour, requestsPerUpdate, meanAddedDelayMs };
}
