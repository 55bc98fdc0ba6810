/**
 * setWebhook over real sockets (shared/reference/telegram-api.md §2): URL and secret-token
 * validation, the loopback-only rule, the connection probe, descriptions, the once-a-second limit,
 * max_connections clamping, and 429s while another setWebhook is checking its URL.
 */
import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { after, before, describe, type TestContext, test } from "node:test";
import { FakeApi, startFakeApi } from "./index.ts";
import { call, closedPort, nextToken, Receiver, setWebhook } from "./webhook-test-helpers.ts";

/**
 * Counts the TCP client sockets this process opens from now until the test ends (Node publishes
 * each on the `net.client.socket` diagnostics channel: the probe's, undici's, any other).
 */
function countClientSockets(t: TestContext): () => number {
  let count = 0;
  const onSocket = () => count++;
  subscribe("net.client.socket", onSocket);
  t.after(() => unsubscribe("net.client.socket", onSocket));
  return () => count;
}

/** setWebhook through inject(), which opens no socket of its own: only a probe would. */
const setWebhookInProcess = (api: FakeApi, token: string, url: string) =>
  api.app.inject({ method: "POST", url: `/bot${token}/setWebhook`, payload: { url } });

describe("setWebhook", () => {
  let api: FakeApi;
  let receiver: Receiver;
  before(async () => {
    api = await startFakeApi();
    receiver = await Receiver.start(undefined);
  });
  after(async () => {
    await api.close();
    await receiver.close();
  });

  const invalid = [
    {
      name: "a URL that does not parse",
      url: () => "not a url",
      description: "invalid webhook URL specified",
    },
    {
      name: "a non-HTTP scheme",
      url: () => "ftp://127.0.0.1/hook",
      description: "invalid webhook URL specified",
    },
    {
      name: "a secret token over 256 characters",
      url: () => receiver.url,
      secret_token: "a".repeat(257),
      description: "secret token is too long",
    },
    {
      name: "a secret token with characters outside A-Za-z0-9_-",
      url: () => receiver.url,
      secret_token: "no spaces!",
      description: "secret token contains unallowed characters",
    },
  ];
  for (const c of invalid) {
    test(`rejects ${c.name} with 400 "Bad Request: ${c.description}"`, async () => {
      const token = nextToken();
      const params: Record<string, unknown> = { url: c.url() };
      if (c.secret_token !== undefined) params.secret_token = c.secret_token;
      const { status, body } = await call(api, token, "setWebhook", params);
      assert.equal(status, 400);
      assert.deepEqual(body, { ok: false, error_code: 400, description: `Bad Request: ${c.description}` });
      assert.equal(api.control.webhookInfo(token).url, "");
      assert.equal(receiver.deliveries.length, 0);
    });
  }

  test("accepts a secret token of exactly 256 allowed characters", async () => {
    const { body } = await call(api, nextToken(), "setWebhook", {
      url: receiver.url,
      secret_token: `${"A-z_9".repeat(51)}x`,
    });
    assert.equal(body.ok, true, body.description);
  });

  // Whether a probe was made is seen directly: the sockets this process opened during the call.
  test("probes a loopback URL with one connection (so the socket count below can see a probe)", async (t) => {
    const sockets = countClientSockets(t);
    const response = await setWebhookInProcess(api, nextToken(), receiver.url);
    assert.equal(response.json().ok, true, response.body);
    assert.equal(sockets(), 1);
  });

  for (const url of ["http://example.com/hook", "http://10.255.255.1/hook", "https://192.0.2.1:8443/"]) {
    test(`refuses the non-loopback ${url} without connecting`, async (t) => {
      const token = nextToken();
      const sockets = countClientSockets(t);
      const response = await setWebhookInProcess(api, token, url);
      assert.equal(sockets(), 0, "no connection was attempted");
      assert.equal(response.statusCode, 400);
      const body = response.json();
      assert.equal(body.error_code, 400);
      assert.match(body.description ?? "", /^Bad Request: bad webhook: .*loopback/);
      assert.equal(api.control.webhookInfo(token).url, "");
    });
  }

  test("answers 400 'bad webhook: Connection refused' when nothing listens on the port", async () => {
    const token = nextToken();
    const url = `http://127.0.0.1:${await closedPort()}/hook`;
    const { status, body } = await call(api, token, "setWebhook", { url });
    assert.equal(status, 400);
    assert.deepEqual(body, {
      ok: false,
      error_code: 400,
      description: "Bad Request: bad webhook: Connection refused",
    });
    assert.equal(api.control.webhookInfo(token).url, "");
  });

  test("sets, rate-limits, reports 'already set', deletes and reports 'already deleted'", async (t) => {
    // The once-a-second limit runs on the monotonic clock: hold it still, and move it by hand.
    let nowMs = performance.now();
    t.mock.method(performance, "now", () => nowMs);
    const token = nextToken();
    const set = await call(api, token, "setWebhook", { url: receiver.url });
    assert.deepEqual(set.body, { ok: true, result: true, description: "Webhook was set" });

    const tooSoon = await call(api, token, "setWebhook", { url: receiver.url });
    assert.equal(tooSoon.status, 429);
    assert.equal(tooSoon.headers.get("retry-after"), "1");
    assert.deepEqual(tooSoon.body, {
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });

    // The limit is one setWebhook with a URL per second; deleting is not limited.
    nowMs += 999;
    assert.equal((await call(api, token, "setWebhook", { url: receiver.url })).status, 429, "at 999 ms");
    nowMs += 1;
    const again = await call(api, token, "setWebhook", { url: receiver.url });
    assert.deepEqual(again.body, { ok: true, result: true, description: "Webhook is already set" });

    const deleted = await call(api, token, "deleteWebhook");
    assert.deepEqual(deleted.body, { ok: true, result: true, description: "Webhook was deleted" });
    const deletedAgain = await call(api, token, "deleteWebhook");
    assert.deepEqual(deletedAgain.body, {
      ok: true,
      result: true,
      description: "Webhook is already deleted",
    });
    const emptyUrl = await call(api, token, "setWebhook", { url: "" });
    assert.deepEqual(emptyUrl.body, { ok: true, result: true, description: "Webhook is already deleted" });
  });

  test("setWebhook with an empty url deletes a webhook that is set", async () => {
    const token = nextToken();
    await setWebhook(api, token, { url: receiver.url });
    const { body } = await call(api, token, "setWebhook", { url: "" });
    assert.deepEqual(body, { ok: true, result: true, description: "Webhook was deleted" });
    assert.equal(api.control.webhookInfo(token).url, "");
  });

  const clamps = [
    { given: undefined, expected: 40 },
    { given: 0, expected: 1 },
    { given: 1, expected: 1 },
    { given: 7, expected: 7 },
    { given: 100, expected: 100 },
    { given: 500, expected: 100 },
  ];
  for (const { given, expected } of clamps) {
    test(`max_connections ${given ?? "omitted"} becomes ${expected}`, async () => {
      const token = nextToken();
      await setWebhook(
        api,
        token,
        given === undefined ? { url: receiver.url } : { url: receiver.url, max_connections: given },
      );
      assert.equal(api.control.webhookInfo(token).max_connections, expected);
    });
  }
});

describe("setWebhook while another setWebhook is checking its URL", () => {
  test("any setWebhook or deleteWebhook meanwhile gets 429 retry after 1", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    const token = "4242:concurrent";
    // The probe of a first setWebhook is in progress (its TCP connect has not finished).
    api.telegram.bot(token).settingWebhook = true;
    for (const [method, params] of [
      ["deleteWebhook", ""],
      ["setWebhook", "?url="],
      ["setWebhook", "?url=http://127.0.0.1:9/hook"],
    ] as const) {
      const response = await api.app.inject({ method: "POST", url: `/bot${token}/${method}${params}` });
      assert.equal(response.statusCode, 429, `${method}${params}`);
      assert.deepEqual(response.json(), {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      });
    }
  });
});
