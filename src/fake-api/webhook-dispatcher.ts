import { connect } from "node:net";
import { type Dispatcher, Pool } from "undici";
import type { BotState, WebhookConfig } from "./bot-state.ts";
import { monotonicMs } from "./clock.ts";
import { countTraffic } from "./counted.ts";
import type { FakeTelegram } from "./fake-telegram.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import { Params } from "./params.ts";
import type { QueuedUpdate } from "./update-queue.ts";
import { allowedInWebhookReply, parseWebhookReply } from "./webhook-reply.ts";

/** The abort reason of a POST that ran past `webhookDeliveryTimeoutMs`. */
const DELIVERY_TIMED_OUT = Symbol("webhook delivery timed out");
/** Delivery timeouts shorter than this get an exact per-request timer (see #post). */
const EXACT_TIMEOUT_BELOW_MS = 5_000;

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
 * - POST with `Content-Type: application/json` exactly and the secret header;
 * - a keep-alive pool of at most `max_connections`, one request per connection at a time;
 * - updates of one chat strictly one after another, different chats in parallel;
 * - success = any 2xx; failure = other status, closed connection, or no answer in time;
 * - retries: the first at once, then 2, 4, 8 … s capped at a random 60–120 s (scaled by
 *   `webhookRetryTimeScale`), `Retry-After` honoured (0–3600 s); an update whose next attempt
 *   would fall after its expiry is dropped;
 * - a 2xx body with a `method` is executed as an API call (a webhook reply).
 */
export class WebhookDispatcher {
  readonly #telegram: FakeTelegram;
  readonly #bot: BotState;
  readonly #config: WebhookConfig;
  readonly #url: URL;
  readonly #path: string;
  readonly #pool: Pool;
  /** One controller per POST in flight: aborted by its delivery timeout or by close(). */
  readonly #requests = new Set<AbortController>();
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
    this.#pool = new Pool(this.#url.origin, {
      connections: config.maxConnections,
      pipelining: 1,
      headersTimeout: telegram.options.webhookDeliveryTimeoutMs,
      bodyTimeout: telegram.options.webhookDeliveryTimeoutMs,
    });
    this.#pool.on("connect", () => {
      bot.counters.webhookConnectionsOpened++;
    });
    this.#headers = { "content-type": "application/json", "accept-encoding": "gzip, deflate" };
    if (config.secretToken !== "") this.#headers["x-telegram-bot-api-secret-token"] = config.secretToken;
    if (this.#url.username !== "") {
      const credentials = `${decodeURIComponent(this.#url.username)}:${decodeURIComponent(this.#url.password)}`;
      this.#headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
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
    for (const request of this.#requests) request.abort();
    await this.#pool.destroy().catch(() => {});
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
    const failure = await this.#post(item);
    this.#inFlight--;
    lane.busy = false;
    if (this.#closed) return;
    if (failure === null) this.#finishHead(lane, "delivered");
    else this.#retryHead(lane, failure);
    this.#pump();
  }

  /** One POST; resolves with null on a 2xx (after running any webhook reply) or the failure. */
  async #post(item: QueuedUpdate): Promise<DeliveryFailure | null> {
    // undici's own headersTimeout/bodyTimeout tick at 0.5–1 s granularity: fine for Telegram's
    // 60 s, but a 200 ms test timeout would fire after up to a second. Short timeouts get an exact
    // per-request timer; long ones skip its cost (an AbortController and a timer per POST).
    const timeoutMs = this.#telegram.options.webhookDeliveryTimeoutMs;
    const request = timeoutMs < EXACT_TIMEOUT_BELOW_MS ? new AbortController() : undefined;
    const timer =
      request === undefined ? undefined : setTimeout(() => request.abort(DELIVERY_TIMED_OUT), timeoutMs);
    if (request !== undefined) this.#requests.add(request);
    let response: Dispatcher.ResponseData;
    let body: Buffer;
    const payload = JSON.stringify(item.update);
    countTraffic(this.#telegram.events, this.#bot, "webhookBytesOut", Buffer.byteLength(payload));
    try {
      response = await this.#pool.request({
        path: this.#path,
        method: "POST",
        headers: this.#headers,
        body: payload,
        ...(request === undefined ? {} : { signal: request.signal }),
      });
      body = Buffer.from(await response.body.arrayBuffer());
      countTraffic(this.#telegram.events, this.#bot, "webhookBytesIn", body.length);
    } catch (error: unknown) {
      const timedOut = request?.signal.reason === DELIVERY_TIMED_OUT;
      return {
        message: timedOut ? "Read timeout expired" : describeNetworkError(error),
        retryAfterSeconds: 0,
      };
    } finally {
      if (request !== undefined) {
        clearTimeout(timer);
        this.#requests.delete(request);
      }
    }
    if (response.statusCode >= 200 && response.statusCode <= 299) {
      if (!this.#closed) await this.#runReply(response.headers, body);
      return null;
    }
    const retryAfter = Number(response.headers["retry-after"] ?? 0);
    return {
      // telegram-bot-api quotes the reason phrase the webhook sent, whatever it is.
      message: `Wrong response from the webhook: ${response.statusCode} ${response.statusText}`,
      retryAfterSeconds: Number.isFinite(retryAfter) ? Math.trunc(retryAfter) : 0,
    };
  }

  async #runReply(headers: Record<string, string | string[] | undefined>, body: Buffer): Promise<void> {
    const parsed = await parseWebhookReply(headers, body);
    if (parsed === undefined) return;
    const params = new Params(undefined, parsed);
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

/** The outcome of setWebhook's probe: the address it connected to, or why it could not. */
export type ProbeResult = { ok: true; ipAddress: string } | { ok: false; reason: string };

/**
 * setWebhook's check: one TCP connection to the URL's host and port. Resolves with the IP address
 * it connected to (what getWebhookInfo reports as `ip_address`, also for a host name), or the
 * reason as telegram-bot-api words it.
 */
export function probeWebhook(url: URL, timeoutMs: number): Promise<ProbeResult> {
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => finish({ ok: false, reason: "Connection timed out" }), timeoutMs);
    function finish(result: ProbeResult) {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once("connect", () => finish({ ok: true, ipAddress: socket.remoteAddress ?? host }));
    socket.once("error", (error) => finish({ ok: false, reason: describeNetworkError(error) }));
  });
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case "ECONNREFUSED":
      return "Connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "Failed to resolve host: Name or service not known";
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
    case "ETIMEDOUT":
      return "Read timeout expired";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return "Webhook connection closed";
    default:
      return `Webhook connection closed${code === undefined ? "" : ` (${code})`}`;
  }
}

const randomBetween = (min: number, max: number): number => min + Math.random() * (max - min);
