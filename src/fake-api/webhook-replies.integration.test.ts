/**
 * Webhook replies (shared/reference/telegram-api.md §2): a method in the answer to a webhook POST is
 * executed as a call, in every body encoding bots use; the methods Telegram ignores there are ignored.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
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
    { name: "malformed JSON", contentType: "application/json", body: '{"method":sendMessage}' },
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
