import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NetworkEmulator } from "./emulator.ts";
import { networkPreset, networkWithRtt } from "./options.ts";
import { startHttpServer, timedGet } from "./relay-test-support.ts";

describe("NetworkEmulator", () => {
  test("loopback routes every URL to itself and starts no relay", async (t) => {
    const network = new NetworkEmulator(networkPreset("loopback"));
    t.after(() => network.close());
    assert.equal(network.isLoopback, true);
    assert.equal(await network.route("http://127.0.0.1:8081", "telegram"), "http://127.0.0.1:8081");
    assert.equal(await network.route("https://example.invalid/hook", "bot"), "https://example.invalid/hook");
    assert.deepEqual(network.stats().relays, {});
  });

  test("a routed URL keeps its scheme, credentials, path and query, and points at a relay", async (t) => {
    const target = await startHttpServer(t);
    const network = new NetworkEmulator(networkWithRtt(10, { https: false }), { seed: 7 });
    t.after(() => network.close());
    const root = `http://127.0.0.1:${target.port}`;
    const apiRoot = await network.route(root, "telegram");
    const hook = await network.route(`http://user:pw@127.0.0.1:${target.port}/hook/1?secret=x`, "bot");
    assert.match(apiRoot, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(apiRoot, root);
    const hookUrl = new URL(hook);
    assert.equal(hookUrl.username, "user");
    assert.equal(hookUrl.password, "pw");
    assert.equal(hookUrl.pathname, "/hook/1");
    assert.equal(hookUrl.search, "?secret=x");
    // Same origin, other direction: a relay of its own; same origin and direction: the same relay.
    assert.notEqual(hookUrl.port, new URL(apiRoot).port);
    assert.equal(await network.route(`${root}/`, "telegram"), `${apiRoot}/`);
    assert.deepEqual(Object.keys(network.stats().relays).sort(), [`bot ${root}`, `telegram ${root}`]);
  });

  test("a request through the routed URL pays the profile's handshake and round trip", async (t) => {
    const target = await startHttpServer(t, "pong");
    const network = new NetworkEmulator(networkWithRtt(30, { https: false }));
    t.after(() => network.close());
    const apiRoot = new URL(await network.route(`http://127.0.0.1:${target.port}`, "telegram"));
    const { body, elapsedMs } = await timedGet(t, Number(apiRoot.port), false);
    assert.equal(body, "pong");
    assert.ok(elapsedMs >= 60, `took ${elapsedMs} ms`);
    const stats = network.stats();
    assert.equal(stats.relays[`telegram http://127.0.0.1:${target.port}`]?.connectionsOpened, 1);
    assert.ok(stats.queue.delivered >= 2);
  });

  test("an https URL is refused: the relay carries plain bytes", async (t) => {
    const network = new NetworkEmulator(networkPreset("region"));
    t.after(() => network.close());
    await assert.rejects(network.route("https://127.0.0.1:8443/hook", "bot"), /carries plain HTTP/);
  });

  test("close() is idempotent and later routes are refused", async (t) => {
    const target = await startHttpServer(t);
    const network = new NetworkEmulator(networkPreset("same-dc"));
    t.after(() => network.close());
    const apiRoot = new URL(await network.route(`http://127.0.0.1:${target.port}`, "telegram"));
    await network.close();
    await network.close();
    await assert.rejects(network.route(`http://127.0.0.1:${target.port}`, "telegram"), /closed/);
    await assert.rejects(timedGet(t, Number(apiRoot.port), false));
  });
});
