import { BotState } from "./bot-state.ts";
import { type CallRecord, callRecord } from "./call-log.ts";
import { monotonicMs } from "./clock.ts";
import { type ApiError, Descriptions, notFound, toApiError, unauthorized } from "./errors.ts";
import { FakeApiEvents } from "./events.ts";
import { METHODS } from "./methods/index.ts";
import { Described, type MethodContext } from "./methods/method.ts";
import type { ResolvedFakeApiOptions } from "./options.ts";
import type { Params } from "./params.ts";
import type { Update, UpdateType } from "./telegram-types.ts";
import type { QueuedUpdate } from "./update-queue.ts";

/** The result of one call, ready to be serialised as Telegram's envelope. */
export type CallOutcome =
  | { ok: true; result: unknown; description: string | undefined }
  | { ok: false; error: ApiError };

const ignoreCancel = () => {};

const success = (value: unknown): CallOutcome =>
  value instanceof Described
    ? { ok: true, result: value.result, description: value.description }
    : { ok: true, result: value, description: undefined };

/** Largest bot id telegram-bot-api accepts (ClientManager.cpp: `user_id < 1 << 54`). */
const MAX_BOT_ID = 2 ** 54;

/**
 * The fake Telegram itself, without HTTP: bots by token, their queues, and the method registry.
 * The fastify server ({@link ./server.ts}) and the harness control ({@link ./control.ts}) are two
 * doors into this one object.
 */
export class FakeTelegram {
  readonly options: ResolvedFakeApiOptions;
  readonly events = new FakeApiEvents();
  readonly #bots = new Map<string, BotState>();

  constructor(options: ResolvedFakeApiOptions) {
    this.options = options;
  }

  /**
   * The bot behind a token, created on first use. A malformed token gets 401 exactly as
   * telegram-bot-api checks it (ClientManager::send): leading 0, longer than 80, a '/', no ':',
   * or a bot id outside 1..2^54; we also require a non-empty secret after the ':'.
   */
  bot(token: string): BotState {
    const known = this.#bots.get(token);
    if (known !== undefined) return known;
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
    const bot = new BotState(token, id, this.options, (expiredBot, item) =>
      this.noteExpired(expiredBot, item),
    );
    this.#bots.set(token, bot);
    return bot;
  }

  /** Bots seen so far. */
  bots(): IterableIterator<BotState> {
    return this.#bots.values();
  }

  /**
   * Creates an update for a bot, as Telegram does when a user acts: dropped if allowed_updates
   * excludes its type, otherwise queued and handed to the parked long poll or the webhook.
   * Returns null when filtered.
   */
  enqueue(
    bot: BotState,
    type: UpdateType,
    queueKey: number,
    expirySeconds: number,
    build: (updateId: number) => Update,
  ): QueuedUpdate | null {
    if (!bot.accepts(type)) {
      bot.counters.updatesFiltered++;
      return null;
    }
    const item = bot.queue.push(type, bot.nowSec() + expirySeconds, queueKey, build);
    bot.counters.updatesQueued++;
    if (this.events.listenerCount("update") > 0) {
      this.events.emit("update", { botId: bot.id, update: item.update, atMs: monotonicMs() });
    }
    if (bot.dispatcher !== null) bot.dispatcher.notify(item);
    else bot.poller.wake();
    return item;
  }

  /**
   * Runs one Bot API method and records it. Never throws: failures are outcomes (an ApiError),
   * counted and logged like successes. Synchronous methods answer synchronously — this is the
   * hot path of every benchmark, and a promise per call is measurable there.
   */
  call(
    bot: BotState,
    methodName: string,
    params: Params,
    via: CallRecord["via"],
    onCancel: MethodContext["onCancel"] = ignoreCancel,
  ): CallOutcome | Promise<CallOutcome> {
    const receivedAtMs = monotonicMs();
    const counters = bot.counters;
    counters.requestsByMethod[methodName] = (counters.requestsByMethod[methodName] ?? 0) + 1;
    if (this.events.listenerCount("request") > 0) {
      this.events.emit("request", { botId: bot.id, method: methodName, via, atMs: receivedAtMs });
    }
    const handler = METHODS[methodName];
    if (handler === undefined) {
      return this.#finish(bot, methodName, params, via, receivedAtMs, {
        ok: false,
        error: notFound(Descriptions.methodNotFound),
      });
    }
    let value: unknown;
    try {
      value = handler({ telegram: this, bot, params, via, onCancel });
    } catch (error: unknown) {
      return this.#finish(bot, methodName, params, via, receivedAtMs, {
        ok: false,
        error: toApiError(error),
      });
    }
    if (!(value instanceof Promise))
      return this.#finish(bot, methodName, params, via, receivedAtMs, success(value));
    return value.then(
      (resolved: unknown) => this.#finish(bot, methodName, params, via, receivedAtMs, success(resolved)),
      (error: unknown) =>
        this.#finish(bot, methodName, params, via, receivedAtMs, { ok: false, error: toApiError(error) }),
    );
  }

  #finish(
    bot: BotState,
    method: string,
    params: Params,
    via: CallRecord["via"],
    receivedAtMs: number,
    outcome: CallOutcome,
  ): CallOutcome {
    if (!outcome.ok) {
      this.#countError(bot, outcome.error);
      if (this.events.listenerCount("apiError") > 0) {
        const { errorCode, description } = outcome.error;
        this.events.emit("apiError", { botId: bot.id, method, errorCode, description, atMs: monotonicMs() });
      }
    }
    const stored = bot.callLog.add(method, params, via, receivedAtMs, outcome.ok ? undefined : outcome.error);
    if (this.events.listenerCount("call") > 0)
      this.events.emit("call", { botId: bot.id, record: callRecord(stored) });
    return outcome;
  }

  /** Counts an update that expired before delivery and tells the runner which one. */
  noteExpired(bot: BotState, item: QueuedUpdate): void {
    bot.counters.updatesExpired++;
    if (this.events.listenerCount("expired") > 0) {
      this.events.emit("expired", { botId: bot.id, updateId: item.update.update_id, atMs: monotonicMs() });
    }
  }

  /** Stops every parked poll, pending 409 and webhook dispatcher. */
  async close(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const bot of this.#bots.values()) {
      bot.poller.close();
      if (bot.dispatcher !== null) closing.push(bot.dispatcher.close());
      bot.dispatcher = null;
    }
    await Promise.all(closing);
  }

  #countError(bot: BotState, error: ApiError): void {
    const counters = bot.counters;
    const status = String(error.errorCode);
    counters.errorsByStatus[status] = (counters.errorsByStatus[status] ?? 0) + 1;
    if (error.errorCode === 499) counters.getUpdatesCancelled++;
    else if (error.errorCode === 409) counters.conflicts409++;
    else if (error.errorCode === 429) counters.tooManyRequests429++;
  }
}
