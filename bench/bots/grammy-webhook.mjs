// @ts-check
/**
 * Echo bot: grammY behind a node:http server with `webhookCallback(bot, "http")`. grammY answers
 * Telegram after the handler finishes; with WEBHOOK_REPLY=1 the reply's sendMessage travels in
 * that response body instead of its own request. Configured by docs/bot-contract.md.
 */
import { BotError, webhookCallback } from "grammy";
import {
  exitOnFailure,
  listen,
  logError,
  logInfo,
  readBotEnv,
  setWebhookOptions,
  stopOnSignals,
  webhookUrlFor,
} from "./env.mjs";
import { createEchoBot } from "./grammy-echo.mjs";
import { createWebhookServer } from "./webhook-server.mjs";

const env = readBotEnv(["webhook"]);
const bot = createEchoBot(
  env,
  env.webhookReply ? { canUseWebhookReply: (method) => method === "sendMessage" } : {},
);

const handleUpdate = webhookCallback(bot, "http", { secretToken: env.webhookSecret });

const { server, stop } = createWebhookServer((req, res) => {
  // grammY's "http" adapter checks neither path nor method, so this does.
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path !== env.webhookPath) return void res.writeHead(404).end();
  if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
  handleUpdate(req, res).catch((/** @type {unknown} */ error) => {
    // webhookCallback never consults bot.catch: middleware errors (and its 10 s timeout) reject
    // here. Answer 500 so Telegram redelivers, and report through the same handler as polling.
    if (!res.headersSent) res.writeHead(500);
    res.end();
    if (error instanceof BotError) return bot.errorHandler(error);
    logError(env, "webhook request failed", error);
  });
});

stopOnSignals(env, stop);

await bot.init().catch(exitOnFailure(env, "getMe failed"));
const port = await listen(server, env.webhookHost, env.webhookPort).catch(
  exitOnFailure(env, "listen failed"),
);
const url = webhookUrlFor(env, port);
await bot.api.setWebhook(url, setWebhookOptions(env)).catch(exitOnFailure(env, "setWebhook failed"));
logInfo(env, `webhook ${url}`);
