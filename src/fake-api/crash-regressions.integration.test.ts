/**
 * Regression tests for the five inputs that used to take the process down (issue 9, findings
 * 1–5). Each is one request or one webhook answer; a crash would end this test file with an
 * uncaught exception, so every test also checks that the server still answers afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { FakeApi } from "./index.ts";
import {
  apiFor,
  callOverHttp,
  portOf,
  RawConnection,
  Receiver,
  rawRequest,
  waitFor,
} from "./socket-test-helpers.ts";
import { TOKEN } from "./test-helpers.ts";

/** A gzip stream whose deflate data is damaged (the header stays valid, so inflating starts). */
function corruptGzip(text: string): Buffer {
  const bytes = gzipSync(text);
  for (let i = 10; i < bytes.length - 8; i += 3) bytes[i] = bytes[i]! ^ 0x5a;
  return bytes;
}

const multipart = (boundary: string, parts: string[]) =>
  `${parts.map((p) => `--${boundary}\r\n${p}`).join("\r\n")}\r\n--${boundary}--\r\n`;

async function stillServing(target: FakeApi): Promise<void> {
  const response = await target.app.inject({ method: "GET", url: `/bot${TOKEN}/getMe` });
  assert.equal(response.statusCode, 200);
}

describe("crashes: request bodies", () => {
  test("finding 1: a gzip multipart body with corrupt data is 400 'zlib error', and the server stays up", async (t) => {
    const api = new FakeApi();
    t.after(() => api.close());
    for (const encoding of ["gzip", "deflate"]) {
      const response = await api.app.inject({
        method: "POST",
        url: `/bot${TOKEN}/sendDocument`,
        headers: { "content-type": "multipart/form-data; boundary=xyz", "content-encoding": encoding },
        payload: corruptGzip(multipart("xyz", ['Content-Disposition: form-data; name="chat_id"\r\n\r\n1'])),
      });
      assert.equal(response.statusCode, 400, encoding);
      assert.equal(response.headers["content-type"], "application/json");
      assert.equal(response.headers.connection, "close");
      assert.match(response.json().description, /^Bad Request: zlib error -\d+$/);
    }
    await stillServing(api);
  });

  test("finding 2: a compressed body declaring over 50 MiB with corrupt data is 413, and the server stays up", async (t) => {
    const server = await apiFor(t);
    for (const contentType of ["multipart/form-data; boundary=xyz", "application/json", "text/plain"]) {
      const connection = await RawConnection.open(t, portOf(server));
      const declared = 50 * 1024 * 1024 + 1;
      connection.send(
        rawRequest("POST", `/bot${TOKEN}/sendDocument`, {
          "content-type": contentType,
          "content-encoding": "gzip",
          "content-length": String(declared),
        }),
      );
      connection.send(corruptGzip("x".repeat(20_000)));
      const response = await connection.nextResponse();
      assert.equal(response.status, 413, contentType);
      assert.equal(response.headers.connection, "close");
      assert.deepEqual(JSON.parse(response.body), {
        ok: false,
        error_code: 413,
        description: "Request Entity Too Large",
      });
      // Keep feeding the refused body: the inflate stream behind it must not throw either.
      connection.send(corruptGzip("y".repeat(20_000)));
    }
    assert.equal((await callOverHttp(server, TOKEN, "getMe")).status, 200);
  });

  test("finding 3: a multipart file part cut off before the closing boundary is 400, and the server stays up", async (t) => {
    const api3 = new FakeApi();
    t.after(() => api3.close());
    {
      const body =
        '--xyz\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n1\r\n' +
        '--xyz\r\nContent-Disposition: form-data; name="document"; filename="a.bin"\r\n\r\nabc';
      for (const payload of [
        body,
        `${body}\r\n--xy`,
        '--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi',
      ]) {
        const response = await api3.app.inject({
          method: "POST",
          url: `/bot${TOKEN}/sendDocument`,
          headers: { "content-type": "multipart/form-data; boundary=xyz" },
          payload,
        });
        assert.equal(response.statusCode, 400);
        assert.deepEqual(response.json(), {
          ok: false,
          error_code: 400,
          description: "Bad Request: unexpected end of request content",
        });
      }
      await stillServing(api3);
    }
  });
});

