/**
 * The bot's side of the simulation: its polling loop (pacing, when the next getUpdates goes out),
 * its handlers (how many at once, each the handler time and then one reply call), and its webhook
 * server (when it answers the POST). What each built-in bot does is in bot-behaviours.ts.
 */
import type { Rng } from "../../generator/rng.ts";
import type { ResolvedModelInput } from "../inputs.ts";
import type { EventQueue } from "./event-queue.ts";
import { ConnectionPool, type SimNetwork } from "./network.ts";
import type { SimTelegram, SimUpdate } from "./telegram-side.ts";

/** Random streams of the bot's side. */
export interface BotRngs {
  handler: Rng;
  timers: Rng;
}

/** The bot's handlers: a queue in front of `concurrency` workers, each the handler time then one reply. */
class Handlers {
  readonly #queue: EventQueue;
  readonly #input: ResolvedModelInput;
  readonly #rngs: BotRngs;
  readonly #concurrency: number;
  readonly #waiting: Array<{ update: SimUpdate; done: (atBot: () => void) => void }> = [];
  #waitingHead = 0;
  busy = 0;

  constructor(queue: EventQueue, input: ResolvedModelInput, rngs: BotRngs, concurrency: number) {
    this.#queue = queue;
    this.#input = input;
    this.#rngs = rngs;
    this.#concurrency = concurrency;
  }

  get free(): number {
    return this.#concurrency - this.busy - (this.#waiting.length - this.#waitingHead);
  }

  /**
   * Runs the handler for `update` when a worker is free; `work(finish)` is called after the
   * handler time and must call `finish` when the worker is free again (after the reply).
   */
  submit(update: SimUpdate, work: (finish: () => void) => void): void {
    this.#waiting.push({ update, done: work });
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.busy < this.#concurrency && this.#waitingHead < this.#waiting.length) {
      const job = this.#waiting[this.#waitingHead++]!;
      if (this.#waitingHead > 1024) {
        this.#waiting.splice(0, this.#waitingHead);
        this.#waitingHead = 0;
      }
      this.busy++;
      const handlerMs = this.#input.handler.sample(this.#rngs.handler);
      const delayMs = handlerMs > 0 ? handlerMs + this.#input.botTimerLatency.sample(this.#rngs.timers) : 0;
      this.#queue.after(delayMs, () =>
        job.done(() => {
          this.busy--;
          this.#dispatch();
        }),
      );
    }
  }
}

/** The bot's API client: one call = a connection from the pool, the request up, Telegram's handling, the response down. */
class ApiClient {
  readonly #queue: EventQueue;
  readonly #network: SimNetwork;
  readonly #pool: ConnectionPool;

  constructor(queue: EventQueue, input: ResolvedModelInput, network: SimNetwork) {
    this.#queue = queue;
    this.#network = network;
    // After the warm-up, one connection is open (the polling connection, or the one the replies
    // used) unless the run says how many the warm-up left.
    this.#pool = new ConnectionPool(
      input.bot.apiConnections,
      input.bot.connectionPerCall,
      network.openAtStart.api,
      () => network.setupMs(true),
    );
  }

  /**
   * `atServer(respond)` runs when the request reaches Telegram; `onResponse` when its answer is
   * back. The connection is free again only after `onResponse` has issued its own calls: an HTTP
   * client hands the answer over before it takes the connection back (undici's Pool does so on a
   * later tick, so the replies to a getUpdates answer never go out on the connection it came on;
   * measured through the relay: the first reply after the warm-up's first poll opened a second
   * connection).
   */
  call<T>(atServer: (respond: (value: T) => void) => void, onResponse: (value: T) => void): void {
    this.#pool.acquire((setupMs, release) => {
      this.#queue.after(setupMs + this.#network.upMs(), () =>
        atServer((value) =>
          this.#queue.after(this.#network.downMs(), () => {
            onResponse(value);
            release();
          }),
        ),
      );
    });
  }
}

/** A polling bot: getUpdates in a loop, handlers beside or between the polls. */
export class SimPollingBot {
  readonly #queue: EventQueue;
  readonly #input: ResolvedModelInput;
  readonly #telegram: SimTelegram;
  readonly #rngs: BotRngs;
  readonly #api: ApiClient;
  readonly #handlers: Handlers;
  readonly #intervalMs: number;
  readonly #timeoutSeconds: number;
  #offset = 0;
  #lastStartMs = Number.NEGATIVE_INFINITY;
  #lastAnswerMs = Number.NEGATIVE_INFINITY;
  #batchLeft = 0;
  #waitingForCapacity = false;

