// @ts-check
/**
 * The reverse proxy tgbench puts in front of a webhook bot with `--webhook-front proxy`, as nginx
 * or a load balancer sits in front of one in production. It runs as its own process (so that its
 * CPU time is measured apart from the harness's and the bot's) and is plain JavaScript, so that
 * no TypeScript loader adds to what it costs.
 *
 * - It listens on 127.0.0.1 before the bot starts, so Telegram's check of the webhook URL (a
 *   first TCP connection) succeeds even for a bot that calls setWebhook before its own server
 *   listens;
 * - it answers 502 Bad Gateway while the bot does not accept connections (Telegram retries);
 * - otherwise it forwards each POST (method, path, headers, body) to the bot and relays the answer.
 *
 * Usage: node webhook-proxy-process.mjs <upstream host> <upstream port>, with an IPC channel:
 * it sends {type: "listening", port} once it listens, answers {type: "stats", id} with its counts
 * and the time requests spent in it, and {type: "reset", id} the same before it zeroes them; it
 * exits when the channel closes
 * (tgbench is gone) or on SIGTERM.
 */
import { createServer } from "node:http";
import { Pool } from "undici";

const [upstreamHost = "127.0.0.1", upstreamPort = "0"] = process.argv.slice(2);
/** Telegram opens at most 100 connections per webhook (max_connections). */
const UPSTREAM_CONNECTIONS = 100;
/** Durations kept for the percentiles; beyond this, only counted. */
const DURATIONS_KEPT = 2_000_000;
/** Headers that concern one connection, never forwarded (RFC 9110 §7.6.1), and the length we recompute. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

const upstream = new Pool(
  `http://${upstreamHost.includes(":") ? `[${upstreamHost}]` : upstreamHost}:${upstreamPort}`,
  {
    connections: UPSTREAM_CONNECTIONS,
    pipelining: 1,
  },
);

let requests = 0;
let badGateway = 0;
/** µs spent in the proxy per request (receiving, relaying), the bot's own time left out. */
let inProxyUs = new Float64Array(1024);
let kept = 0;

/** @param {import("node:http").IncomingHttpHeaders | Record<string, string | string[] | undefined>} headers */
function endToEndHeaders(headers) {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

/** @param {number} us */
function record(us) {
  if (kept >= DURATIONS_KEPT) return;
  if (kept === inProxyUs.length) {
    const grown = new Float64Array(inProxyUs.length * 2);
    grown.set(inProxyUs);
    inProxyUs = grown;
  }
  inProxyUs[kept++] = us;
}

const server = createServer(async (req, res) => {
  const receivedAtMs = performance.now();
  requests++;
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const forwardedAtMs = performance.now();
  let status;
  let headers;
  let answer;
  try {
    const response = await upstream.request({
      method: /** @type {import("undici").Dispatcher.HttpMethod} */ (req.method ?? "POST"),
      path: req.url ?? "/",
      headers: endToEndHeaders(req.headers),
      body,
    });
    answer = Buffer.from(await response.body.arrayBuffer());
    status = response.statusCode;
    headers = endToEndHeaders(response.headers);
  } catch {
    // The bot does not listen yet (or closed the connection): as nginx does, 502.
    badGateway++;
    status = 502;
    headers = { "content-type": "text/plain" };
    answer = Buffer.from("Bad Gateway");
  }
  const relayedAtMs = performance.now();
  res.writeHead(status, headers);
  res.end(answer, () => {
    record((forwardedAtMs - receivedAtMs + (performance.now() - relayedAtMs)) * 1000);
  });
});
server.keepAliveTimeout = 500_000;

/** @param {number} p @param {Float64Array} sorted */
const percentile = (p, sorted) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

process.on("message", (/** @type {{type: string, id?: number}} */ message) => {
  if (message.type !== "stats" && message.type !== "reset") return;
  const sorted = inProxyUs.slice(0, kept).sort();
  process.send?.({
    type: "stats",
    id: message.id,
    requests,
    badGateway,
    inProxyP50Us: percentile(50, sorted),
    inProxyP99Us: percentile(99, sorted),
  });
  if (message.type === "reset") {
    requests = 0;
    badGateway = 0;
    kept = 0;
  }
});

function stop() {
  server.closeAllConnections();
  server.close();
  void upstream.destroy().finally(() => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("disconnect", stop);

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({
    type: "listening",
    port: typeof address === "object" && address !== null ? address.port : 0,
  });
});
