import { BotState } from "./bot-state.ts";
import { CallLogBudget } from "./call-log.ts";
import type { BotCounters } from "./counters.ts";
import { Descriptions, unauthorized } from "./errors.ts";
import type { ResolvedFakeApiOptions } from "./options.ts";
import type { QueuedUpdate } from "./update-queue.ts";

/** Largest bot id telegram-bot-api accepts (ClientManager.cpp: `user_id < 1 << 54`). */
const MAX_BOT_ID = 2 ** 54;

/** How often idle bots are looked for, at most. */
const SWEEP_INTERVAL_MAX_MS = 60_000;

/**
 * The bots by token, with bounded memory for a `tgbench serve` that runs for hours and sees any
 * number of tokens: a bot idle for `botIdleReleaseMs` with nothing pending is released (its chats,
 * queue and call log go), and when more than `maxBots` states are live the least recently active
 * releasable ones go early. A released bot's counters are kept (up to `maxBots` of them, oldest
 * dropped first) and continue from their totals when its token comes back.
 */
export class BotRegistry {
  readonly #options: ResolvedFakeApiOptions;
  readonly #onExpired: (bot: BotState, item: QueuedUpdate) => void;
  readonly #live = new Map<string, BotState>();
  /** Counters of released bots, oldest release first. */
  readonly #released = new Map<string, BotCounters>();
  readonly callLogBudget: CallLogBudget;
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: ResolvedFakeApiOptions, onExpired: (bot: BotState, item: QueuedUpdate) => void) {
    this.#options = options;
    this.#onExpired = onExpired;
    this.callLogBudget = new CallLogBudget(options.callLogMaxBytes, options.callLogValueMaxBytes);
  }

  /** Live bot states. */
  get size(): number {
    return this.#live.size;
  }

  /** Released bots whose counters are kept. */
  get releasedCount(): number {
    return this.#released.size;
  }

  /**
   * The bot behind a token, created on first use (with its kept counters if it was released). A
   * malformed token gets 401 exactly as telegram-bot-api checks it (ClientManager::send): leading
   * 0, longer than 80, a '/', no ':', or a bot id outside 1..2^54; we also require a non-empty
   * secret after the ':'.
   */
  get(token: string): BotState {
    const known = this.#live.get(token);
    if (known !== undefined) return known;
    const id = botIdOf(token);
    const bot = new BotState(token, id, this.#options, this.#onExpired, this.callLogBudget);
    const counters = this.#released.get(token);
    if (counters !== undefined) {
      bot.counters = counters;
      this.#released.delete(token);
    }
    this.#live.set(token, bot);
    if (this.#live.size > this.#options.maxBots) this.#releaseLeastActive();
    this.#startSweeping();
    return bot;
  }

  values(): IterableIterator<BotState> {
    return this.#live.values();
  }

  /** Releases every releasable bot idle for `botIdleReleaseMs` by the options' clock; returns how many. */
  releaseIdle(): number {
    const idleBeforeMs = this.#options.clock.nowMs() - this.#options.botIdleReleaseMs;
    let released = 0;
    for (const bot of [...this.#live.values()]) {
      if (bot.lastActiveMs <= idleBeforeMs && bot.releasable) {
        this.#release(bot);
        released++;
      }
    }
    return released;
  }

  /** Forgets the kept counters of released bots (the harness's reset of every bot). */
  forgetReleased(): void {
    this.#released.clear();
  }

  /** Stops looking for idle bots. */
  close(): void {
    clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
  }

  #startSweeping(): void {
    if (this.#sweepTimer !== undefined) return;
    const everyMs = Math.min(this.#options.botIdleReleaseMs, SWEEP_INTERVAL_MAX_MS);
    this.#sweepTimer = setInterval(() => this.releaseIdle(), everyMs);
    this.#sweepTimer.unref();
  }

  /** Over `maxBots`: release the least recently active releasable bots down to 90% of it. */
  #releaseLeastActive(): void {
    const target = Math.floor(this.#options.maxBots * 0.9);
    const candidates = [...this.#live.values()]
      .filter((bot) => bot.releasable)
      .sort((a, b) => a.lastActiveMs - b.lastActiveMs);
    for (const bot of candidates) {
      if (this.#live.size <= target) break;
      this.#release(bot);
    }
  }

  #release(bot: BotState): void {
    this.#live.delete(bot.token);
    bot.callLog.clear();
    this.#released.set(bot.token, bot.currentCounters());
    while (this.#released.size > this.#options.maxBots) {
      const oldest = this.#released.keys().next().value as string;
      this.#released.delete(oldest);
    }
  }
}

/** The bot id of a well-formed token; 401 `invalid token specified` otherwise. */
function botIdOf(token: string): number {
  const colon = token.indexOf(":");
  const digits = token.slice(0, colon);
  const id = Number(digits);
  if (
    colon <= 0 ||
    colon === token.length - 1 ||
    token[0] === "0" ||
    token.length > 80 ||
    token.includes("/") ||
    !/^\d+$/.test(digits) ||
    !(id > 0 && id < MAX_BOT_ID)
  ) {
    throw unauthorized(Descriptions.invalidToken);
  }
  return id;
}
