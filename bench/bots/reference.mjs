// @ts-check
/**
 * The reference bot: an echo bot written directly on undici, with no framework. It is the floor
 * of every comparison: what a bot costs when almost nothing stands between the HTTP client and
 * the handler, and so what the harness itself costs.
 *
 * Both modes in one file (BOT_MODE=polling|webhook), configured by docs/bot-contract.md:
 * - polling: getUpdates with POLL_TIMEOUT (default 30 s) and, when POLL_INTERVAL_MS is set, that
 *   pause between polls (short polling); a batch is handled concurrently, then the next poll;
 * - webhook: a node:http server that checks the path and secret, handles the update and answers
 *   200 after the reply was sent, or with WEBHOOK_REPLY=1 answers with the sendMessage itself.
 * Replies quote the message (reply_parameters), so the harness matches them exactly.
 */
import { createServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import {
  exitOnFailure,
  listen,
  logError,
  logInfo,
  pollPacer,
  readBotEnv,
  simulateWork,
  stopOnSignals,
  webhookUrlFor,
} from "./env.mjs";

const DEFAULT_POLL_TIMEOUT_SECONDS = 30;
const env = readBotEnv(["polling", "webhook"]);
const api = new Pool(env.apiRoot, { connections: 32, pipelining: 1 });

/**
 * One Bot API call; throws an ApiError for `ok: false`.
 * @param {string} method
 * @param {Record<string, unknown>} params
 * @param {AbortSignal} [signal]
 */
async function call(method, params, signal) {
  const response = await api.request({
    path: `/bot${env.token}/${method}`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
    ...(signal === undefined ? {} : { signal }),
  });
  const body =
    /** @type {{ok: boolean, result?: any, error_code?: number, description?: string, parameters?: {retry_after?: number}}} */ (
      await response.body.json()
    );
  if (!body.ok)
    throw new ApiError(
      method,
      body.error_code ?? response.statusCode,
      body.description ?? "",
      body.parameters?.retry_after,
    );
  return body.result;
}

class ApiError extends Error {
  /**
   * @param {string} method
   * @param {number} code
   * @param {string} description
   * @param {number | undefined} retryAfterSeconds
   */
  constructor(method, code, description, retryAfterSeconds) {
    super(`${method}: ${code} ${description}`);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The reply to an update as a Bot API call, or undefined when there is nothing to answer.
 * @param {any} update
 * @returns {{ method: string, params: Record<string, unknown> } | undefined}
 */
function replyTo(update) {
  const message = update.message;
  if (message !== undefined && typeof message.text === "string") {
    return {
      method: "sendMessage",
      params: {
        chat_id: message.chat.id,
        text: message.text,
        reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
      },
    };
  }
  if (update.callback_query !== undefined) {
    return { method: "answerCallbackQuery", params: { callback_query_id: update.callback_query.id } };
  }
  return undefined;
}

/** @param {any} update */
async function handle(update) {
  const reply = replyTo(update);
  if (reply === undefined) return;
  await simulateWork(env.handlerDelayMs);
  await call(reply.method, reply.params);
}

async function runPolling() {
  const stopped = new AbortController();
  const timeout = env.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
  let offset = 0;
  const pace = pollPacer(env);
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      await pace();
      /** @type {any[]} */
      let updates;
      try {
        updates = await call("getUpdates", { offset, timeout, limit: 100 }, stopped.signal);
      } catch (error) {
        if (stopped.signal.aborted) break;
        if (error instanceof ApiError && (error.code === 401 || error.code === 409)) throw error;
        const waitSeconds =
          error instanceof ApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds : 1;
        logError(env, "getUpdates failed", error);
        await sleep(waitSeconds * 1000);
        continue;
      }
      if (updates.length > 0) offset = updates[updates.length - 1].update_id + 1;
      await Promise.all(
        updates.map((u) => handle(u).catch((e) => logError(env, `update ${u.update_id} failed`, e))),
      );
    }
  })();
  loop.catch(exitOnFailure(env, "polling failed"));
  logInfo(
    env,
    `polling (timeout ${timeout} s${env.pollIntervalMs > 0 ? `, every ${env.pollIntervalMs} ms` : ""})`,
  );
  stopOnSignals(env, async () => {
    stopped.abort();
    await loop.catch(() => {});
    await api.close();
  });
}

async function runWebhook() {
  const server = createServer((req, res) => {
    if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== env.webhookPath) {
      res.writeHead(404).end();
      return;
    }
    if (
      env.webhookSecret !== undefined &&
      req.headers["x-telegram-bot-api-secret-token"] !== env.webhookSecret
    ) {
      res.writeHead(401).end();
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      let update;
      try {
        update = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const reply = replyTo(update);
      if (env.webhookReply && reply !== undefined) {
        simulateWork(env.handlerDelayMs).then(() => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ method: reply.method, ...reply.params }));
        });
        return;
      }
      handle(update).then(
        () => res.writeHead(200).end(),
        (error) => {
          logError(env, `update ${update.update_id} failed`, error);
          res.writeHead(500).end();
        },
      );
    });
  });
  server.keepAliveTimeout = 600_000;
  const port = await listen(server, env.webhookHost, env.webhookPort);
  const url = webhookUrlFor(env, port);
  await call("setWebhook", {
    url,
    ...(env.webhookMaxConnections === undefined ? {} : { max_connections: env.webhookMaxConnections }),
    ...(env.webhookSecret === undefined ? {} : { secret_token: env.webhookSecret }),
  });
  logInfo(env, `webhook at ${url}`);
  stopOnSignals(env, async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
  });
}

(env.mode === "polling" ? runPolling() : runWebhook()).catch(exitOnFailure(env, "start-up failed"));
