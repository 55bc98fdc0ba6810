import { BotRegistry } from "./bot-registry.ts";
import type { BotState } from "./bot-state.ts";
import { type CallRecord, callRecord } from "./call-log.ts";
import { monotonicMs } from "./clock.ts";
import { UNKNOWN_METHOD } from "./counters.ts";
import { type ApiError, Descriptions, notFound, toApiError } from "./errors.ts";
import { FakeApiEvents } from "./events.ts";
import { findMethod } from "./methods/index.ts";
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

/**
 * The fake Telegram itself, without HTTP: bots by token, their queues, and the method registry.
 * The fastify server ({@link ./server.ts}) and the harness control ({@link ./control.ts}) are two
 * doors into this one object.
 */
export class FakeTelegram {
  readonly options: ResolvedFakeApiOptions;
  readonly events = new FakeApiEvents();
  readonly registry: BotRegistry;

  constructor(options: ResolvedFakeApiOptions) {
    this.options = options;
    this.registry = new BotRegistry(options, (expiredBot, item) => this.noteExpired(expiredBot, item));
  }

  /** The bot behind a token, created on first use; 401 for a malformed token (see {@link BotRegistry.get}). */
  bot(token: string): BotState {
    return this.registry.get(token);
  }

  /** Bots whose state is live (released idle bots are not among them). */
  bots(): IterableIterator<BotState> {
    return this.registry.values();
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
    bot.lastActiveMs = this.options.clock.nowMs();
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
    bot.lastActiveMs = this.options.clock.nowMs();
    const handler = findMethod(methodName);
    const counters = bot.counters;
    const counted = handler === undefined ? UNKNOWN_METHOD : methodName;
    counters.requestsByMethod[counted] = (counters.requestsByMethod[counted] ?? 0) + 1;
    if (this.events.listenerCount("request") > 0) {
      this.events.emit("request", { botId: bot.id, method: methodName, via, atMs: receivedAtMs });
    }
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
    bot.pendingCalls++;
    return value.then(
      (resolved: unknown) => {
        bot.pendingCalls--;
        return this.#finish(bot, methodName, params, via, receivedAtMs, success(resolved));
      },
      (error: unknown) => {
        bot.pendingCalls--;
        return this.#finish(bot, methodName, params, via, receivedAtMs, {
          ok: false,
          error: toApiError(error),
        });
      },
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
    this.registry.close();
    const closing: Promise<void>[] = [];
    for (const bot of this.registry.values()) {
      bot.poller.close();
      if (bot.dispatcher !== null) closing.push(bot.dispatcher.close());
      bot.dispatcher = null;
    }
    await Promise.all(closing);
  }

  /**
   * A bot's request refused before its method ran (a body that cannot be read: corrupt gzip, too
   * large, cut off): counted and announced like any other error answer, so a bot whose every call
   * is refused this way shows its errors.
   */
  noteRequestError(bot: BotState, method: string, error: ApiError): void {
    this.#countError(bot, error);
    if (this.events.listenerCount("apiError") > 0) {
      const { errorCode, description } = error;
      this.events.emit("apiError", { botId: bot.id, method, errorCode, description, atMs: monotonicMs() });
    }
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
