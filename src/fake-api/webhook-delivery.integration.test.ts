/**
 * Webhook delivery over real sockets (shared/reference/telegram-api.md §2): the POST itself, updates
 * queued before the webhook, per-chat ordering with parallel chats, max_connections.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  apiFor,
  HeldPosts,
  inject,
  nextToken,
  Receiver,
  setWebhook,
  waitFor,
} from "./webhook-test-helpers.ts";

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
    // The POSTs are held until all three chats have one in flight, then answered together.
    const posts = new HeldPosts();
    const receiver = await Receiver.start(t, posts.respond);
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const sent = new Map<number, number[]>(chats.map((c) => [c, []]));
    for (let i = 0; i < 5; i++) {
      for (const chatId of chats) sent.get(chatId)!.push(inject(api, token, chatId, `m${i}`).update_id);
    }
    await posts.answerInWaves(chats.length, 5, (wave) => {
      const waveChats = wave.map((d) => d.update.message!.chat.id).sort();
      assert.deepEqual(waveChats, chats, "one POST per chat in flight, every chat at once");
    });
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 15, "15 deliveries");

    for (const chatId of chats) {
      const arrived = receiver.deliveries
        .filter((d) => d.update.message!.chat.id === chatId)
        .map((d) => d.update.update_id);
      assert.deepEqual(arrived, sent.get(chatId), `chat ${chatId} order`);
    }
    assert.equal(receiver.maxInFlight, chats.length);
  });

  test("max_connections bounds both concurrent requests and sockets", async (t) => {
    const api = await apiFor(t);
    const posts = new HeldPosts();
    const receiver = await Receiver.start(t, posts.respond);
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url, max_connections: 2 });
    for (let round = 0; round < 2; round++)
      for (let chatId = 201; chatId <= 206; chatId++) inject(api, token, chatId);
    // Twelve updates in six chats could all go at once; max_connections lets two at a time.
    await posts.answerInWaves(2, 6, (wave) => assert.equal(wave.length, 2, "more than 2 in flight"));
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 12, "12 deliveries");
    assert.equal(receiver.maxInFlight, 2);
    const opened = api.control.counters(token).webhookConnectionsOpened;
    assert.ok(opened >= 1 && opened <= 2, `opened ${opened} connections`);
  });
});
