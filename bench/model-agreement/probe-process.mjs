// @ts-check
/**
 * The machine probe's other process (bench/model-agreement/probe.ts starts it), a stand-in for a
 * bot: it calls getMe on a fake Bot API (TELEGRAM_API_ROOT, BOT_TOKEN) every 50 ms over a
 * keep-alive connection and times each round trip, does the same through a network relay in front
 * of that API when TELEGRAM_RELAYED_API_ROOT is set (as a relayed cell's bot reaches its fake
 * API), and a timer loop measures how late this
 * process's timers fire (setTimeout of 1, 5, 20 and 50 ms, as a bot's pacing and handler sleeps
 * are). An HTTP server on 127.0.0.1 answers GET /ping at once (the other direction, as a webhook
 * POST) and GET /samples with everything so far as [epoch ms, ms] pairs. It prints its port on
 * stdout and exits when its parent does.
 */
import { createServer } from "node:http";
import { Pool } from "undici";

const DELAYS_MS = [1, 5, 20, 50];
const MAX_SAMPLES = 200_000;
/** @type {Array<[number, number]>} */
let samples = [];
/** @type {Array<[number, number]>} */
let apiRoundTrips = [];
/** @type {Array<[number, number]>} */
let relayedRoundTrips = [];
/**
 * getMe every 50 ms on one keep-alive connection to `root`, each round trip pushed to `take()`.
 * @param {string} root
 * @param {() => Array<[number, number]>} take
 */
const callApi = async (root, take) => {
  const api = new Pool(root, { connections: 1, pipelining: 1 });
  // The first call opens the connection (through a relay: its handshake); it is not a sample.
  let first = true;
  for (;;) {
    const startedMs = performance.now();
    try {
      const response = await api.request({ path: `/bot${process.env.BOT_TOKEN}/getMe`, method: "POST" });
      await response.body.text();
      const out = take();
      if (!first && out.length < MAX_SAMPLES) out.push([Date.now(), performance.now() - startedMs]);
      first = false;
    } catch {
      // the API is gone: the probe is stopping
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
void callApi(process.env.TELEGRAM_API_ROOT ?? "", () => apiRoundTrips);
const relayedRoot = process.env.TELEGRAM_RELAYED_API_ROOT;
if (relayedRoot !== undefined && relayedRoot !== "") void callApi(relayedRoot, () => relayedRoundTrips);
let next = 0;
const tick = () => {
  const delayMs = DELAYS_MS[next++ % DELAYS_MS.length] ?? 1;
  const startedMs = performance.now();
  setTimeout(() => {
    if (samples.length < MAX_SAMPLES) samples.push([Date.now(), performance.now() - startedMs - delayMs]);
    tick();
  }, delayMs);
};
tick();

const server = createServer((req, res) => {
  if (req.url === "/ping") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  if (req.url === "/samples") {
    const body = JSON.stringify({ timers: samples, apiRoundTrips, relayedRoundTrips });
    samples = [];
    apiRoundTrips = [];
    relayedRoundTrips = [];
    return void res.writeHead(200, { "content-type": "application/json" }).end(body);
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 600_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address !== null ? address.port : 0}\n`);
});
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1_000).unref();
process.on("SIGTERM", () => process.exit(0));
