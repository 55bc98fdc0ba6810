import type { IncomingHttpHeaders } from "node:http";
import { buildConnector, type Dispatcher, Pool } from "undici";
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
import { describeNetworkError } from "./webhook-probe.ts";
import { allowedInWebhookReply, drainErrorBody, readWebhookReply } from "./webhook-reply.ts";

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
interface DeliveryFailure {
  message: string;
  retryAfterSeconds: number;
}

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
      if (lane !== undefined && !lane.busy && lane.items.length > 0) void this.#deliver(lane);
    }
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
  }

  async #deliver(lane: Lane): Promise<void> {
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
    let failure: DeliveryFailure | null;
    try {
      failure = await this.#post(item);
    } catch (error: unknown) {
      // #post turns every outcome into data; this is the net under it, so that nothing can ever
      // escape the delivery loop as an unhandled rejection.
      failure = {
        message: `Webhook connection closed (${(error as Error)?.message ?? error})`,
        retryAfterSeconds: 0,
      };
    }
    this.#inFlight--;
    lane.busy = false;
    if (this.#closed) return;
    if (failure === null) this.#finishHead(lane, "delivered");
    else this.#retryHead(lane, failure);
    this.#pump();
  }

  /** One POST; resolves with null on a 2xx (after running any webhook reply) or the failure. */
  async #post(item: QueuedUpdate): Promise<DeliveryFailure | null> {
    const request = this.#timeouts.start();
    const payload = JSON.stringify(item.update);
    this.#bot.counters.webhookBodyBytesOut += Buffer.byteLength(payload);
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await this.#pool.request({
          path: this.#path,
          method: "POST",
          headers: this.#headers,
          body: payload,
          signal: request.signal,
        });
      } catch (error: unknown) {
        return {
          message: request.timedOut ? "Read timeout expired" : describeNetworkError(error),
          retryAfterSeconds: 0,
        };
      }
      const onBodyBytes = (bytes: number) => {
        this.#bot.counters.webhookBodyBytesIn += bytes;
      };
      if (response.statusCode < 200 || response.statusCode > 299) {
        await drainErrorBody(response.body, onBodyBytes);
        const retryAfter = Number(response.headers["retry-after"] ?? 0);
        return {
          // telegram-bot-api quotes the reason phrase the webhook sent, whatever it is.
          message: `Wrong response from the webhook: ${response.statusCode} ${response.statusText}`,
          retryAfterSeconds: Number.isFinite(retryAfter) ? Math.trunc(retryAfter) : 0,
        };
      }
      const reply = await readWebhookReply(
        response.headers as IncomingHttpHeaders,
        response.body,
        this.#telegram.options.bodyLimitBytes,
        onBodyBytes,
      );
      if (!reply.ok) {
        return {
          message: request.timedOut ? "Read timeout expired" : reply.message,
          retryAfterSeconds: 0,
        };
      }
      if (reply.body !== undefined && !this.#closed) await this.#runReply(reply.body);
      return null;
    } finally {
      this.#timeouts.finish(request);
      // Someone times traffic by when it happened (the trial recorder): hand this POST's socket
      // bytes over now, not lazily when the counters are next read.
      if (this.#telegram.events.listenerCount("counted") > 0) this.#meter.countAll();
    }
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
  #retryHead(lane: Lane, failure: DeliveryFailure): void {
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

const randomBetween = (min: number, max: number): number => min + Math.random() * (max - min);
