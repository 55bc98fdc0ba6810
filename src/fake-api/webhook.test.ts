/**
 * Webhook behaviour of the fake API over real sockets (shared/reference/telegram-api.md §2):
 * setWebhook validation and descriptions, getWebhookInfo fields, 409s against getUpdates, the
 * delivery request, per-chat ordering, max_connections, retries, webhook replies, deleteWebhook,
 * drop_pending_updates and expiry. Each test uses its own bot token, because setWebhook with a URL
 * is limited to once a second per bot and 409s closer than 3 s apart are delayed.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, type TestContext, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  FakeApi,
  type FakeApiEventMap,
  type FakeApiOptions,
  ManualClock,
  startFakeApi,
  type Update,
  type WebhookInfo,
} from "./index.ts";

// ---------------------------------------------------------------------------------------------
// Helpers: a receiver standing in for the bot's webhook, API calls over sockets, bounded waits.

/** One POST the receiver got. */
interface Delivery {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  update: Update;
  atMs: number;
  /** 1 for the first POST of this update_id, 2 for its first retry … */
  attempt: number;
}

/** How the receiver answers one POST; it must end (or destroy) `res` eventually, or never. */
type Respond = (delivery: Delivery, res: ServerResponse) => void;

const answer200: Respond = (_delivery, res) => res.end();

