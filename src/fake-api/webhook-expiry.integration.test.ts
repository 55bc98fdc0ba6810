/**
 * Webhook update expiry (shared/reference/telegram-api.md §2): an update is dropped when its next
 * retry would end after its expiry, driven by the fake API's manual clock.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManualClock } from "./index.ts";
import { apiFor, inject, nextToken, Receiver, record, setWebhook, waitFor } from "./webhook-test-helpers.ts";

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
