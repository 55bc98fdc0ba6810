/**
 * Helpers for the fake API's webhook tests, which run over real sockets: a receiver standing in
 * for the bot's webhook, Bot API calls over sockets, bounded waits. Each test uses its own bot
 * token (`nextToken`), because setWebhook with a URL is limited to once a second per bot and 409s
 * closer than 3 s apart are delayed.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";
import { waitUntil } from "../testing/index.ts";
import {
  type FakeApi,
  type FakeApiEventMap,
  type FakeApiOptions,
  startFakeApi,
  type Update,
} from "./index.ts";

/** One POST the receiver got. */
export interface Delivery {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  update: Update;
  atMs: number;
  /** 1 for the first POST of this update_id, 2 for its first retry … */
  attempt: number;
}

/** How the receiver answers one POST; it must end (or destroy) `res` eventually, or never. */
export type Respond = (delivery: Delivery, res: ServerResponse) => void;

export const answer200: Respond = (_delivery, res) => res.end();

/** A tiny node:http server on 127.0.0.1:0 that records every delivery and answers via `respond`. */
export class Receiver {
  readonly deliveries: Delivery[] = [];
  respond: Respond;
  inFlight = 0;
  maxInFlight = 0;
  readonly #attempts = new Map<number, number>();
  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const update = JSON.parse(rawBody) as Update;
      const attempt = (this.#attempts.get(update.update_id) ?? 0) + 1;
      this.#attempts.set(update.update_id, attempt);
      const delivery: Delivery = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        update,
        atMs: performance.now(),
        attempt,
      };
      this.deliveries.push(delivery);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.once("close", () => this.inFlight--);
      this.respond(delivery, res);
    });
  });

  private constructor(respond: Respond) {
    this.respond = respond;
  }

  /** Starts a receiver and closes it (and every connection to it) when the test ends. */
  static async start(t: TestContext | undefined, respond: Respond = answer200): Promise<Receiver> {
    const receiver = new Receiver(respond);
    await new Promise<void>((resolve) => receiver.#server.listen(0, "127.0.0.1", resolve));
    if (t !== undefined) t.after(() => receiver.close());
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  /** Deliveries of one update, in arrival order. */
  attemptsOf(updateId: number): Delivery[] {
    return this.deliveries.filter((d) => d.update.update_id === updateId);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * A receiver's answer that holds every POST until the test answers it, so that a test about
 * concurrency sees the requests that are in flight together instead of betting on how long a
 * request takes (`respond` is the receiver's Respond).
 */
export class HeldPosts {
  readonly #held: { delivery: Delivery; res: ServerResponse }[] = [];
  readonly respond: Respond = (delivery, res) => {
    this.#held.push({ delivery, res });
  };

  /**
   * `waves` times: waits until `width` POSTs are held at once, hands them to `check`, and answers
   * them all with 200.
   */
  async answerInWaves(width: number, waves: number, check: (wave: Delivery[]) => void = () => {}) {
    for (let wave = 1; wave <= waves; wave++) {
      await waitFor(() => this.#held.length >= width, `wave ${wave}: ${width} POSTs in flight at once`);
      const answered = this.#held.splice(0);
      check(answered.map((h) => h.delivery));
      for (const { res } of answered) res.end();
    }
  }
}

export interface Envelope {
  ok: boolean;
  result?: unknown;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

/** A Bot API call over a real socket (JSON body). */
export async function call(
  api: FakeApi,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
) {
  const response = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Envelope };
}

/** setWebhook that must succeed. */
export async function setWebhook(
  api: FakeApi,
  token: string,
  params: Record<string, unknown>,
): Promise<void> {
  const { body } = await call(api, token, "setWebhook", params);
  assert.equal(body.ok, true, `setWebhook failed: ${body.description}`);
}

/** Waits until `condition` holds (see waitUntil: the deadline only turns a hang into a message). */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  await waitUntil(what, condition);
}

/** Records events of one kind for the rest of the test. */
export function record<K extends keyof FakeApiEventMap>(api: FakeApi, name: K): FakeApiEventMap[K][0][] {
  const seen: FakeApiEventMap[K][0][] = [];
  const listener = (payload: FakeApiEventMap[K][0]) => seen.push(payload);
  api.events.on(name, listener as never);
  return seen;
}

/** A fresh, well-formed token per call: setWebhook limits and 409 spacing are per bot. */
export const nextToken = (() => {
  let botId = 7_000_000;
  return () => `${botId++}:webhook-test`;
})();

/** A user writes `text` in their private chat (chat id = user id). */
export const inject = (api: FakeApi, token: string, chatId: number, text = "hi"): Update =>
  api.control.injectText(token, { text, from: { id: chatId }, chat: { id: chatId } })!;

/**
 * Starts a fake API that is closed when the test ends. Retries are scaled down (1 s → 10 ms); the
 * delivery timeout stays Telegram's (a short one would turn a slow answer on a loaded machine into
 * a failure), so the tests about timeouts set their own.
 */
export async function apiFor(t: TestContext, options: FakeApiOptions = {}): Promise<FakeApi> {
  const api = await startFakeApi({ webhookRetryTimeScale: 0.01, ...options });
  t.after(() => api.close());
  return api;
}

/** A port on 127.0.0.1 nobody listens on (bound by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
