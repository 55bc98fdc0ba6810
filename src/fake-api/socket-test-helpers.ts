/**
 * Helpers for the fake API's tests over real sockets: raw HTTP/1.1 exchanges (so a test controls
 * every byte, broken ones included), a webhook receiver, and bounded waits. Everything a helper
 * starts is registered with the test for clean-up before it is returned.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import type { TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type FakeApi, type FakeApiOptions, startFakeApi } from "./index.ts";

/**
 * Starts a fake API on 127.0.0.1:0 that is closed when the test ends. Retries are quick; the
 * delivery timeout is long enough that a loaded machine never turns a delivery into a retry.
 */
export async function apiFor(t: TestContext, options: FakeApiOptions = {}): Promise<FakeApi> {
  const api = await startFakeApi({
    webhookRetryTimeScale: 0.01,
    webhookDeliveryTimeoutMs: 10_000,
    ...options,
  });
  t.after(() => api.close());
  return api;
}

export const portOf = (api: FakeApi): number => Number(new URL(api.apiRoot).port);

/** One HTTP response as it came off the socket. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Status line, headers and body, exactly as received. */
  bytes: number;
}

/**
 * A raw client connection: write any bytes, read responses one by one (Content-Length bodies),
 * see when the server closes it. Destroyed when the test ends.
 */
export class RawConnection {
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #closed = false;
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
  }

  static async open(t: TestContext, port: number): Promise<RawConnection> {
    const socket = connect(port, "127.0.0.1");
    t.after(() => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new RawConnection(socket);
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** The next complete response; rejects when the connection closes first. */
  async nextResponse(): Promise<RawResponse> {
    for (;;) {
      const parsed = this.#take();
      if (parsed !== undefined) return parsed;
      if (this.#closed)
        throw new Error(`connection closed; unparsed: ${this.#buffer.toString().slice(0, 200)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolves once the server has closed the connection. */
  async untilClosed(): Promise<void> {
    while (!this.#closed) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #take(): RawResponse | undefined {
    const headEnd = this.#buffer.indexOf("\r\n\r\n");
    if (headEnd === -1) return undefined;
    const head = this.#buffer.subarray(0, headEnd).toString("latin1").split("\r\n");
    const status = Number(head[0]!.split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    const total = headEnd + 4 + length;
    if (this.#buffer.length < total) return undefined;
    const body = this.#buffer.subarray(headEnd + 4, total).toString("utf8");
    this.#buffer = this.#buffer.subarray(total);
    return { status, headers, body, bytes: total };
  }
}

/** A request as raw bytes: `Host` and (with a body) `Content-Length` filled in unless given. */
export function rawRequest(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body: string | Buffer = "",
): Buffer {
  const bodyBytes = typeof body === "string" ? Buffer.from(body) : body;
  const all: Record<string, string> = { host: "127.0.0.1", ...headers };
  const named = Object.keys(all).map((k) => k.toLowerCase());
  if (bodyBytes.length > 0 && !named.includes("content-length") && !named.includes("transfer-encoding")) {
    all["content-length"] = String(bodyBytes.length);
  }
  const head = `${method} ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), bodyBytes]);
}

/** How a receiver answers one webhook POST (it must end or destroy `res`, or never answer). */
export type Respond = (update: { update_id: number }, res: ServerResponse, req: IncomingMessage) => void;

/** A webhook receiver on 127.0.0.1:0, closed (connections too) when the test ends. */
export class Receiver {
  readonly deliveries: Array<{ updateId: number; headers: IncomingMessage["headers"] }> = [];
  respond: Respond;
  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const update = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { update_id: number };
      this.deliveries.push({ updateId: update.update_id, headers: req.headers });
      this.respond(update, res, req);
    });
  });

  private constructor(respond: Respond) {
    this.respond = respond;
  }

  /** `owner` is a test's context, or `{ after }` of node:test for a receiver a whole suite shares. */
  static async start(
    owner: { after: (fn: () => Promise<void>) => unknown },
    respond: Respond,
  ): Promise<Receiver> {
    const receiver = new Receiver(respond);
    owner.after(() => receiver.close());
    await new Promise<void>((resolve) => receiver.#server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  /** The receiver's URL; `userinfo` goes before the host as written. */
  url(userinfo = ""): string {
    const port = (this.#server.address() as AddressInfo).port;
    return `http://${userinfo === "" ? "" : `${userinfo}@`}127.0.0.1:${port}/hook`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** Polls `condition` every 5 ms; fails after `timeoutMs` (generous: this is a bound on a hang, not a speed). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadlineMs = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadlineMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** A Bot API call over a real socket with a JSON body. */
export async function callOverHttp(api: FakeApi, token: string, method: string, params: object = {}) {
  const response = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      ok: boolean;
      result?: unknown;
      description?: string;
      error_code?: number;
    },
  };
}

/** A URL on 127.0.0.1 that nothing listens on: a port the OS handed out and that was then closed. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/closed`;
}
