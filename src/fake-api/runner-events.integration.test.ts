/**
 * The `poll` event is only for an accepted getUpdates: one refused because a webhook is set (409)
 * is an `apiError`. (getUpdates has no parameter that can fail it, as in telegram-bot-api, so the
 * webhook, which needs a URL the fake API can connect to, is the way to get one refused.)
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import type { FakeApiEventMap } from "./events.ts";
import { FakeApi } from "./server.ts";
import { call, TOKEN } from "./test-helpers.ts";

describe("runner events", () => {
  test("no poll for a getUpdates refused because a webhook is set; an apiError instead", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const receiver = createServer((_req, res) => res.writeHead(200).end());
    t.after(() => new Promise((resolve) => receiver.close(resolve)));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.address() as AddressInfo;
    const set = await call(api, "setWebhook", { url: `http://127.0.0.1:${port}/hook` }, TOKEN);
    assert.equal(set.status, 200);
    const polls: FakeApiEventMap["poll"][0][] = [];
    const errors: FakeApiEventMap["apiError"][0][] = [];
    api.events.on("poll", (e) => polls.push(e));
    api.events.on("apiError", (e) => errors.push(e));
    const refused = await call(api, "getUpdates", { timeout: 0 }, TOKEN);
    assert.equal(refused.status, 409);
    assert.equal(polls.length, 0);
    assert.deepEqual(
      errors.map((e) => [e.method, e.errorCode, e.description]),
      [["getupdates", 409, refused.body.description]],
    );
  });
});