describe("crashes: webhook answers", () => {
  let nextBot = 9_100_000;
  const nextToken = () => `${nextBot++}:crash-test`;

  test("finding 4: a webhook reply whose method is a 100,000-deep array is ignored; delivery goes on", async (t) => {
    const server = await apiFor(t);
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const bodies = [
      { type: "application/json", body: `{"method":${deep},"chat_id":1,"text":"x"}` },
      { type: "application/x-www-form-urlencoded", body: `method=${deep}&chat_id=1&text=x` },
    ];
    let answer = 0;
    const receiver = await Receiver.start(t, (_update, res) => {
      const reply = bodies[answer++ % bodies.length]!;
      res.writeHead(200, { "content-type": reply.type }).end(reply.body);
    });
    const token = nextToken();
    const set = await callOverHttp(server, token, "setWebhook", { url: receiver.url() });
    assert.equal(set.status, 200);
    for (let i = 0; i < 4; i++) server.control.injectText(token, { text: `u${i}`, from: { id: 1000 + i } });
    await waitFor(() => server.control.counters(token).updatesDeliveredByWebhook === 4, "four deliveries");
    const counters = server.control.counters(token);
    assert.equal(counters.webhookFailures, 0);
    // JSON: the deep value ends the parse before `method` is read, so there is no call. The form's
    // method is a (very long) unknown name: telegram-bot-api runs it, and it is "method not found".
    const replies = server.control.calls(token).filter((c) => c.via === "webhook-reply");
    assert.equal(replies.length, 2);
    for (const reply of replies) assert.equal(reply.status, 404);
    assert.equal(counters.requestsByMethod["(unknown)"], 2);
  });

  /** Answers 200 with `contentType` and writes up to 64 MiB, noting how much went out before the connection closed. */
  function endless(contentType: string, written: number[]) {
    const capBytes = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    return (_update: unknown, res: import("node:http").ServerResponse) => {
      let sent = 0;
      res.on("close", () => written.push(sent));
      res.writeHead(200, { "content-type": contentType });
      const pump = () => {
        while (sent < capBytes && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    };
  }

  test("finding 5: a 2xx urlencoded answer over 1 MiB is not read to its end: a failed delivery, the connection dropped", async (t) => {
    const server = await apiFor(t, { webhookRetryTimeScale: 1 });
    const written: number[] = [];
    const receiver = await Receiver.start(t, endless("application/x-www-form-urlencoded", written));
    const failures: string[] = [];
    server.events.on("webhookFailure", (failure) => failures.push(failure.error));
    const token = nextToken();
    assert.equal((await callOverHttp(server, token, "setWebhook", { url: receiver.url() })).status, 200);
    server.control.injectText(token, { text: "big answer", from: { id: 77 } });
    await waitFor(() => failures.length >= 1 && written.length >= 1, "the failed delivery");
    assert.equal(failures[0], "Request Entity Too Large: too many parameters");
    assert.equal(server.control.webhookInfo(token).last_error_message, failures[0]);
    assert.ok(written[0]! < 64 * 1024 * 1024, `the receiver wrote all ${written[0]} bytes`);
    const counters = server.control.counters(token);
    const perAttempt = counters.webhookBodyBytesIn / counters.webhookAttempts;
    assert.ok(perAttempt <= 1.25 * 1024 * 1024, `read ${perAttempt} bytes per attempt`);
    assert.equal(counters.updatesDeliveredByWebhook, 0);
  });

  test("finding 5: a 2xx answer of another type over 1 MiB counts as delivered and is not read to its end", async (t) => {
    const server = await apiFor(t);
    const written: number[] = [];
    const receiver = await Receiver.start(t, endless("text/plain", written));
    const token = nextToken();
    assert.equal((await callOverHttp(server, token, "setWebhook", { url: receiver.url() })).status, 200);
    server.control.injectText(token, { text: "big answer", from: { id: 78 } });
    await waitFor(
      () => server.control.counters(token).updatesDeliveredByWebhook === 1 && written.length >= 1,
      "the delivery",
    );
    assert.ok(written[0]! < 64 * 1024 * 1024, `the receiver wrote all ${written[0]} bytes`);
    const counters = server.control.counters(token);
    assert.ok(counters.webhookBodyBytesIn <= 2 * 1024 * 1024, `read ${counters.webhookBodyBytesIn} bytes`);
    assert.equal(counters.webhookFailures, 0);
  });
});
