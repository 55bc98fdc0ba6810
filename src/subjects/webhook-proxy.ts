import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { BotProcess, type ExitInfo } from "./bot-process.ts";

const PROXY_SCRIPT = fileURLToPath(new URL("./webhook-proxy-process.mjs", import.meta.url));
/** How long the proxy may take to start listening, ms (it is a few lines of Node). */
const PROXY_START_TIMEOUT_MS = 15_000;
/** SIGTERM → exit grace for the proxy, ms. */
const PROXY_STOP_GRACE_MS = 2_000;

/** What the proxy counted since its last reset. */
export interface WebhookProxyStats {
  requests: number;
  badGateway: number;
  inProxyP50Us: number | null;
  inProxyP99Us: number | null;
}

/** The proxy could not be started. */
export class WebhookProxyError extends Error {
  override readonly name = "WebhookProxyError";
}

/**
 * A reverse proxy on 127.0.0.1 in front of a webhook bot's port (webhook-proxy-process.mjs), run
 * as a process in its own group like a bot, so that it never outlives tgbench and its CPU time can
 * be read apart from everything else.
 */
export class WebhookProxy {
  readonly process: BotProcess;
  /** The port it listens on. */
  readonly port: number;
  #nextId = 1;

  private constructor(process: BotProcess, port: number) {
    this.process = process;
    this.port = port;
  }

  /** Starts a proxy forwarding to `upstreamHost:upstreamPort`; resolves once it listens. */
  static async start(upstreamHost: string, upstreamPort: number): Promise<WebhookProxy> {
    const child = new BotProcess({
      label: "webhook proxy",
      command: { file: process.execPath, args: [PROXY_SCRIPT, upstreamHost, String(upstreamPort)] },
      env: {},
      ipc: true,
    });
    const listening = new Promise<number>((resolve) => {
      child.child.on("message", (m: { type?: string; port?: number }) => {
        if (m.type === "listening" && typeof m.port === "number") resolve(m.port);
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), PROXY_START_TIMEOUT_MS);
    });
    const winner = await Promise.race([listening, child.exited, timeout]).finally(() => clearTimeout(timer));
    if (typeof winner === "number") return new WebhookProxy(child, winner);
    await child.stop(PROXY_STOP_GRACE_MS);
    const why = winner === "timeout" ? `not listening after ${PROXY_START_TIMEOUT_MS} ms` : "exited";
    throw new WebhookProxyError(`the webhook proxy did not start (${why}): ${child.output}`);
  }

  /** The URL Telegram (the fake API) should POST to for `path`. */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Zeroes its counters (at the start of a measurement); resolves with what they were. */
  reset(): Promise<WebhookProxyStats | null> {
    return this.#ask("reset");
  }

  /** Its counters since the last reset; null when it is gone. */
  stats(): Promise<WebhookProxyStats | null> {
    return this.#ask("stats");
  }

  #ask(type: "stats" | "reset"): Promise<WebhookProxyStats | null> {
    if (!this.process.running) return Promise.resolve(null);
    const id = this.#nextId++;
    const answer = new Promise<WebhookProxyStats>((resolve) => {
      const onMessage = (m: WebhookProxyStats & { type?: string; id?: number }) => {
        if (m.type !== "stats" || m.id !== id) return;
        this.process.child.off("message", onMessage);
        resolve({
          requests: m.requests,
          badGateway: m.badGateway,
          inProxyP50Us: m.inProxyP50Us,
          inProxyP99Us: m.inProxyP99Us,
        });
      };
      this.process.child.on("message", onMessage);
    });
    this.process.child.send({ type, id });
    return Promise.race([answer, this.process.exited.then(() => null)]);
  }

  stop(): Promise<ExitInfo> {
    return this.process.stop(PROXY_STOP_GRACE_MS);
  }
}

/**
 * A TCP port that was free a moment ago on `host`, for a bot behind the proxy (which must know the
 * bot's port before the bot starts). Another process could take it in between, as with any
 * reverse-proxy configuration; the bot would then fail to listen and say so.
 */
export async function freePort(host: string): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}
