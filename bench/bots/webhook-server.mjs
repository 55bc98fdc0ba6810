// @ts-check
/**
 * The node:http server of a webhook bot, with a shutdown that neither cuts a handler short nor
 * waits for keep-alive timeouts: on stop it accepts no new connections, answers requests that
 * still arrive on open ones with 503 (Telegram redelivers them later), lets requests in flight
 * finish with `Connection: close`, and drops idle connections at once.
 */
import { createServer } from "node:http";

/**
 * @param {import("node:http").RequestListener} listener
 * @returns {{ server: import("node:http").Server, stop: () => Promise<void> }}
 */
export function createWebhookServer(listener) {
  /** @type {Set<import("node:http").ServerResponse>} */
  const inFlight = new Set();
  let stopping = false;
  const server = createServer((req, res) => {
    if (stopping) return void res.writeHead(503, { connection: "close" }).end();
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    listener(req, res);
  });
  const stop = () =>
    new Promise((/** @type {(value: void) => void} */ resolve) => {
      stopping = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  return { server, stop };
}
