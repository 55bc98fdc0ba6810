import { buildConnector, Pool } from "undici";
import type { BotState, WebhookConfig } from "./bot-state.ts";
import { monotonicMs } from "./clock.ts";
import { countTraffic } from "./counted.ts";
import { DeliveryTimeouts } from "./delivery-timeouts.ts";
import type { FakeTelegram } from "./fake-telegram.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import { Params, type ParsedBody } from "./params.ts";
import { ConnectionMeter } from "./socket-meter.ts";
import type { QueuedUpdate } from "./update-queue.ts";
import { rawUserinfo } from "./url-encoding.ts";
import { type PostOutcome, type PostSink, WebhookPost } from "./webhook-post.ts";
import { allowedInWebhookReply } from "./webhook-reply.ts";

/** Updates of one ordering key (a chat, or a user's callback queries), delivered one at a time. */
interface Lane {
  readonly key: number;
  readonly items: QueuedUpdate[];
  busy: boolean;
  /** Failures of the head update so far, and its current backoff (WebhookActor `delay_`, seconds). */
  failCount: number;
  delaySeconds: number;
  retryTimer: NodeJS.Timeout | undefined;
}

/** Why a delivery failed, in telegram-bot-api's words, and its Retry-After (seconds, 0 = none). */
type PostFailure = Extract<PostOutcome, { ok: false }>;

/**
 * Pushes a bot's updates to its webhook the way Telegram does (WebhookActor.cpp):
 * - POST with `Content-Type: application/json` exactly, the secret header, and Basic auth from
 *   the URL's user info as written (telegram-bot-api base64-encodes it without decoding);
 * - a keep-alive pool of at most `max_connections`, one request per connection at a time;
 * - updates of one chat strictly one after another, different chats in parallel;
 * - success = any 2xx; failure = other status, closed connection, or not done in time: the
 *   timeout is on the whole delivery, headers and body (HttpConnectionBase's timeout is not
 *   renewed by incoming data), so a bot that drips its answer is cut off too;
 * - retries: the first at once, then 2, 4, 8 … s capped at a random 60–120 s (scaled by
 *   `webhookRetryTimeScale`), `Retry-After` honoured (0–3600 s); an update whose next attempt
 *   would fall after its expiry is dropped;
 * - a 2xx body with a `method` is executed as an API call (a webhook reply); no more of an answer
 *   is read than a call can use (see {@link readWebhookReply}), so no answer can exhaust memory.
 * Bytes are counted on the dispatcher's sockets (headers included) and as bodies alone.
 */
