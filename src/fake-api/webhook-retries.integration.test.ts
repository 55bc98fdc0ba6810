/**
 * Webhook retries (shared/reference/telegram-api.md §2): the backoff schedule, Retry-After, what
 * counts as a failure and how it is reported, the delivery timeout, failing chats beside healthy ones.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { letTurnsPass, settle } from "../testing/index.ts";
import {
  apiFor,
  inject,
  nextToken,
  Receiver,
  type Respond,
  record,
  setWebhook,
  waitFor,
} from "./webhook-test-helpers.ts";

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

  // Only the kinds that never answer get a short delivery timeout: with a short one, a 500 that
  // is slow to arrive on a loaded machine would be reported as a timeout.
  const failureKinds: { name: string; respond: Respond; message: string; timesOut?: true }[] = [
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
    {
      name: "no answer within webhookDeliveryTimeoutMs",
      respond: () => {},
      message: "Read timeout expired",
      timesOut: true,
    },
    {
      name: "headers sent but the body never finished",
      respond: (_d, res) => {
        res.writeHead(200, { "content-length": "100" });
        res.write("partial");
      },
      message: "Read timeout expired",
      timesOut: true,
    },
    {
      name: "a destroyed socket",
      respond: (_d, res) => res.socket?.destroy(),
      message: "Webhook connection closed",
    },
  ];
  for (const kind of failureKinds) {
    test(`${kind.name} is a failure reported as "${kind.message}"`, async (t) => {
      const timeout = kind.timesOut ? { webhookDeliveryTimeoutMs: 200 } : {};
      const api = await apiFor(t, { ...timeout, webhookRetryTimeScale: 1 });
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

  test("webhookDeliveryTimeoutMs is exact: the POST is given up when its timer runs out, not on undici's 1 s ticks", async (t) => {
    const timeoutMs = 150;
    const api = await apiFor(t, { webhookDeliveryTimeoutMs: timeoutMs, webhookRetryTimeScale: 1 });
    const receiver = await Receiver.start(t, () => {});
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const failures = record(api, "webhookFailure");
    // From here on setTimeout is hand-driven (the sockets stay real): only the timer can end the POST.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    inject(api, token, 305);
    await settle("the POST to reach the receiver", () => receiver.deliveries.length === 1);
    t.mock.timers.tick(timeoutMs - 1);
    await letTurnsPass();
    assert.equal(failures.length, 0, "given up before its timeout");
    t.mock.timers.tick(1);
    // Giving up takes no more time, only a few turns of the event loop (undici's own timeouts
    // would need up to a second of real time more).
    await letTurnsPass(200);
    assert.equal(failures.length, 1, "not given up at its timeout");
    assert.equal(failures[0]!.error, "Read timeout expired");
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
