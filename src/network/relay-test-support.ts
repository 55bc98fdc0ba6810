/**
 * Helpers for the network tests over real loopback sockets. Every server, socket and relay they
 * open is registered with the test's `after` before it is returned, so a failing assertion never
 * leaves anything open.
 */
import { type Agent, createServer as createHttpServer, type IncomingMessage, request } from "node:http";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import type { TestContext } from "node:test";
import { createRng } from "../generator/rng.ts";
import type { NetworkProfile, RelayTarget } from "./profile.ts";
import { NetworkRelay } from "./relay.ts";

/** A node:http server on 127.0.0.1:0 answering every request with `answer` (default "ok"). */
export async function startHttpServer(
  t: TestContext,
  answer = "ok",
): Promise<{ port: number; requests: () => number }> {
  let requests = 0;
  const server = createHttpServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => res.end(answer));
  });
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  await listen(server);
  return { port: (server.address() as AddressInfo).port, requests: () => requests };
}

/** A TCP server that echoes every byte back and half-closes when its client does. */
export async function startEchoServer(t: TestContext): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.pipe(socket);
  });
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  await listen(server);
  return (server.address() as AddressInfo).port;
}

/** A relay toward 127.0.0.1:`port`, closed after the test. */
export async function startRelay(
  t: TestContext,
  profile: NetworkProfile,
  port: number,
  toward: RelayTarget = "telegram",
): Promise<NetworkRelay> {
  const relay = await NetworkRelay.start({
    profile,
    toward,
    target: { host: "127.0.0.1", port },
    rng: createRng("relay-test"),
  });
  t.after(() => relay.close());
  return relay;
}

/** A raw TCP connection, destroyed after the test; resolves once connected. */
export async function connectTo(t: TestContext, port: number): Promise<Socket> {
  const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
  t.after(() => socket.destroy());
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("close", () => reject(new Error("connection closed before it opened")));
  });
  return socket;
}

/** GET http://127.0.0.1:`port`/ with `agent` (false = a fresh connection); the body and ms taken. */
export function timedGet(
  t: TestContext,
  port: number,
  agent: Agent | false,
): Promise<{ body: string; elapsedMs: number }> {
  const startMs = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent }, (res: IncomingMessage) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ body, elapsedMs: performance.now() - startMs }));
      res.on("error", reject);
    });
    t.after(() => req.destroy());
    req.on("error", reject);
    req.end();
  });
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => resolve());
  });
}