export class WebhookDispatcher {
  readonly #telegram: FakeTelegram;
  readonly #bot: BotState;
  readonly #config: WebhookConfig;
  readonly #url: URL;
  readonly #path: string;
  readonly #pool: Pool;
  /** Every POST in flight, aborted by its delivery timeout or by close(). */
  readonly #timeouts: DeliveryTimeouts;
  readonly #meter: ConnectionMeter;
  readonly #lanes = new Map<number, Lane>();
  /** Keys of lanes ready to send, in the order they became ready (fairness across chats). */
  #ready: number[] = [];
  #readyHead = 0;
  #inFlight = 0;
  #closed = false;
  readonly #headers: Record<string, string>;
  /** What every POST reports to (one object for all: no closures per POST). */
  readonly #sink: PostSink<Lane> = {
    onBodyBytes: (bytes) => {
      this.#bot.counters.webhookBodyBytesIn += bytes;
    },
    onOutcome: (post, outcome) => this.#onOutcome(post, outcome),
  };

  /** `deliveryUrl`: where the POSTs go (a relay in front of `config.url`, FakeApiOptions.webhookRoute). */
  constructor(telegram: FakeTelegram, bot: BotState, config: WebhookConfig, deliveryUrl = config.url) {
    this.#telegram = telegram;
    this.#bot = bot;
    this.#config = config;
    this.#url = new URL(deliveryUrl);
    this.#path = this.#url.pathname + this.#url.search;
    this.#timeouts = new DeliveryTimeouts(telegram.options.webhookDeliveryTimeoutMs);
    this.#meter = new ConnectionMeter((readBytes, writtenBytes) => {
      countTraffic(telegram.events, bot, "webhookBytesIn", readBytes);
      countTraffic(telegram.events, bot, "webhookBytesOut", writtenBytes);
    });
    this.#pool = new Pool(this.#url.origin, {
      connections: config.maxConnections,
      pipelining: 1,
      headersTimeout: telegram.options.webhookDeliveryTimeoutMs,
      bodyTimeout: telegram.options.webhookDeliveryTimeoutMs,
      connect: this.#meter.wrap(buildConnector({}) as never) as never,
    });
    this.#pool.on("connect", () => {
      bot.counters.webhookConnectionsOpened++;
    });
    this.#headers = { "content-type": "application/json", "accept-encoding": "gzip, deflate" };
    if (config.secretToken !== "") this.#headers["x-telegram-bot-api-secret-token"] = config.secretToken;
    const userinfo = rawUserinfo(config.url);
    if (userinfo !== "") this.#headers.authorization = `Basic ${Buffer.from(userinfo).toString("base64")}`;
  }

  /** Adds the bytes on the dispatcher's sockets so far to the bot's counters. */
  countSocketBytes(): void {
    this.#meter.countAll();
  }

  /** Loads the updates already queued (they were waiting for getUpdates) and starts sending. */
  start(): void {
    for (const item of this.#bot.queue.values()) this.#enqueue(item);
    this.#pump();
  }

  /** A new update was queued for this bot. */
  notify(item: QueuedUpdate): void {
    if (this.#closed) return;
    this.#enqueue(item);
    this.#pump();
  }

  /** Stops: aborts requests in flight (their updates stay queued), cancels retries, closes sockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const lane of this.#lanes.values()) clearTimeout(lane.retryTimer);
    this.#lanes.clear();
    this.#timeouts.close();
    await this.#pool.destroy().catch(() => {});
    this.#meter.countAll();
  }

  #enqueue(item: QueuedUpdate): void {
    let lane = this.#lanes.get(item.queueKey);
    if (lane === undefined) {
      lane = {
        key: item.queueKey,
        items: [],
        busy: false,
        failCount: 0,
        delaySeconds: 1,
        retryTimer: undefined,
      };
      this.#lanes.set(item.queueKey, lane);
    }
    lane.items.push(item);
    if (lane.items.length === 1 && !lane.busy && lane.retryTimer === undefined) this.#ready.push(lane.key);
  }

  #pump(): void {
    while (this.#inFlight < this.#config.maxConnections && this.#readyHead < this.#ready.length) {
      const key = this.#ready[this.#readyHead++]!;
      const lane = this.#lanes.get(key);
      if (lane !== undefined && !lane.busy && lane.items.length > 0) this.#deliver(lane);
    }
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
  }

  #deliver(lane: Lane): void {
    const item = lane.items[0]!;
    const bot = this.#bot;
    if (item.expiresAtSec <= bot.nowSec()) {
      this.#finishHead(lane, "expired");
      return;
    }
    lane.busy = true;
    this.#inFlight++;
    bot.counters.webhookAttempts++;
    if (lane.failCount > 0) bot.counters.webhookRetries++;
    const events = this.#telegram.events;
    if (events.listenerCount("webhookAttempt") > 0) {
      events.emit("webhookAttempt", {
        botId: bot.id,
        updateId: item.update.update_id,
        attempt: lane.failCount + 1,
        atMs: monotonicMs(),
      });
    }
    const post = new WebhookPost(this.#sink, this.#telegram.options.bodyLimitBytes, lane);
    this.#timeouts.start(post);
    try {
      const payload = JSON.stringify(item.update);
      bot.counters.webhookBodyBytesOut += Buffer.byteLength(payload);
      this.#pool.dispatch({ path: this.#path, method: "POST", headers: this.#headers, body: payload }, post);
    } catch (error: unknown) {
      // The net under the delivery loop: nothing may escape it as an exception.
      this.#settle(post, { ok: false, message: connectionClosed(error), retryAfterSeconds: 0 });
    }
  }

  /** A POST is over: run its webhook reply, if any, then move its lane on. */
  #onOutcome(post: WebhookPost<Lane>, outcome: PostOutcome): void {
    if (outcome.ok && outcome.body !== undefined && !this.#closed) {
      this.#runReply(outcome.body).then(
        () => this.#settle(post, outcome),
        (error: unknown) =>
          this.#settle(post, { ok: false, message: connectionClosed(error), retryAfterSeconds: 0 }),
      );
      return;
    }
    this.#settle(post, outcome);
  }

  #settle(post: WebhookPost<Lane>, outcome: PostOutcome): void {
    this.#timeouts.finish(post);
    // Someone times traffic by when it happened (the trial recorder): hand this POST's socket
    // bytes over now, not lazily when the counters are next read.
    if (this.#telegram.events.listenerCount("counted") > 0) this.#meter.countActive();
    const lane = post.context;
    this.#inFlight--;
    lane.busy = false;
    if (this.#closed) return;
    if (outcome.ok) this.#finishHead(lane, "delivered");
    else this.#retryHead(lane, outcome);
    this.#pump();
  }

  async #runReply(body: ParsedBody): Promise<void> {
    const params = new Params(undefined, body);
    const method = params.get("method")?.toLowerCase();
    if (method === undefined || !allowedInWebhookReply(method)) return;
    this.#bot.counters.webhookReplies++;
    await this.#telegram.call(this.#bot, method, params, "webhook-reply");
  }

  #finishHead(lane: Lane, how: "delivered" | "expired"): void {
    const item = lane.items.shift()!;
    const bot = this.#bot;
    bot.queue.remove(item.update.update_id);
    lane.failCount = 0;
    lane.delaySeconds = 1;
    if (how === "delivered") {
      bot.counters.updatesDeliveredByWebhook++;
      const events = this.#telegram.events;
      if (events.listenerCount("delivered") > 0) {
        events.emit("delivered", {
          botId: bot.id,
          updateIds: [item.update.update_id],
          via: "webhook",
          atMs: monotonicMs(),
        });
      }
    } else {
      this.#telegram.noteExpired(bot, item);
    }
    if (lane.items.length > 0) this.#ready.push(lane.key);
    else this.#lanes.delete(lane.key);
  }

  /** WebhookActor::on_update_error: schedule the head again, or drop it past its expiry. */
  #retryHead(lane: Lane, failure: PostFailure): void {
    const bot = this.#bot;
    const item = lane.items[0]!;
    bot.counters.webhookFailures++;
    bot.lastWebhookError = { dateSec: bot.nowSec(), message: failure.message };
    const retryAfter = Math.min(
      Math.max(failure.retryAfterSeconds, 0),
      TELEGRAM_LIMITS.webhookRetryAfterMaxSeconds,
    );
    let delaySeconds = retryAfter;
    if (retryAfter === 0 && lane.failCount > 0) {
      const capSeconds =
        randomBetween(TELEGRAM_LIMITS.webhookRetryCapMinMs, TELEGRAM_LIMITS.webhookRetryCapMaxMs) / 1000;
      lane.delaySeconds = Math.min(capSeconds, lane.delaySeconds * 2);
      delaySeconds = lane.delaySeconds;
    }
    const events = this.#telegram.events;
    if (bot.nowSec() + delaySeconds > item.expiresAtSec) {
      if (events.listenerCount("webhookFailure") > 0) {
        const payload = { botId: bot.id, updateId: item.update.update_id, error: failure.message };
        events.emit("webhookFailure", { ...payload, retryInMs: undefined, atMs: monotonicMs() });
      }
      this.#finishHead(lane, "expired");
      return;
    }
    lane.failCount++;
    const retryInMs = delaySeconds * 1000 * this.#telegram.options.webhookRetryTimeScale;
    if (events.listenerCount("webhookFailure") > 0) {
      const payload = { botId: bot.id, updateId: item.update.update_id, error: failure.message };
      events.emit("webhookFailure", { ...payload, retryInMs, atMs: monotonicMs() });
    }
    lane.retryTimer = setTimeout(() => {
      lane.retryTimer = undefined;
      if (this.#closed) return;
      this.#ready.push(lane.key);
      this.#pump();
    }, retryInMs);
  }
}

const connectionClosed = (error: unknown): string =>
  `Webhook connection closed (${(error as Error)?.message ?? error})`;

const randomBetween = (min: number, max: number): number => min + Math.random() * (max - min);
