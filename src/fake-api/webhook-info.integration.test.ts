/**
 * getWebhookInfo over real sockets (shared/reference/telegram-api.md §2): which fields a polling
 * bot and a webhook bot get, ip_address, last_error_* after a failed delivery, allowed_updates.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeApi, ManualClock, startFakeApi, type WebhookInfo } from "./index.ts";
import { call, inject, nextToken, Receiver, setWebhook, waitFor } from "./webhook-test-helpers.ts";

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
