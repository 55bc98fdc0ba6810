/**
 * The control API's guard (issue 9, finding 16): a per-process secret, a Host check against the
 * bound address, and refusal of browsers' cross-site requests, so that a web page the user opens
 * cannot inject updates, wipe counters or read a webhook's secret token through loopback.
 */
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { after, describe, test } from "node:test";
import { exposureWarning } from "../cli/serve.ts";
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER, FakeApi } from "./index.ts";
import { apiFor } from "./socket-test-helpers.ts";
import { TOKEN } from "./test-helpers.ts";

const api = new FakeApi();
after(() => api.close());

async function control(
  path: string,
  headers: Record<string, string | undefined>,
  method: "GET" | "POST" = "GET",
  payload?: string,
) {
  const response = await api.app.inject({
    method,
    url: `${CONTROL_PREFIX}${path}`,
    headers: { host: "127.0.0.1:8081", ...(headers as Record<string, string>) },
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: response.statusCode, body: response.json() as { ok: boolean; description?: string } };
}

const withToken = { [CONTROL_TOKEN_HEADER]: api.controlToken };

describe("the control token", () => {
  test("a request without the token, or with another, is 401; with it, 200", async () => {
    for (const headers of [
      {},
      { [CONTROL_TOKEN_HEADER]: "0".repeat(32) },
      { [CONTROL_TOKEN_HEADER]: `${api.controlToken}x` },
    ]) {
      const answer = await control(`/bots/${TOKEN}/counters`, headers);
      assert.equal(answer.status, 401);
      assert.match(
        answer.body.description ?? "",
        /^Unauthorized: send the control token that tgbench serve printed/,
      );
    }
    assert.equal((await control(`/bots/${TOKEN}/counters`, withToken)).status, 200);
  });

  test("each fake API has its own random token unless one is given", () => {
    const other = new FakeApi();
    const chosen = new FakeApi({ controlToken: "my-scripted-token-0123" });
    after(() => Promise.all([other.close(), chosen.close()]));
    assert.match(api.controlToken, /^[0-9a-f]{32}$/);
    assert.notEqual(other.controlToken, api.controlToken);
    assert.equal(chosen.controlToken, "my-scripted-token-0123");
    assert.throws(() => new FakeApi({ controlToken: "short" }), /controlToken must be/);
  });

  test("the harness in process needs no token: api.control is not behind the guard", () => {
    const update = api.control.injectText(TOKEN, { text: "in process", from: { id: 5 } });
    assert.equal(update?.message?.text, "in process");
  });
});

describe("Host and cross-site checks", () => {
  test("a Host that does not name this server is 403, token or not (DNS rebinding)", async () => {
    for (const host of ["evil.example", "evil.example:8081", "127.0.0.1.evil.example", "localhost.evil"]) {
      const answer = await control(`/bots/${TOKEN}/counters`, { ...withToken, host });
      assert.equal(answer.status, 403, host);
      assert.equal(answer.body.description, "Forbidden: the Host header does not name this tgbench server");
    }
    for (const host of ["127.0.0.1", "localhost:9", "LOCALHOST", "[::1]:8081"]) {
      assert.equal((await control(`/bots/${TOKEN}/counters`, { ...withToken, host })).status, 200, host);
    }
  });

  test("a cross-site form POST that would inject /start pwned is refused and queues nothing", async () => {
    const victim = "4242:victim";
    const before = api.control.counters(victim).updatesQueued;
    const browser = {
      ...withToken, // even a page that somehow had the token
      "content-type": "text/plain",
      origin: "http://evil.example",
      "sec-fetch-site": "cross-site",
    };
    const injected = await control(
      `/bots/${victim}/commands`,
      browser,
      "POST",
      '{"command":"/start","args":"pwned"}',
    );
    assert.equal(injected.status, 403);
    assert.equal(injected.body.description, "Forbidden: cross-site requests to the control API are refused");
    assert.equal(api.control.counters(victim).updatesQueued, before);
    for (const headers of [
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
      { origin: "http://localhost.evil:8081" },
    ]) {
      assert.equal(
        (await control("/reset", { ...withToken, ...headers }, "POST")).status,
        403,
        JSON.stringify(headers),
      );
    }
  });

  test("a browser request from this server's own page, or typed in by the user, is fine with the token", async () => {
    for (const headers of [
      { "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:8081" },
      { "sec-fetch-site": "none" },
    ]) {
      assert.equal((await control(`/bots/${TOKEN}/webhook`, { ...withToken, ...headers })).status, 200);
    }
  });

  test("bound to every interface, each interface's address is this server's; other names are not", async (t) => {
    const wide = new FakeApi({ host: "0.0.0.0" });
    t.after(() => wide.close());
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === "IPv4")
      .map((a) => a!.address);
    for (const address of addresses) {
      const response = await wide.app.inject({
        method: "GET",
        url: `${CONTROL_PREFIX}/bots/${TOKEN}/counters`,
        headers: { host: `${address}:8081`, [CONTROL_TOKEN_HEADER]: wide.controlToken },
      });
      assert.equal(response.statusCode, 200, address);
    }
    const evil = await wide.app.inject({
      method: "GET",
      url: `${CONTROL_PREFIX}/bots/${TOKEN}/counters`,
      headers: { host: "evil.example", [CONTROL_TOKEN_HEADER]: wide.controlToken },
    });
    assert.equal(evil.statusCode, 403);
  });

  test("over a real socket: fetch with the token works, and the bot routes need none", async (t) => {
    const server = await apiFor(t);
    const url = `${server.apiRoot}${CONTROL_PREFIX}/bots/${TOKEN}/messages`;
    const body = JSON.stringify({ text: "hi", from: { id: 7 } });
    const headers = { "content-type": "application/json" };
    assert.equal((await fetch(url, { method: "POST", headers, body })).status, 401);
    const ok = await fetch(url, {
      method: "POST",
      headers: { ...headers, [CONTROL_TOKEN_HEADER]: server.controlToken },
      body,
    });
    assert.equal(ok.status, 200);
    assert.equal((await fetch(`${server.apiRoot}/bot${TOKEN}/getMe`)).status, 200);
  });
});

describe("tgbench serve's warning", () => {
  test("binding anything but loopback warns that the control API is reachable with the token", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1"])
      assert.equal(exposureWarning(host), undefined, host);
    for (const host of ["0.0.0.0", "::", "192.168.1.10"]) {
      assert.match(
        exposureWarning(host) ?? "",
        /not loopback: .*control API for anyone with the token/,
        host,
      );
    }
  });
});
