/**
 * Telegram's getUpdates and webhook rules, as the model applies them. Written from telegram-bot-api's
 * source (tdlib/telegram-bot-api, `telegram-bot-api/Client.cpp`, `Client.h`, `WebhookActor.cpp`),
 * not from tgbench's fake API, so that the model and the fake API are two independent readings of
 * the same rules and a disagreement between them is a finding.
 */

/** Protocol constants, in the units their names say. */
export const TELEGRAM_RULES = {
  /** getUpdates `limit`: default and maximum 100 (Client.cpp `process_get_updates_query`, `get_integer_arg(..., "limit", 100, 1, 100)`). */
  getUpdatesLimitMax: 100,
  /** Largest getUpdates `timeout` (Client.h `LONG_POLL_MAX_TIMEOUT = 50`). */
  longPollMaxTimeoutSeconds: 50,
  /** A parked poll is answered this long after an update arrives (Client.h `LONG_POLL_WAIT_AFTER = 0.001`)… */
  longPollWaitAfterMs: 1,
  /** …but no later than this after the first arrival (Client.h `LONG_POLL_MAX_DELAY = 0.002`). */
  longPollMaxDelayMs: 2,
  /**
   * Anti-busy-loop rule (Client.cpp `process_get_updates_query`): the same offset as the previous
   * call, less than this long after the previous call started, and `timeout < 3` → `timeout = 3`.
   */
  antiBusyLoopWindowMs: 3_000,
  /** The timeout such a call is held with, in seconds (`timeout = 3`). */
  antiBusyLoopHoldSeconds: 3,
  /** Same offset and less than this long after the previous call started → `limit = 1`. */
  antiBusyLoopLimitOneWindowMs: 500,
  /** Telegram's default webhook `max_connections` (Client.cpp `get_webhook_max_connections`; `default_max_webhook_connections_` is 40). */
  webhookMaxConnectionsDefault: 40,
} as const;

/** What the server remembers of the previous getUpdates (Client.cpp `previous_get_updates_offset_`, `…_start_time_`). */
export interface PreviousPoll {
  /** Offset of the previous call; `undefined` before the first call. */
  offset: number | undefined;
  /** When the previous call reached the server, ms. */
  startMs: number;
}

/** A getUpdates request after clamping: what the server will do with it. */
export interface EffectivePoll {
  timeoutMs: number;
  limit: number;
  /** True when the anti-busy-loop rule raised the timeout to 3 s. */
  held: boolean;
  /** True when the anti-busy-loop rule cut the limit to 1. */
  limitedToOne: boolean;
}

/**
 * The anti-busy-loop rule of Client.cpp `process_get_updates_query`, applied to a call that reaches
 * the server at `nowMs`:
 * ```
 * if (offset == previous_offset && timeout < 3 && now < previous_start + 3.0) timeout = 3;
 * if (offset == previous_offset && now < previous_start + 0.5) limit = 1;
 * ```
 * Both comparisons are strict, so a call exactly 3 s after the previous one is not held.
 */
export function effectivePoll(
  request: { offset: number; timeoutSeconds: number; limit: number },
  previous: PreviousPoll,
  nowMs: number,
  antiBusyLoop: boolean,
): EffectivePoll {
  const timeoutSeconds = Math.min(
    Math.max(Math.trunc(request.timeoutSeconds), 0),
    TELEGRAM_RULES.longPollMaxTimeoutSeconds,
  );
  const limit = Math.min(Math.max(Math.trunc(request.limit), 1), TELEGRAM_RULES.getUpdatesLimitMax);
  const sameOffset = antiBusyLoop && previous.offset !== undefined && request.offset === previous.offset;
  const sinceMs = nowMs - previous.startMs;
  const held =
    sameOffset &&
    timeoutSeconds < TELEGRAM_RULES.antiBusyLoopHoldSeconds &&
    sinceMs < TELEGRAM_RULES.antiBusyLoopWindowMs;
  const limitedToOne = sameOffset && sinceMs < TELEGRAM_RULES.antiBusyLoopLimitOneWindowMs;
  return {
    timeoutMs: (held ? TELEGRAM_RULES.antiBusyLoopHoldSeconds : timeoutSeconds) * 1_000,
    limit: limitedToOne ? 1 : limit,
    held,
    limitedToOne,
  };
}

/** The batching state of a parked long poll (Client.cpp `long_poll_was_wakeup_`, `long_poll_hard_timeout_`). */
export interface ParkedDeadline {
  /** Whether an update has already woken this poll. */
  woken: boolean;
  /** The latest time the poll may be answered, ms (first its timeout, then first arrival + 2 ms). */
  hardDeadlineMs: number;
}

/**
 * Client.cpp `long_poll_wakeup(false)`: an update arrived at `nowMs` for a parked poll. The first
 * arrival caps the deadline at `now + LONG_POLL_MAX_DELAY`; every arrival moves the answer to
 * `min(now + LONG_POLL_WAIT_AFTER, hard deadline)`. Returns when to answer (before timer latency)
 * and updates `state`.
 */
export function wakeParkedPoll(state: ParkedDeadline, nowMs: number): number {
  if (!state.woken) {
    state.woken = true;
    state.hardDeadlineMs = Math.min(nowMs + TELEGRAM_RULES.longPollMaxDelayMs, state.hardDeadlineMs);
  }
  return Math.min(nowMs + TELEGRAM_RULES.longPollWaitAfterMs, state.hardDeadlineMs);
}
