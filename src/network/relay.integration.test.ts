/**
 * The relay over real loopback sockets. Timing assertions are lower bounds only: the relay must
 * add at least the profile's delays (never an upper bound on wall time: the machine is shared).
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { Agent } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { describe, test } from "node:test";
import { networkWithRtt } from "./options.ts";
import { connectTo, startEchoServer, startHttpServer, startRelay, timedGet } from "./relay-test-support.ts";

describe("NetworkRelay", () => {
  test("a request on a fresh plain-TCP connection through 40 ms RTT takes at least 2 round trips", async (t) => {
    const target = await startHttpServer(t);
    const relay = await startRelay(t, networkWithRtt(40, { https: false }), target.port);
    const { body, elapsedMs } = await timedGet(t, relay.port, false);
    assert.equal(body, "ok");
    // The TCP handshake's round trip, then the request's and its answer's one-way delays.
    assert.ok(elapsedMs >= 80, `took ${elapsedMs} ms`);
  });

  test("HTTPS adds TLS 1.3's round trip before the first request", async (t) => {
    const target = await startHttpServer(t);
    const relay = await startRelay(t, networkWithRtt(40), target.port);
    const { elapsedMs } = await timedGet(t, relay.port, false);
    assert.ok(elapsedMs >= 120, `took ${elapsedMs} ms`);
  });

  test("a kept-alive connection pays the handshake once, then one round trip per request", async (t) => {
    const target = await startHttpServer(t);
    const relay = await startRelay(t, networkWithRtt(40, { https: false }), target.port);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const first = await timedGet(t, relay.port, agent);
    const second = await timedGet(t, relay.port, agent);
    assert.ok(first.elapsedMs >= 80, `first took ${first.elapsedMs} ms`);
    assert.ok(second.elapsedMs >= 40, `second took ${second.elapsedMs} ms`);
    const stats = relay.stats();
    assert.equal(stats.connectionsOpened, 1);
    assert.equal(target.requests(), 2);
    assert.ok(stats.forwardChunks >= 2 && stats.backwardChunks >= 2);
  });

  test("bytes arrive in the order they were written, both ways, under jitter larger than the gaps", async (t) => {
    const echoPort = await startEchoServer(t);
    const relay = await startRelay(t, networkWithRtt(10, { jitterMs: 20, https: false }), echoPort);
    const socket = await connectTo(t, relay.port);
    const sent: Buffer[] = [];
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once("end", resolve));
    for (let i = 0; i < 300; i++) {
      const chunk = Buffer.from(`${i}:${randomBytes(1 + (i % 40)).toString("hex")};`);
      sent.push(chunk);
      socket.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    socket.end();
    await ended;
    assert.equal(Buffer.concat(received).toString(), Buffer.concat(sent).toString());
    assert.ok(relay.stats().forwardChunks > 1);
  });

  test("a half-close reaches the target after the data, and the answer still comes back", async (t) => {
    const echoPort = await startEchoServer(t);
    const relay = await startRelay(t, networkWithRtt(30, { https: false }), echoPort);
    const socket = await connectTo(t, relay.port);
    const startMs = performance.now();
    let echoed = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      echoed += chunk;
    });
    const ended = new Promise<number>((resolve) => socket.once("end", () => resolve(performance.now())));
    socket.end("hello");
    const endedAtMs = await ended;
    assert.equal(echoed, "hello");
    // Handshake, then the FIN one way and the echo's FIN back.
    assert.ok(endedAtMs - startMs >= 60, `FIN came back after ${endedAtMs - startMs} ms`);
  });

  test("several megabytes cross intact with back-pressure", async (t) => {
    const echoPort = await startEchoServer(t);
    const relay = await startRelay(t, networkWithRtt(2, { https: false }), echoPort);
    const socket = await connectTo(t, relay.port);
    const payload = randomBytes(12 * 1024 * 1024);
    const hash = createHash("sha256");
    let bytes = 0;
    socket.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    const ended = new Promise<void>((resolve) => socket.once("end", resolve));
    socket.end(payload);
    await ended;
    assert.equal(bytes, payload.length);
    assert.equal(hash.digest("hex"), createHash("sha256").update(payload).digest("hex"));
  });

  test("a lost segment costs its request at least the 200 ms retransmission timeout", async (t) => {
    const target = await startHttpServer(t);
    const relay = await startRelay(t, networkWithRtt(2, { https: false, lossPercent: 30 }), target.port);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const elapsed: number[] = [];
    for (let i = 0; i < 12; i++) elapsed.push((await timedGet(t, relay.port, agent)).elapsedMs);
    assert.ok(
      elapsed.some((ms) => ms >= 200),
      `no request waited for a retransmission: ${elapsed.map((ms) => ms.toFixed(1)).join(", ")}`,
    );
  });

  test("close() ends every relayed connection and stops listening", async (t) => {
    const echoPort = await startEchoServer(t);
    const relay = await startRelay(t, networkWithRtt(20, { https: false }), echoPort);
    const socket = await connectTo(t, relay.port);
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write("pending");
    await relay.close();
    await closed;
    assert.equal(relay.stats().connectionsOpen, 0);
    await assert.rejects(connectTo(t, relay.port));
  });

  test("a target that refuses the connection closes the client's", async (t) => {
    const closedPort = await portNobodyListensOn();
    const relay = await startRelay(t, networkWithRtt(5, { https: false }), closedPort);
    const socket = await connectTo(t, relay.port);
    // The relay may have closed it already, before this line ran.
    if (!socket.closed) await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    assert.equal(socket.destroyed, true);
    assert.equal(relay.stats().connectionsOpened, 1);
  });
});

/** A port that was just free: listened on, then closed again. */
async function portNobodyListensOn(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
