import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FakeApiEventMap } from "./events.ts";
import { FakeApi } from "./server.ts";
import { TOKEN } from "./test-helpers.ts";

type Counted = FakeApiEventMap["counted"][0];

describe("the counted event", () => {
  test("announces every byte and empty getUpdates as it is counted, so the events sum to the counters", async (t) => {
    // Bytes are counted on the sockets (headers included), so this runs over real HTTP.
    const api = new FakeApi({ antiBusyLoop: false });
    t.after(() => api.close());
    const root = await api.listen();
    const ok = async (method: string, params: object) => {
      const response = await fetch(`${root}/bot${TOKEN}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
      });
      const body = (await response.json()) as { ok: boolean };
      assert.equal(body.ok, true, `${method}: ${JSON.stringify(body)}`);
    };
    const seen: Counted[] = [];
    api.events.on("counted", (e) => seen.push(e));
    await ok("getUpdates", { timeout: 0 });
    api.control.injectText(TOKEN, { text: "hello", from: { id: 1001 } });
    await ok("getUpdates", { timeout: 0 });
    await ok("sendMessage", { chat_id: 1001, text: "hi" });
    const counters = api.control.counters(TOKEN);
    const sum = (counter: Counted["counter"]) =>
      seen.filter((e) => e.counter === counter).reduce((total, e) => total + e.amount, 0);
    assert.equal(counters.emptyGetUpdates, 1);
    assert.equal(sum("emptyGetUpdates"), 1);
    assert.ok(counters.bytesIn > 0 && counters.bytesOut > 0);
    assert.equal(sum("bytesIn"), counters.bytesIn);
    assert.equal(sum("bytesOut"), counters.bytesOut);
    const botId = Number(TOKEN.slice(0, TOKEN.indexOf(":")));
    assert.ok(seen.every((e) => e.botId === botId && Number.isFinite(e.atMs) && e.amount > 0));
    const times = seen.map((e) => e.atMs);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      "in the order they happened",
    );
  });
});
