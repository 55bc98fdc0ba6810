import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { freePort, WebhookProxy } from "./webhook-proxy.ts";

describe("the webhook proxy", () => {
  test("accepts at once, answers 502 while the bot is not listening, then forwards", async (t) => {
    const botPort = await freePort("127.0.0.1");
    const proxy = await WebhookProxy.start("127.0.0.1", botPort);
    t.after(() => proxy.stop());

    // Telegram's check of the URL is a TCP connection: the proxy takes it before the bot listens.
    const socket = connect(proxy.port, "127.0.0.1");
    await once(socket, "connect");
    socket.destroy();

    const post = (body: string) =>
      fetch(proxy.url("/webhook?x=1"), {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s3cret" },
        body,
      });
    const early = await post('{"update_id":1}');
    assert.equal(early.status, 502);
    await early.arrayBuffer();

    const seen: Array<{ method: string; url: string; secret: string | undefined; body: string }> = [];
    const bot = createServer(async (req: IncomingMessage, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined,
        body,
      });
      res.writeHead(200, { "content-type": "application/json" }).end('{"method":"sendMessage"}');
    });
    bot.listen(botPort, "127.0.0.1");
    await once(bot, "listening");
    t.after(() => new Promise((resolve) => bot.close(resolve)));

    const forwarded = await post('{"update_id":2}');
    assert.equal(forwarded.status, 200);
    assert.equal(await forwarded.text(), '{"method":"sendMessage"}', "the bot's answer is relayed");
    assert.equal(forwarded.headers.get("content-type"), "application/json");
    assert.deepEqual(seen, [
      { method: "POST", url: "/webhook?x=1", secret: "s3cret", body: '{"update_id":2}' },
    ]);

    const stats = await proxy.stats();
    assert.equal(stats?.requests, 2);
    assert.equal(stats?.badGateway, 1);
    assert.ok((stats?.inProxyP50Us ?? 0) > 0, "the time in the proxy is measured");
    const before = await proxy.reset();
    assert.equal(before?.requests, 2, "reset answers with the counts before it");
    assert.equal((await proxy.stats())?.requests, 0);
  });
});
