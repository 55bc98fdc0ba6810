/**
 * deleteWebhook and drop_pending_updates (shared/reference/telegram-api.md §2): delivery stops,
 * undelivered updates stay for getUpdates, dropping clears the queue of polling and webhook bots.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Update } from "./index.ts";
import { apiFor, call, inject, nextToken, Receiver, setWebhook, waitFor } from "./webhook-test-helpers.ts";

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
    const attemptsAtDelete = api.control.counters(token).webhookAttempts;
    const afterDelete = receiver.deliveries.length;
    inject(api, token, 603);
    // A POST would be counted as an attempt the moment it was started (no need to wait for it).
    assert.equal(api.control.counters(token).webhookAttempts, attemptsAtDelete, "a POST after deleteWebhook");
    const polled = await call(api, token, "getUpdates");
    assert.deepEqual(
      (polled.body.result as Update[]).map((u) => u.update_id),
      [...sent, sent.at(-1)! + 1],
    );
    assert.equal(api.control.counters(token).webhookAttempts, attemptsAtDelete, "a POST after deleteWebhook");
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
