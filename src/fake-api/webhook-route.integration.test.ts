/**
 * FakeApiOptions.webhookRoute, the one place the runner's network enters the fake API: the
 * dispatcher POSTs to the routed URL, while the URL the bot set is what getWebhookInfo reports.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { apiFor, call, inject, nextToken, Receiver, setWebhook, waitFor } from "./webhook-test-helpers.ts";

describe("a routed webhook", () => {
  test("POSTs go to the URL webhookRoute gives; the bot's own URL stays in getWebhookInfo", async (t) => {
    const bot = await Receiver.start(t);
    const relay = await Receiver.start(t);
    const asked: string[] = [];
    const api = await apiFor(t, {
      webhookRoute: async (url) => {
        asked.push(url);
        return `${relay.url.replace("/hook", "")}${new URL(url).pathname}?routed=1`;
      },
    });
    const token = nextToken();
    await setWebhook(api, token, { url: bot.url, secret_token: "s3cret" });
    inject(api, token, 31, "hello");
    await waitFor(() => relay.deliveries.length === 1, "the delivery through the route");
    assert.deepEqual(asked, [bot.url], "routed once, when the webhook was set");
    assert.equal(bot.deliveries.length, 0, "nothing went around the route");
    assert.equal(relay.deliveries[0]!.path, "/hook?routed=1");
    assert.equal(relay.deliveries[0]!.headers["x-telegram-bot-api-secret-token"], "s3cret");
    const { body } = await call(api, token, "getWebhookInfo");
    assert.equal((body.result as { url: string }).url, bot.url);
  });
});
