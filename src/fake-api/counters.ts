/**
 * Per-bot counters. They are never sampled or dropped: the runner's ledger is built from them.
 * Plain numbers on a plain object, so incrementing one on the hot path costs nothing.
 */
export interface BotCounters {
  /**
   * Requests by lower-case method name (HTTP requests and webhook-reply calls); calls of methods
   * the fake API does not implement are counted together under {@link UNKNOWN_METHOD}.
   */
  requestsByMethod: Record<string, number>;
  /** Requests answered with an error, by HTTP status. */
  errorsByStatus: Record<string, number>;
  getUpdatesCalls: number;
  /**
   * getUpdates answered with updates or with `[]`; a poll still held, cancelled by its client or
   * refused (409) is not among them. Counted when the answer is made, like {@link emptyGetUpdates}.
   */
  getUpdatesAnswered: number;
  /** getUpdates answered with `[]` (short polls on an empty queue and long polls that timed out). */
  emptyGetUpdates: number;
  /** Long polls whose client hung up before an answer (a bot stopping); neither empty nor answered. */
  getUpdatesCancelled: number;
  /**
   * Bytes received on this bot's connections to the fake API, as they crossed the socket: request
   * lines, headers and bodies (compressed as sent). 0 under `inject()`, which has no socket.
   */
  bytesIn: number;
  /** Bytes sent on this bot's connections: status lines, headers and bodies. 0 under `inject()`. */
  bytesOut: number;
  /** Request body bytes alone, as sent (Content-Length, or counted for a chunked body). */
  bodyBytesIn: number;
  /** Response body bytes alone (the JSON envelopes). */
  bodyBytesOut: number;
  /** TCP connections this bot opened to the fake API. */
  connectionsOpened: number;
  conflicts409: number;
  tooManyRequests429: number;
  /** Updates created by the harness and accepted by allowed_updates. */
  updatesQueued: number;
  /** Updates the harness injected that allowed_updates filtered out. */
  updatesFiltered: number;
  /** Updates handed over in getUpdates answers (each counted once, at its first hand-over). */
  updatesDeliveredByPolling: number;
  /** Updates acknowledged with a 2xx by the bot's webhook. */
  updatesDeliveredByWebhook: number;
  /** Updates dropped because they expired before delivery. */
  updatesExpired: number;
  /** Updates removed by drop_pending_updates or a negative offset. */
  updatesDropped: number;
  webhookAttempts: number;
  webhookRetries: number;
  webhookFailures: number;
  /** TCP connections the webhook dispatcher opened to the bot. */
  webhookConnectionsOpened: number;
  /** Bytes the webhook dispatcher wrote on its connections to the bot: request lines, headers, bodies. */
  webhookBytesOut: number;
  /** Bytes the webhook dispatcher read on its connections: status lines, headers, bodies. */
  webhookBytesIn: number;
  /** Webhook POST bodies alone (the updates' JSON). */
  webhookBodyBytesOut: number;
  /** Webhook response bodies alone, as far as they were read (see the dispatcher's limits). */
  webhookBodyBytesIn: number;
  /** Calls executed from webhook response bodies. */
  webhookReplies: number;
  /** Messages the bot sent (sendMessage, sendPhoto, copyMessage …). */
  messagesSent: number;
}

/** The `requestsByMethod` key of every method the fake API does not implement (404 method not found). */
export const UNKNOWN_METHOD = "(unknown)";

export function newBotCounters(): BotCounters {
  return {
    requestsByMethod: {},
    errorsByStatus: {},
    getUpdatesCalls: 0,
    getUpdatesAnswered: 0,
    emptyGetUpdates: 0,
    getUpdatesCancelled: 0,
    bytesIn: 0,
    bytesOut: 0,
    bodyBytesIn: 0,
    bodyBytesOut: 0,
    connectionsOpened: 0,
    conflicts409: 0,
    tooManyRequests429: 0,
    updatesQueued: 0,
    updatesFiltered: 0,
    updatesDeliveredByPolling: 0,
    updatesDeliveredByWebhook: 0,
    updatesExpired: 0,
    updatesDropped: 0,
    webhookAttempts: 0,
    webhookRetries: 0,
    webhookFailures: 0,
    webhookConnectionsOpened: 0,
    webhookBytesOut: 0,
    webhookBytesIn: 0,
    webhookBodyBytesOut: 0,
    webhookBodyBytesIn: 0,
    webhookReplies: 0,
    messagesSent: 0,
  };
}

/** A deep copy, safe to hand to a reader. */
export function snapshotCounters(counters: BotCounters): BotCounters {
  return {
    ...counters,
    requestsByMethod: { ...counters.requestsByMethod },
    errorsByStatus: { ...counters.errorsByStatus },
  };
}
