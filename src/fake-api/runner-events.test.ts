/** The events the runner's checks read: an accepted getUpdates (`poll`) and an error answer (`apiError`). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FakeApiEventMap } from "./events.ts";
import { FakeApi } from "./server.ts";
import { call, TOKEN } from "./test-helpers.ts";

function recorder<K extends "poll" | "apiError">(api: FakeApi, event: K): FakeApiEventMap[K][0][] {
  const seen: FakeApiEventMap[K][0][] = [];
  api.events.on(event, ((e: FakeApiEventMap[K][0]) => seen.push(e)) as never);
  return seen;
}

describe("runner events", () => {
  test("poll: an accepted getUpdates, with the timeout it asked for (before Telegram's hold)", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const polls = recorder(api, "poll");
    await call(api, "getUpdates", { timeout: 0, offset: 5, limit: 7 });
    // A repeated short poll is held 3 s (and limited to 1) by the anti-busy-loop rule; the event
    // says what the bot asked for: timeout 0, the default limit.
    const held = call(api, "getUpdates", { timeout: 0, offset: 5 });
    await new Promise((r) => setTimeout(r, 20));
    api.telegram.close();
    await held;
    assert.deepEqual(
      polls.map((p) => [p.offset, p.limit, p.timeoutSeconds]),
      [
        [5, 7, 0],
        [5, 100, 0],
      ],
    );
    assert.equal(polls[0]?.botId, 123456);
  });

  test("apiError carries Telegram's description, for any method", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const errors = recorder(api, "apiError");
    const answer = await call(api, "sendMessage", { chat_id: 1, text: "x" }, TOKEN);
    assert.equal(answer.status, 400);
    assert.deepEqual(errors, [
      {
        botId: 123456,
        method: "sendmessage",
        errorCode: 400,
        description: "Bad Request: chat not found",
        atMs: errors[0]!.atMs,
      },
    ]);
  });
});
