/**
 * getUpdates against a webhook (shared/reference/telegram-api.md §2): the 409s a polling call gets
 * when a webhook is set, or is set while it is parked.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { apiFor, call, nextToken, Receiver, setWebhook, waitFor } from "./webhook-test-helpers.ts";

describe("getUpdates against a webhook", () => {
  test("a parked long poll is answered 409 'terminated by setWebhook request'", async (t) => {
    const api = await apiFor(t);
    const receiver = await Receiver.start(t);
    const token = nextToken();
    const poll = call(api, token, "getUpdates", { timeout: 5 });
    const bot = api.telegram.bot(token);
    await waitFor(() => bot.poller.isParked, "the long poll to park");
    await setWebhook(api, token, { url: receiver.url });
    // A poll that ran to its timeout would get 200 and []; the 409 shows setWebhook ended it.
    const { status, body } = await poll;
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