  constructor(
    queue: EventQueue,
    input: ResolvedModelInput,
    telegram: SimTelegram,
    network: SimNetwork,
    rngs: BotRngs,
  ) {
    this.#queue = queue;
    this.#input = input;
    this.#telegram = telegram;
    this.#rngs = rngs;
    this.#api = new ApiClient(queue, input, network);
    this.#handlers = new Handlers(queue, input, rngs, input.bot.handlerConcurrency);
    const mode = input.mode;
    this.#intervalMs = mode.mode === "short-polling" ? mode.intervalMs : 0;
    this.#timeoutSeconds = mode.mode === "long-polling" ? mode.timeoutSeconds : 0;
  }

  /** Starts the polling loop, its first getUpdates at `atMs` (its phase against the arrivals). */
  start(atMs = 0): void {
    if (atMs > 0) this.#queue.at(atMs, () => this.#schedulePoll());
    else this.#schedulePoll();
  }

  #schedulePoll(): void {
    const bot = this.#input.bot;
    if (bot.fetch === "decoupled" && bot.limitByFreeCapacity && this.#handlers.free <= 0) {
      this.#waitingForCapacity = true;
      return;
    }
    const nowMs = this.#queue.nowMs;
    const fromMs = bot.pacing === "between-starts" ? this.#lastStartMs : this.#lastAnswerMs;
    const earliestMs = fromMs + this.#intervalMs;
    if (this.#intervalMs > 0 && earliestMs > nowMs) {
      this.#queue.at(earliestMs + this.#input.botTimerLatency.sample(this.#rngs.timers), () => this.#poll());
    } else {
      this.#poll();
    }
  }

  #poll(): void {
    const bot = this.#input.bot;
    this.#lastStartMs = this.#queue.nowMs;
    const limit = bot.limitByFreeCapacity
      ? Math.max(1, Math.min(this.#input.limit, this.#handlers.free))
      : this.#input.limit;
    const call = { offset: this.#offset, timeoutSeconds: this.#timeoutSeconds, limit };
    this.#api.call<SimUpdate[]>(
      (respond) => this.#telegram.getUpdates(call, respond),
      (items) => this.#onAnswer(items),
    );
  }

  #onAnswer(items: SimUpdate[]): void {
    this.#lastAnswerMs = this.#queue.nowMs;
    if (items.length > 0) this.#offset = items[items.length - 1]!.id + 1;
    const afterBatch = this.#input.bot.fetch === "after-batch";
    this.#batchLeft = items.length;
    for (const update of items) this.#handle(update, afterBatch);
    if (!afterBatch || items.length === 0) this.#schedulePoll();
  }

  #handle(update: SimUpdate, afterBatch: boolean): void {
    this.#handlers.submit(update, (finish) => {
      this.#api.call<void>(
        (respond) => {
          this.#telegram.reply(update, false);
          respond(undefined);
        },
        () => {
          finish();
          if (afterBatch && --this.#batchLeft === 0) this.#schedulePoll();
          if (this.#waitingForCapacity) {
            this.#waitingForCapacity = false;
            this.#schedulePoll();
          }
        },
      );
    });
  }
}

/** A webhook bot: its HTTP server receives POSTs and answers them before or after its handler. */
export class SimWebhookBot {
  readonly #api: ApiClient;
  readonly #handlers: Handlers;
  readonly #telegram: SimTelegram;
  readonly #replyInBody: boolean;
  readonly #ackOnReceipt: boolean;

  constructor(
    queue: EventQueue,
    input: ResolvedModelInput,
    telegram: SimTelegram,
    network: SimNetwork,
    rngs: BotRngs,
  ) {
    this.#telegram = telegram;
    this.#api = new ApiClient(queue, input, network);
    this.#handlers = new Handlers(queue, input, rngs, input.bot.webhookHandlerConcurrency);
    const mode = input.mode;
    this.#replyInBody = mode.mode === "webhook" && mode.webhookReply && input.bot.webhookReply;
    // A bot that replies in the response body answers after its handler whatever its default
    // (aiogram then handles in the foreground).
    this.#ackOnReceipt = !this.#replyInBody && input.bot.webhookAck === "on-receipt";
  }

  /** The dispatcher's view of the bot: a POST arrived now. */
  readonly onPost = (update: SimUpdate, respond: (replyInBody: boolean) => void): void => {
    if (this.#ackOnReceipt) respond(false);
    this.#handlers.submit(update, (finish) => {
      if (this.#replyInBody) {
        finish();
        respond(true);
        return;
      }
      this.#api.call<void>(
        (serverRespond) => {
          this.#telegram.reply(update, false);
          serverRespond(undefined);
        },
        () => {
          finish();
          if (!this.#ackOnReceipt) respond(false);
        },
      );
    });
  };
}
