import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runProcess, startProcess } from "../testing/index.ts";

const BIN = fileURLToPath(new URL("../../bin/tgbench.mjs", import.meta.url));
const tgbench = (t: TestContext, ...args: string[]) => runProcess(t, process.execPath, [BIN, ...args]);

describe("network flags", () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      "an unknown preset",
      ["run", "--network", "mars"],
      /^tgbench: unknown network "mars"; choose from loopback, same-dc, region, continent, intercontinental\n$/,
    ],
    [
      "a round trip that is not a number",
      ["run", "--rtt-ms", "abc"],
      /^tgbench: --rtt-ms must be a number from 0 to 10000 \(ms\), got "abc"\n$/,
    ],
    [
      "loss on loopback",
      // (The default scenario measures loopback and continent: loss applies to continent there.)
      ["run", "--network", "loopback", "--loss-percent", "2"],
      /^tgbench: --loss-percent needs a network other than loopback; add --network <preset> or --rtt-ms <n>\n$/,
    ],
    [
      "a network listed twice",
      ["run", "--network", "region", "region"],
      /^tgbench: network "region" is listed twice\n$/,
    ],
    [
      "two networks for serve",
      ["serve", "--network", "region", "continent"],
      /^tgbench: serve takes one network, got 2 \(region, continent\)\n$/,
    ],
  ];
  for (const [what, args, message] of cases) {
    test(`${what} is a one-line usage error (exit 2)`, async (t) => {
      const result = await tgbench(t, ...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});

describe("tgbench serve --network", () => {
  test("prints the relay as the bot's API root: calls through it cross the network and reach the fake API", async (t) => {
    const serve = startProcess(t, process.execPath, [BIN, "serve", "--port", "0", "--rtt-ms", "30"]);
    const [, root] = await serve.waitForOutput(
      /API root for your bot: (http:\/\/127\.0\.0\.1:\d+)\n/,
      "the API root to be printed",
    );
    const [, direct] = await serve.waitForOutput(
      /the fake API itself, for the control API below: (http:\/\/127\.0\.0\.1:\d+)\n/,
      "the fake API's own address",
    );
    assert.ok(root !== undefined && direct !== undefined);
    assert.notEqual(root, direct, "the bot's root is the relay, not the fake API");
    assert.match(serve.stdout(), /across the network rtt-30ms: 30 ms RTT, TCP \+ TLS 1\.3 handshake/);
    const [, controlToken] = await serve.waitForOutput(
      /control token: ([0-9a-f]{32})\n/,
      "the control token to be printed",
    );
    const injected = await fetch(`${direct}/__tgbench/bots/123:abc/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tgbench-control-token": controlToken! },
      body: JSON.stringify({ text: "hello", from: { id: 1001 } }),
    });
    assert.equal(injected.status, 200);
    const startedMs = performance.now();
    const updates = (await (await fetch(`${root}/bot123:abc/getUpdates`)).json()) as { result: unknown[] };
    const tookMs = performance.now() - startedMs;
    assert.equal(updates.result.length, 1, "the update, through the relay");
    // A new connection: TCP and TLS handshakes (2 RTT), then the request and its answer (1 RTT).
    assert.ok(tookMs >= 3 * 30, `${tookMs} ms`);
    serve.signal("SIGINT");
    assert.equal((await serve.exited).code, 0);
    await serve.closed;
    assert.match(serve.stdout(), /Stopped\./);
  });
});