/** A tiny node:http server on 127.0.0.1:0 that records every delivery and answers via `respond`. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  respond: Respond;
  inFlight = 0;
  maxInFlight = 0;
  readonly #attempts = new Map<number, number>();
  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const update = JSON.parse(rawBody) as Update;
      const attempt = (this.#attempts.get(update.update_id) ?? 0) + 1;
      this.#attempts.set(update.update_id, attempt);
      const delivery: Delivery = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        update,
        atMs: performance.now(),
        attempt,
      };
      this.deliveries.push(delivery);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.once("close", () => this.inFlight--);
      this.respond(delivery, res);
    });
  });

  private constructor(respond: Respond) {
    this.respond = respond;
  }

  /** Starts a receiver and closes it (and every connection to it) when the test ends. */
  static async start(t: TestContext | undefined, respond: Respond = answer200): Promise<Receiver> {
    const receiver = new Receiver(respond);
    await new Promise<void>((resolve) => receiver.#server.listen(0, "127.0.0.1", resolve));
    if (t !== undefined) t.after(() => receiver.close());
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  /** Deliveries of one update, in arrival order. */
  attemptsOf(updateId: number): Delivery[] {
    return this.deliveries.filter((d) => d.update.update_id === updateId);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

interface Envelope {
  ok: boolean;
  result?: unknown;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

/** A Bot API call over a real socket (JSON body). */
async function call(api: FakeApi, token: string, method: string, params: Record<string, unknown> = {}) {
  const response = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Envelope };
}

/** setWebhook that must succeed. */
async function setWebhook(api: FakeApi, token: string, params: Record<string, unknown>): Promise<void> {
  const { body } = await call(api, token, "setWebhook", params);
  assert.equal(body.ok, true, `setWebhook failed: ${body.description}`);
}

/** Polls `condition` every 5 ms; fails after `timeoutMs`. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadlineMs = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadlineMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Records events of one kind for the rest of the test. */
function record<K extends keyof FakeApiEventMap>(api: FakeApi, name: K): FakeApiEventMap[K][0][] {
  const seen: FakeApiEventMap[K][0][] = [];
  const listener = (payload: FakeApiEventMap[K][0]) => seen.push(payload);
  api.events.on(name, listener as never);
  return seen;
}

/** A fresh, well-formed token per call: setWebhook limits and 409 spacing are per bot. */
const nextToken = (() => {
  let botId = 7_000_000;
  return () => `${botId++}:webhook-test`;
})();

/** A user writes `text` in their private chat (chat id = user id). */
const inject = (api: FakeApi, token: string, chatId: number, text = "hi"): Update =>
  api.control.injectText(token, { text, from: { id: chatId }, chat: { id: chatId } })!;

/** Starts a fake API that is closed when the test ends. */
async function apiFor(t: TestContext, options: FakeApiOptions = {}): Promise<FakeApi> {
  const api = await startFakeApi({ webhookRetryTimeScale: 0.01, webhookDeliveryTimeoutMs: 300, ...options });
  t.after(() => api.close());
  return api;
}

/** A port on 127.0.0.1 nobody listens on (bound by the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------

describe("setWebhook", () => {
  let api: FakeApi;
  let receiver: Receiver;
  before(async () => {
    api = await startFakeApi({ webhookProbeTimeoutMs: 500 });
    receiver = await Receiver.start(undefined);
  });
  after(async () => {
    await api.close();
    await receiver.close();
  });

  const invalid = [
    {
      name: "a URL that does not parse",
      url: () => "not a url",
      description: "invalid webhook URL specified",
    },
    {
      name: "a non-HTTP scheme",
      url: () => "ftp://127.0.0.1/hook",
      description: "invalid webhook URL specified",
    },
    {
      name: "a secret token over 256 characters",
      url: () => receiver.url,
      secret_token: "a".repeat(257),
      description: "secret token is too long",
    },
    {
      name: "a secret token with characters outside A-Za-z0-9_-",
      url: () => receiver.url,
      secret_token: "no spaces!",
      description: "secret token contains unallowed characters",
    },
  ];
  for (const c of invalid) {
    test(`rejects ${c.name} with 400 "Bad Request: ${c.description}"`, async () => {
      const token = nextToken();
      const params: Record<string, unknown> = { url: c.url() };
      if (c.secret_token !== undefined) params.secret_token = c.secret_token;
      const { status, body } = await call(api, token, "setWebhook", params);
      assert.equal(status, 400);
      assert.deepEqual(body, { ok: false, error_code: 400, description: `Bad Request: ${c.description}` });
      assert.equal(api.control.webhookInfo(token).url, "");
      assert.equal(receiver.deliveries.length, 0);
    });
  }

  test("accepts a secret token of exactly 256 allowed characters", async () => {
    const { body } = await call(api, nextToken(), "setWebhook", {
      url: receiver.url,
      secret_token: `${"A-z_9".repeat(51)}x`,
    });
    assert.equal(body.ok, true, body.description);
  });

  // 10.255.255.1 is not routable and 192.0.2.1 is TEST-NET: a connection attempt would end in a
  // timeout or network error, never in the loopback refusal, so these also prove no probe was made.
  for (const url of ["http://example.com/hook", "http://10.255.255.1/hook", "https://192.0.2.1:8443/"]) {
    test(`refuses the non-loopback ${url} without connecting`, async () => {
      const token = nextToken();
      const startedMs = performance.now();
      const { status, body } = await call(api, token, "setWebhook", { url });
      assert.equal(status, 400);
      assert.equal(body.error_code, 400);
      assert.match(body.description ?? "", /^Bad Request: bad webhook: .*loopback/);
      assert.ok(performance.now() - startedMs < 400, "answered before any probe could time out");
      assert.equal(api.control.webhookInfo(token).url, "");
    });
  }

  test("answers 400 'bad webhook: Connection refused' when nothing listens on the port", async () => {
    const token = nextToken();
    const url = `http://127.0.0.1:${await closedPort()}/hook`;
    const { status, body } = await call(api, token, "setWebhook", { url });
    assert.equal(status, 400);
    assert.deepEqual(body, {
      ok: false,
      error_code: 400,
      description: "Bad Request: bad webhook: Connection refused",
    });
    assert.equal(api.control.webhookInfo(token).url, "");
  });

  test("sets, rate-limits, reports 'already set', deletes and reports 'already deleted'", async () => {
    const token = nextToken();
    const set = await call(api, token, "setWebhook", { url: receiver.url });
    assert.deepEqual(set.body, { ok: true, result: true, description: "Webhook was set" });

    const tooSoon = await call(api, token, "setWebhook", { url: receiver.url });
    assert.equal(tooSoon.status, 429);
    assert.equal(tooSoon.headers.get("retry-after"), "1");
    assert.deepEqual(tooSoon.body, {
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });

    // The limit is one setWebhook with a URL per second; deleting is not limited.
    await sleep(1_000);
    const again = await call(api, token, "setWebhook", { url: receiver.url });
    assert.deepEqual(again.body, { ok: true, result: true, description: "Webhook is already set" });

    const deleted = await call(api, token, "deleteWebhook");
    assert.deepEqual(deleted.body, { ok: true, result: true, description: "Webhook was deleted" });
    const deletedAgain = await call(api, token, "deleteWebhook");
    assert.deepEqual(deletedAgain.body, {
      ok: true,
      result: true,
      description: "Webhook is already deleted",
    });
    const emptyUrl = await call(api, token, "setWebhook", { url: "" });
    assert.deepEqual(emptyUrl.body, { ok: true, result: true, description: "Webhook is already deleted" });
  });

  test("setWebhook with an empty url deletes a webhook that is set", async () => {
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const { body } = await call(api, token, "setWebhook", { url: "" });
    assert.deepEqual(body, { ok: true, result: true, description: "Webhook was deleted" });
    assert.equal(api.control.webhookInfo(token).url, "");
  });

  const clamps = [
    { given: undefined, expected: 40 },
    { given: 0, expected: 1 },
    { given: 1, expected: 1 },
    { given: 7, expected: 7 },
    { given: 100, expected: 100 },
    { given: 500, expected: 100 },
  ];
  for (const { given, expected } of clamps) {
    test(`max_connections ${given ?? "omitted"} becomes ${expected}`, async () => {
      const token = nextToken();
      await setWebhook(
        api,
        token,
        given === undefined ? { url: receiver.url } : { url: receiver.url, max_connections: given },
      );
      assert.equal(api.control.webhookInfo(token).max_connections, expected);
    });
  }
});

describe("getWebhookInfo", () => {
  let api: FakeApi;
  let receiver: Receiver;
  const clock = new ManualClock();
  before(async () => {
    api = await startFakeApi({ clock, webhookRetryTimeScale: 0.01 });
    // Every delivery fails with a Retry-After far in the future, so updates stay pending.
    receiver = await Receiver.start(undefined, (_d, res) => {
      res.writeHead(500, { "retry-after": "3600" }).end();
    });
  });
  after(async () => {
    await api.close();
    await receiver.close();
  });

  const info = async (token: string) => (await call(api, token, "getWebhookInfo")).body.result as WebhookInfo;

  test("a polling bot gets exactly url, has_custom_certificate and pending_update_count", async () => {
    const token = nextToken();
    inject(api, token, 11);
    inject(api, token, 12);
    assert.deepEqual(await info(token), { url: "", has_custom_certificate: false, pending_update_count: 2 });
  });

  test("a bot with a webhook also gets ip_address and max_connections", async () => {
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url, max_connections: 3 });
    assert.deepEqual(await info(token), {
      url: receiver.url,
      has_custom_certificate: false,
      pending_update_count: 0,
      ip_address: "127.0.0.1",
      max_connections: 3,
    });
  });

  test("ip_address is the address connected to, also for a localhost URL", async () => {
    const token = nextToken();
    const url = receiver.url.replace("127.0.0.1", "localhost");
    const { body } = await call(api, token, "setWebhook", { url });
    // localhost may resolve to ::1 first; the receiver listens on 127.0.0.1 only.
    if (!body.ok) return assert.match(body.description ?? "", /Connection refused/);
    assert.match((await info(token)).ip_address ?? "", /^(127\.0\.0\.1|::1)$/);
  });

  test("after a failed delivery it also gets last_error_date and last_error_message", async () => {
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    inject(api, token, 21);
    await waitFor(() => api.control.counters(token).webhookFailures === 1, "the first failure");
    assert.deepEqual(await info(token), {
      url: receiver.url,
      has_custom_certificate: false,
      pending_update_count: 1,
      ip_address: "127.0.0.1",
      max_connections: 40,
      last_error_date: Math.floor(clock.nowMs() / 1000),
      last_error_message: "Wrong response from the webhook: 500 Internal Server Error",
    });
  });

  const allowed = [
    { given: ["message", "callback_query"], reported: ["message", "callback_query"] },
    { given: [], reported: undefined },
    { given: undefined, reported: undefined },
  ];
  for (const { given, reported } of allowed) {
    test(`allowed_updates ${JSON.stringify(given)} is ${reported === undefined ? "not reported" : "reported"}`, async () => {
      const token = nextToken();
      await setWebhook(
        api,
        token,
        given === undefined ? { url: receiver.url } : { url: receiver.url, allowed_updates: given },
      );
      const result = await info(token);
      assert.deepEqual(result.allowed_updates, reported);
      assert.equal("allowed_updates" in result, reported !== undefined);
    });
  }
});

describe("getUpdates against a webhook", () => {
  test("a parked long poll is answered 409 'terminated by setWebhook request'", async (t) => {
    const api = await apiFor(t);
    const receiver = await Receiver.start(t);
    const token = nextToken();
    const poll = call(api, token, "getUpdates", { timeout: 5 });
    const bot = api.telegram.bot(token);
    await waitFor(() => bot.poller.isParked, "the long poll to park");
    const startedMs = performance.now();
    await setWebhook(api, token, { url: receiver.url });
    const { status, body } = await poll;
    assert.ok(performance.now() - startedMs < 1_000, "the poll was answered at once, not at its timeout");
    assert.equal(status, 409);
    assert.deepEqual(body, {
      ok: false,
      error_code: 409,
      description: "Conflict: terminated by setWebhook request",
    });
  });

  test("getUpdates while a webhook is set is answered 409 'can't use getUpdates method while webhook is active'", async (t) => {
    const api = await apiFor(t);
    const receiver = await Receiver.start(t);
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const { status, body } = await call(api, token, "getUpdates", { timeout: 1 });
    assert.equal(status, 409);
    assert.deepEqual(body, {
      ok: false,
      error_code: 409,
      description:
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
  });
});

describe("webhook delivery", () => {
  for (const secret of ["s3cret_TOKEN-1", undefined]) {
    test(`POSTs the update as application/json ${secret === undefined ? "without a secret header" : "with the secret header"}`, async (t) => {
      const api = await apiFor(t);
      const receiver = await Receiver.start(t);
      const token = nextToken();
      await setWebhook(
        api,
        token,
        secret === undefined ? { url: receiver.url } : { url: receiver.url, secret_token: secret },
      );
      const update = inject(api, token, 31, "hello");
      await waitFor(() => receiver.deliveries.length === 1, "the delivery");
      const [delivery] = receiver.deliveries;
      assert.equal(delivery!.method, "POST");
      assert.equal(delivery!.path, "/hook");
      assert.equal(delivery!.headers["content-type"], "application/json");
      assert.equal(delivery!.headers["x-telegram-bot-api-secret-token"], secret);
      assert.equal(Number(delivery!.headers["content-length"]), Buffer.byteLength(delivery!.rawBody));
      assert.deepEqual(delivery!.update, JSON.parse(JSON.stringify(update)));
      await waitFor(
        () => api.control.counters(token).updatesDeliveredByWebhook === 1,
        "the delivery to count",
      );
      assert.equal(api.control.webhookInfo(token).pending_update_count, 0);
    });
  }

  test("updates queued while polling are delivered once the webhook is set", async (t) => {
    const api = await apiFor(t);
    const receiver = await Receiver.start(t);
    const token = nextToken();
    const queued = [inject(api, token, 41), inject(api, token, 41)];
    await setWebhook(api, token, { url: receiver.url });
    await waitFor(() => receiver.deliveries.length === 2, "both deliveries");
    assert.deepEqual(
      receiver.deliveries.map((d) => d.update.update_id),
      queued.map((u) => u.update_id),
    );
  });

  test("one chat's updates go one at a time and in order while different chats go in parallel", async (t) => {
    const api = await apiFor(t);
    const chats = [101, 102, 103];
    const inFlightByChat = new Map<number, number>();
    const maxInFlightByChat = new Map<number, number>();
    const receiver = await Receiver.start(t, (delivery, res) => {
      const chatId = delivery.update.message!.chat.id;
      const now = (inFlightByChat.get(chatId) ?? 0) + 1;
      inFlightByChat.set(chatId, now);
      maxInFlightByChat.set(chatId, Math.max(maxInFlightByChat.get(chatId) ?? 0, now));
      setTimeout(() => {
        inFlightByChat.set(chatId, inFlightByChat.get(chatId)! - 1);
        res.end();
      }, 30);
    });
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const sent = new Map<number, number[]>(chats.map((c) => [c, []]));
    for (let i = 0; i < 5; i++) {
      for (const chatId of chats) sent.get(chatId)!.push(inject(api, token, chatId, `m${i}`).update_id);
    }
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 15, "15 deliveries");

    for (const chatId of chats) {
      assert.equal(maxInFlightByChat.get(chatId), 1, `chat ${chatId} had overlapping deliveries`);
      const arrived = receiver.deliveries
        .filter((d) => d.update.message!.chat.id === chatId)
        .map((d) => d.update.update_id);
      assert.deepEqual(arrived, sent.get(chatId), `chat ${chatId} order`);
    }
    assert.ok(receiver.maxInFlight > 1, `max concurrency ${receiver.maxInFlight} shows no parallelism`);
    assert.ok(receiver.maxInFlight <= chats.length);
  });

  test("max_connections bounds both concurrent requests and sockets", async (t) => {
    const api = await apiFor(t);
    const receiver = await Receiver.start(t, (_d, res) => setTimeout(() => res.end(), 30));
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url, max_connections: 2 });
    for (let round = 0; round < 2; round++)
      for (let chatId = 201; chatId <= 206; chatId++) inject(api, token, chatId);
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 12, "12 deliveries");
    assert.equal(receiver.maxInFlight, 2);
    const opened = api.control.counters(token).webhookConnectionsOpened;
    assert.ok(opened >= 1 && opened <= 2, `opened ${opened} connections`);
  });
});

describe("webhook retries", () => {
  test("a 500 twice then 200 is delivered once: first retry at once, the second after 2 s × scale", async (t) => {
    const scale = 0.02;
    const api = await apiFor(t, { webhookRetryTimeScale: scale });
    const receiver = await Receiver.start(t, (delivery, res) => {
      res.statusCode = delivery.attempt <= 2 ? 500 : 200;
      res.end();
    });
    const failures = record(api, "webhookFailure");
    const delivered = record(api, "delivered");
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const { update_id } = inject(api, token, 301);
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 1, "the delivery");

    const attempts = receiver.attemptsOf(update_id);
    assert.equal(attempts.length, 3);
    assert.deepEqual(
      failures.map((f) => f.retryInMs),
      [0, 2_000 * scale],
    );
    const secondGapMs = attempts[2]!.atMs - attempts[1]!.atMs;
    assert.ok(secondGapMs >= 2_000 * scale - 2, `second retry came after ${secondGapMs} ms`);
    assert.equal(delivered.filter((d) => d.updateIds.includes(update_id)).length, 1);
    const counters = api.control.counters(token);
    assert.equal(counters.webhookAttempts, 3);
    assert.equal(counters.webhookRetries, 2);
    assert.equal(counters.webhookFailures, 2);
    assert.equal(counters.updatesDeliveredByWebhook, 1);
    assert.equal(
      api.control.webhookInfo(token).last_error_message,
      "Wrong response from the webhook: 500 Internal Server Error",
    );
  });

  test("the backoff doubles after the immediate first retry: 0, 2, 4, 8 s × scale", async (t) => {
    const scale = 0.005;
    const api = await apiFor(t, { webhookRetryTimeScale: scale });
    const receiver = await Receiver.start(t, (delivery, res) => {
      res.statusCode = delivery.attempt <= 4 ? 503 : 200;
      res.end();
    });
    const failures = record(api, "webhookFailure");
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    inject(api, token, 302);
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 1, "the delivery");
    assert.deepEqual(
      failures.map((f) => [f.error, f.retryInMs]),
      [0, 2_000, 4_000, 8_000].map((ms) => [
        "Wrong response from the webhook: 503 Service Unavailable",
        ms * scale,
      ]),
    );
  });

  const retryAfters = [
    { header: "1", expectedSeconds: 1 },
    { header: "0", expectedSeconds: 0 },
    { header: "99999", expectedSeconds: 3_600 },
  ];
  for (const { header, expectedSeconds } of retryAfters) {
    test(`a Retry-After: ${header} header sets the retry delay to ${expectedSeconds} s × scale`, async (t) => {
      const scale = 0.01;
      const api = await apiFor(t, { webhookRetryTimeScale: scale });
      const receiver = await Receiver.start(t, (delivery, res) => {
        if (delivery.attempt === 1) res.writeHead(429, { "retry-after": header });
        res.end();
      });
      const failures = record(api, "webhookFailure");
      const token = nextToken();
      await setWebhook(api, token, { url: receiver.url });
      const { update_id } = inject(api, token, 303);
      await waitFor(() => failures.length === 1, "the failure");
      assert.equal(failures[0]!.retryInMs, expectedSeconds * 1_000 * scale);
      assert.equal(failures[0]!.error, "Wrong response from the webhook: 429 Too Many Requests");
      if (expectedSeconds > 1) return; // 36 s at this scale: seeing the schedule is enough.
      await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 1, "the retry");
      const [first, second] = receiver.attemptsOf(update_id);
      const gapMs = second!.atMs - first!.atMs;
      assert.ok(gapMs >= expectedSeconds * 1_000 * scale - 2, `retried after ${gapMs} ms`);
    });
  }

  const failureKinds: { name: string; respond: Respond; message: string }[] = [
    {
      name: "a 500",
      respond: (_d, res) => res.writeHead(500).end(),
      message: "Wrong response from the webhook: 500 Internal Server Error",
    },
    {
      name: "a 404",
      respond: (_d, res) => res.writeHead(404).end("nope"),
      message: "Wrong response from the webhook: 404 Not Found",
    },
    {
      name: "a 302 redirect",
      respond: (_d, res) => res.writeHead(302, { location: "/elsewhere" }).end(),
      message: "Wrong response from the webhook: 302 Found",
    },
    {
      name: "a 500 with its own reason phrase",
      respond: (_d, res) => res.writeHead(500, "Kaputt").end(),
      message: "Wrong response from the webhook: 500 Kaputt",
    },
    { name: "no answer within webhookDeliveryTimeoutMs", respond: () => {}, message: "Read timeout expired" },
    {
      name: "headers sent but the body never finished",
      respond: (_d, res) => {
        res.writeHead(200, { "content-length": "100" });
        res.write("partial");
      },
      message: "Read timeout expired",
    },
    {
      name: "a destroyed socket",
      respond: (_d, res) => res.socket?.destroy(),
      message: "Webhook connection closed",
    },
  ];
  for (const kind of failureKinds) {
    test(`${kind.name} is a failure reported as "${kind.message}"`, async (t) => {
      const api = await apiFor(t, { webhookDeliveryTimeoutMs: 200, webhookRetryTimeScale: 1 });
      const receiver = await Receiver.start(t, kind.respond);
      const failures = record(api, "webhookFailure");
      const token = nextToken();
      await setWebhook(api, token, { url: receiver.url });
      inject(api, token, 304);
      // The first retry is immediate, so wait for two failures: both must say the same.
      await waitFor(() => failures.length >= 2, "two failures");
      assert.deepEqual(
        failures.slice(0, 2).map((f) => f.error),
        [kind.message, kind.message],
      );
      assert.equal(api.control.webhookInfo(token).last_error_message, kind.message);
      assert.equal(api.control.counters(token).updatesDeliveredByWebhook, 0);
      assert.equal(api.control.webhookInfo(token).pending_update_count, 1);
    });
  }

  test("webhookDeliveryTimeoutMs is kept to within a few timer ticks, not undici's 1 s granularity", async (t) => {
    const timeoutMs = 150;
    const api = await apiFor(t, { webhookDeliveryTimeoutMs: timeoutMs, webhookRetryTimeScale: 1 });
    const receiver = await Receiver.start(t, () => {});
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const attempts = record(api, "webhookAttempt");
    const failures = record(api, "webhookFailure");
    inject(api, token, 305);
    await waitFor(() => failures.length === 1, "the timeout");
    const elapsedMs = failures[0]!.atMs - attempts[0]!.atMs;
    assert.ok(elapsedMs >= timeoutMs - 2, `timed out after ${elapsedMs} ms`);
    assert.ok(elapsedMs < timeoutMs + 250, `timed out after ${elapsedMs} ms`);
  });

  test("a failing chat does not hold up other chats", async (t) => {
    const api = await apiFor(t, { webhookRetryTimeScale: 1 });
    const failingChat = 401;
    const receiver = await Receiver.start(t, (delivery, res) => {
      res.statusCode = delivery.update.message!.chat.id === failingChat ? 500 : 200;
      res.end();
    });
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url, max_connections: 1 });
    inject(api, token, failingChat);
    const others = [402, 403, 402, 403, 404].map((chatId) => inject(api, token, chatId).update_id);
    await waitFor(
      () => api.control.counters(token).updatesDeliveredByWebhook === others.length,
      "the other chats",
    );
    const delivered = receiver.deliveries.filter((d) => d.update.message!.chat.id !== failingChat);
    assert.deepEqual(delivered.map((d) => d.update.update_id).sort(), [...others].sort());
    assert.equal(api.control.webhookInfo(token).pending_update_count, 1);
  });
});

describe("webhook replies", () => {
  const chatId = 501;
  const replies: { name: string; respond: Respond }[] = [
    {
      name: "an application/json body",
      respond: (_d, res) =>
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ method: "sendMessage", chat_id: chatId, text: "pong" })),
    },
    {
      name: "an application/x-www-form-urlencoded body",
      respond: (_d, res) =>
        res
          .writeHead(200, { "content-type": "application/x-www-form-urlencoded" })
          .end(
            new URLSearchParams({ method: "sendMessage", chat_id: String(chatId), text: "pong" }).toString(),
          ),
    },
    {
      name: "a multipart/form-data body",
      respond: (_d, res) => {
        const form = new FormData();
        form.append("method", "sendMessage");
        form.append("chat_id", String(chatId));
        form.append("text", "pong");
        const encoded = new Response(form);
        void encoded.arrayBuffer().then((bytes) => {
          res
            .writeHead(200, { "content-type": encoded.headers.get("content-type")! })
            .end(Buffer.from(bytes));
        });
      },
    },
    {
      // aiogram's webhook reply (aiohttp MultipartWriter): a mixed-case boundary, each part with
      // its own Content-Type. The boundary is case-sensitive and must survive parsing as sent.
      name: "a multipart/form-data body with a mixed-case boundary and typed parts (aiogram)",
      respond: (_d, res) => {
        const boundary = "webhookBoundaryAbC-x_Yz09";
        const part = (name: string, value: string) =>
          `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
        res
          .writeHead(200, { "content-type": `multipart/form-data; boundary=${boundary}` })
          .end(
            `${part("method", "sendMessage")}${part("chat_id", String(chatId))}${part("text", "pong")}--${boundary}--\r\n`,
          );
      },
    },
    {
      name: "a JSON body with a mixed-case method name and a 201 status",
      respond: (_d, res) =>
        res
          .writeHead(201, { "content-type": "application/json; charset=utf-8" })
          .end(JSON.stringify({ method: "SENDMESSAGE", chat_id: chatId, text: "pong" })),
    },
  ];
  for (const reply of replies) {
    test(`${reply.name} with a method is executed as a call via webhook-reply`, async (t) => {
      const api = await apiFor(t);
      const receiver = await Receiver.start(t, reply.respond);
      const messages = record(api, "message");
      const token = nextToken();
      await setWebhook(api, token, { url: receiver.url });
      inject(api, token, chatId, "ping");
      await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 1, "the delivery");
      const calls = api.control.calls(token).filter((c) => c.via === "webhook-reply");
      assert.equal(calls.length, 1);
      assert.equal(calls[0]!.method, "sendmessage");
      assert.equal(calls[0]!.status, 200);
      assert.equal(calls[0]!.params.text, "pong");
      const counters = api.control.counters(token);
      assert.equal(counters.messagesSent, 1);
      assert.equal(counters.webhookReplies, 1);
      assert.equal(messages.length, 1);
      assert.equal(messages[0]!.message.text, "pong");
      assert.equal(messages[0]!.message.chat.id, chatId);
    });
  }

  const ignored: { name: string; contentType: string; body: string }[] = [
    { name: "getMe", contentType: "application/json", body: JSON.stringify({ method: "getMe" }) },
    {
      name: "getWebhookInfo",
      contentType: "application/json",
      body: JSON.stringify({ method: "getWebhookInfo" }),
    },
    {
      name: "setWebhook",
      contentType: "application/json",
      body: JSON.stringify({ method: "setWebhook", url: "http://127.0.0.1:1/x" }),
    },
    {
      name: "deleteWebhook",
      contentType: "application/json",
      body: JSON.stringify({ method: "deleteWebhook" }),
    },
    { name: "logOut", contentType: "application/json", body: JSON.stringify({ method: "logOut" }) },
    {
      name: "a body without method",
      contentType: "application/json",
      body: JSON.stringify({ chat_id: chatId, text: "pong" }),
    },
    {
      name: "a text/plain body",
      contentType: "text/plain",
      body: JSON.stringify({ method: "sendMessage", chat_id: chatId, text: "pong" }),
    },
    { name: "malformed JSON", contentType: "application/json", body: '{"method":"sendMessage",' },
    {
      name: "a JSON array",
      contentType: "application/json",
      body: JSON.stringify([{ method: "sendMessage" }]),
    },
  ];
  for (const reply of ignored) {
    test(`a reply with ${reply.name} is ignored and still counts as delivered`, async (t) => {
      const api = await apiFor(t);
      const receiver = await Receiver.start(t, (_d, res) =>
        res.writeHead(200, { "content-type": reply.contentType }).end(reply.body),
      );
      const token = nextToken();
      await setWebhook(api, token, { url: receiver.url });
      inject(api, token, chatId, "ping");
      // The reply runs before the delivery is counted, so nothing can come later.
      await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 1, "the delivery");
      assert.deepEqual(
        api.control.calls(token).filter((c) => c.via === "webhook-reply"),
        [],
      );
      const counters = api.control.counters(token);
      assert.equal(counters.webhookReplies, 0);
      assert.equal(counters.messagesSent, 0);
      assert.equal(api.control.webhookInfo(token).url, receiver.url, "the webhook is still set");
    });
  }

  test("a reply on a failing (non-2xx) response is not executed", async (t) => {
    const api = await apiFor(t, { webhookRetryTimeScale: 1 });
    const receiver = await Receiver.start(t, (_d, res) =>
      res
        .writeHead(500, { "content-type": "application/json", "retry-after": "3600" })
        .end(JSON.stringify({ method: "sendMessage", chat_id: chatId, text: "pong" })),
    );
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    inject(api, token, chatId, "ping");
    await waitFor(() => api.control.counters(token).webhookFailures === 1, "the failure");
    assert.equal(api.control.counters(token).messagesSent, 0);
    assert.equal(receiver.deliveries.length, 1);
  });
});

describe("deleteWebhook and drop_pending_updates", () => {
  test("deleteWebhook stops delivery and leaves undelivered updates for getUpdates", async (t) => {
    const api = await apiFor(t);
    // The receiver holds every request until the webhook is deleted.
    const receiver = await Receiver.start(t, () => {});
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const sent = [inject(api, token, 601), inject(api, token, 601), inject(api, token, 602)].map(
      (u) => u.update_id,
    );
    await waitFor(() => receiver.inFlight === 2, "one request per chat in flight");

    const { body } = await call(api, token, "deleteWebhook");
    assert.deepEqual(body, { ok: true, result: true, description: "Webhook was deleted" });
    const afterDelete = receiver.deliveries.length;
    inject(api, token, 603);
    await sleep(50); // time for a (wrong) POST of the new update to arrive
    const polled = await call(api, token, "getUpdates");
    assert.deepEqual(
      (polled.body.result as Update[]).map((u) => u.update_id),
      [...sent, sent.at(-1)! + 1],
    );
    assert.equal(receiver.deliveries.length, afterDelete, "nothing was POSTed after deleteWebhook");
    assert.equal(api.control.counters(token).updatesDeliveredByWebhook, 0);
  });

  const dropCases = [
    { method: "deleteWebhook", withWebhook: true },
    { method: "deleteWebhook", withWebhook: false },
    { method: "setWebhook", withWebhook: false },
    { method: "setWebhook", withWebhook: true },
  ];
  for (const { method, withWebhook } of dropCases) {
    test(`${method} with drop_pending_updates clears the queue ${withWebhook ? "of a webhook bot" : "of a polling bot"}`, async (t) => {
      const api = await apiFor(t, { webhookRetryTimeScale: 1 });
      // Deliveries fail with a long Retry-After so updates stay queued until dropped.
      const receiver = await Receiver.start(t, (_d, res) =>
        res.writeHead(503, { "retry-after": "3600" }).end(),
      );
      const token = nextToken();
      if (withWebhook) await setWebhook(api, token, { url: receiver.url });
      for (const chatId of [701, 702, 703]) inject(api, token, chatId);
      if (withWebhook)
        await waitFor(() => api.control.counters(token).webhookFailures === 3, "three failures");
      if (method === "setWebhook" && withWebhook) await sleep(1_000); // one setWebhook with a URL per second
      const other = method === "setWebhook" ? { url: `${receiver.url}?v=2` } : {};
      const { body } = await call(api, token, method, { ...other, drop_pending_updates: true });
      assert.equal(body.ok, true, body.description);
      assert.equal(api.control.webhookInfo(token).pending_update_count, 0);
      assert.equal(api.control.counters(token).updatesDropped, 3);
      const deliveriesBefore = receiver.deliveries.length;
      if (method === "setWebhook") {
        // The new webhook delivers new updates only.
        const fresh = inject(api, token, 704);
        await waitFor(() => receiver.deliveries.length > deliveriesBefore, "the new update");
        assert.deepEqual(
          receiver.deliveries.slice(deliveriesBefore).map((d) => d.update.update_id),
          [fresh.update_id],
        );
      } else {
        const polled = await call(api, token, "getUpdates");
        assert.deepEqual(polled.body.result, []);
      }
    });
  }
});

describe("webhook update expiry", () => {
  const expirySeconds = 86_400;
  // The dispatcher drops an update when `now + next delay > expiry`; the clock is moved before
  // the webhook is set, so the first attempt happens at the given age.
  const cases = [
    {
      name: "an update whose Retry-After would end after its expiry is dropped after one attempt",
      ageSeconds: expirySeconds - 59,
      attempts: 1,
      delivered: false,
    },
    {
      name: "an update whose Retry-After ends before its expiry is retried and delivered",
      ageSeconds: expirySeconds - 61,
      attempts: 2,
      delivered: true,
    },
    {
      name: "an update already expired when the webhook is set is dropped unsent",
      ageSeconds: expirySeconds,
      attempts: 0,
      delivered: false,
    },
  ];
  for (const c of cases) {
    test(c.name, async (t) => {
      const clock = new ManualClock();
      const api = await apiFor(t, { clock, webhookRetryTimeScale: 0.001 });
      const receiver = await Receiver.start(t, (delivery, res) => {
        if (delivery.attempt === 1) res.writeHead(500, { "retry-after": "60" });
        res.end();
      });
      const failures = record(api, "webhookFailure");
      const token = nextToken();
      inject(api, token, 801);
      clock.advance(c.ageSeconds * 1_000);
      await setWebhook(api, token, { url: receiver.url });
      await waitFor(() => {
        const counters = api.control.counters(token);
        return counters.updatesExpired + counters.updatesDeliveredByWebhook === 1;
      }, "the update to expire or be delivered");
      assert.equal(receiver.deliveries.length, c.attempts);
      assert.deepEqual(
        failures.map((f) => f.retryInMs),
        c.attempts === 0 ? [] : [c.delivered ? 60 : undefined],
      );
      const counters = api.control.counters(token);
      assert.equal(counters.updatesDeliveredByWebhook, c.delivered ? 1 : 0);
      assert.equal(counters.updatesExpired, c.delivered ? 0 : 1);
      assert.equal(counters.webhookAttempts, c.attempts);
      assert.equal(api.control.webhookInfo(token).pending_update_count, 0);
    });
  }
});

describe("setWebhook while another setWebhook is checking its URL", () => {
  test("any setWebhook or deleteWebhook meanwhile gets 429 retry after 1", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const token = "4242:concurrent";
    // The probe of a first setWebhook is in progress (its TCP connect has not finished).
    api.telegram.bot(token).settingWebhook = true;
    for (const [method, params] of [
      ["deleteWebhook", ""],
      ["setWebhook", "?url="],
      ["setWebhook", "?url=http://127.0.0.1:9/hook"],
    ] as const) {
      const response = await api.app.inject({ method: "POST", url: `/bot${token}/${method}${params}` });
      assert.equal(response.statusCode, 429, `${method}${params}`);
      assert.deepEqual(response.json(), {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      });
    }
  });
});
