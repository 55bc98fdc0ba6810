import { EventEmitter } from "node:events";
import type { CallRecord } from "./call-log.ts";
import type { CountedTraffic } from "./counted.ts";
import type { Message, Update } from "./telegram-types.ts";

/**
 * What the fake API tells the runner, in process. Listeners must be cheap: they run on the request
 * path. Every payload carries the bot's id and a monotonic timestamp (performance.now() ms).
 */
export interface FakeApiEventMap {
  /** The harness created an update and it was queued for the bot. */
  update: [{ botId: number; update: Update; atMs: number }];
  /** Updates were handed to the bot: in a getUpdates answer, or in a webhook POST that got a 2xx. */
  delivered: [{ botId: number; updateIds: readonly number[]; via: "getUpdates" | "webhook"; atMs: number }];
  /** A webhook POST was attempted (before its outcome is known). */
  webhookAttempt: [{ botId: number; updateId: number; attempt: number; atMs: number }];
  /** A webhook POST failed; it will be retried after `retryInMs` (or dropped when undefined). */
  webhookFailure: [
    { botId: number; updateId: number; error: string; retryInMs: number | undefined; atMs: number },
  ];
  /** An update expired before it was delivered (dropped silently, as Telegram does). */
  expired: [{ botId: number; updateId: number; atMs: number }];
  /** The bot sent a message (sendMessage, sendPhoto, copyMessage, forwardMessage …). */
  message: [{ botId: number; message: Message; method: string; atMs: number }];
  /** A call arrived (before it is answered; a long poll is announced here, when it starts). */
  request: [{ botId: number; method: string; via: "http" | "webhook-reply"; atMs: number }];
  /** A callback query was answered with answerCallbackQuery. */
  callbackAnswered: [{ botId: number; callbackQueryId: string; atMs: number }];
  /**
   * A traffic counter grew (body bytes in either direction, an empty getUpdates answer), at the
   * moment it was counted; `counter` names the BotCounters field and `amount` what was added.
   */
  counted: [{ botId: number; counter: CountedTraffic; amount: number; atMs: number }];
  /**
   * A getUpdates was accepted (its parameters were valid and no webhook is set): it is answered at
   * once or parked as a long poll. `timeoutSeconds` is what the bot asked for (clamped to 0..50),
   * before the anti-busy-loop hold.
   */
  poll: [{ botId: number; offset: number; limit: number; timeoutSeconds: number; atMs: number }];
  /** A call was answered with an error (any method), with Telegram's description. */
  apiError: [{ botId: number; method: string; errorCode: number; description: string; atMs: number }];
  /** A call finished (any method, success or error). */
  call: [{ botId: number; record: CallRecord }];
}

export class FakeApiEvents extends EventEmitter<FakeApiEventMap> {}
