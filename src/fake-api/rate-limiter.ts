import type { Clock } from "./clock.ts";
import type { ChatType } from "./telegram-types.ts";

/**
 * Slack for floating-point refills: 1/3 token/s accumulated over steps can come to 0.9999999999999999
 * tokens, or a 2 s wait to 2.0000000000000004 s, which would refuse a client that waited exactly
 * `retry_after` or tell it to wait a second more than needed.
 */
const EPSILON = 1e-9;

/** A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. */
class TokenBucket {
  #tokens: number;
  #updatedAtMs: number;
  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    nowMs: number,
  ) {
    this.#tokens = capacity;
    this.#updatedAtMs = nowMs;
  }

  /** Milliseconds until one token is available (0 when one is available now). */
  waitMs(nowMs: number): number {
    this.#refill(nowMs);
    return this.#tokens >= 1 - EPSILON ? 0 : ((1 - this.#tokens) / this.refillPerSecond) * 1000;
  }

  take(nowMs: number): void {
    this.#refill(nowMs);
    this.#tokens -= 1;
  }

  #refill(nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - this.#updatedAtMs);
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsedMs / 1000) * this.refillPerSecond);
    this.#updatedAtMs = nowMs;
  }
}

/**
 * Telegram's flood limits as the Bot FAQ states them (shared/reference/telegram-api.md §3):
 * about 1 message/s per private chat with short bursts tolerated, 20 messages/min per group,
 * about 30 messages/s per bot.
 */
export const RATE_LIMITS = {
  privateChat: { capacity: 3, refillPerSecond: 1 },
  group: { capacity: 20, refillPerSecond: 20 / 60 },
  bot: { capacity: 30, refillPerSecond: 30 },
} as const;

/** Per-bot flood control. `check` answers with the seconds to wait (0 = allowed and counted). */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #bot: TokenBucket;
  readonly #chats = new Map<number, TokenBucket>();

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#bot = new TokenBucket(RATE_LIMITS.bot.capacity, RATE_LIMITS.bot.refillPerSecond, clock.nowMs());
  }

  /** Returns 0 and takes a token from each bucket, or the whole seconds to wait (`retry_after`). */
  check(chatId: number, chatType: ChatType): number {
    const nowMs = this.#clock.nowMs();
    const chat = this.#chatBucket(chatId, chatType, nowMs);
    const waitMs = Math.max(this.#bot.waitMs(nowMs), chat.waitMs(nowMs));
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000 - EPSILON));
    this.#bot.take(nowMs);
    chat.take(nowMs);
    return 0;
  }

  #chatBucket(chatId: number, chatType: ChatType, nowMs: number): TokenBucket {
    let bucket = this.#chats.get(chatId);
    if (bucket === undefined) {
      const limits = chatType === "private" ? RATE_LIMITS.privateChat : RATE_LIMITS.group;
      bucket = new TokenBucket(limits.capacity, limits.refillPerSecond, nowMs);
      this.#chats.set(chatId, bucket);
    }
    return bucket;
  }
}
