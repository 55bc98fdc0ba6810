/**
 * setWebhook over real sockets (shared/reference/telegram-api.md §2): URL and secret-token
 * validation, the loopback-only rule, the connection probe, descriptions, the once-a-second limit,
 * max_connections clamping, and 429s while another setWebhook is checking its URL.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { FakeApi, startFakeApi } from "./index.ts";
import { call, closedPort, nextToken, Receiver, setWebhook } from "./webhook-test-helpers.ts";

describe("setWebhook", () => {
  let api: FakeApi;
  let receiver: Receiver;
  before(async () => {
    api = await startFakeApi({ webhookProbeTimeoutMs: 500 });
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

  // 10.255.255.1 is not routable and 192.0.2.1 is TEST-NET: a connection attempt would end in a
  // timeout or network error, never in the loopback refusal, so these also prove no probe was made.
  for (const url of ["http://example.com/hook", "http://10.255.255.1/hook", "https://192.0.2.1:8443/"]) {
    test(`refuses the non-loopback ${url} without connecting`, async () => {
      const token = nextToken();
      const startedMs = performance.now();
      const { status, body } = await call(api, token, "setWebhook", { url });
      assert.equal(status, 400);
      assert.equal(body.error_code, 400);
      assert.match(body.description ?? "", /^Bad Request: bad webhook: .*loopback/);
      assert.ok(performance.now() - startedMs < 400, "answered before any probe could time out");
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

  test("sets, rate-limits, reports 'already set', deletes and reports 'already deleted'", async () => {
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
    await sleep(1_000);
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
