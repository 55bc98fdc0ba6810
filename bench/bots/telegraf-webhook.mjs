// @ts-check
/**
 * Echo bot: telegraf behind a node:http server with `bot.webhookCallback(path, { secretToken })`,
 * which checks method, path and secret (403 otherwise) and answers after the handler finishes.
 * `launch({ webhook })` is not used because it always registers an https:// URL. telegraf's
 * webhook reply never covers sendMessage, so WEBHOOK_REPLY=1 changes nothing for this echo bot.
 * Configured by docs/bot-contract.md.
 */
import { Telegraf } from "telegraf";
import { message } from "telegraf/filters";
import {
  exitOnFailure,
  listen,
  logError,
  logInfo,
  readBotEnv,
  setWebhookOptions,
  simulateWork,
  stopOnSignals,
  webhookUrlFor,
} from "./env.mjs";
import { createWebhookServer } from "./webhook-server.mjs";

const env = readBotEnv(["webhook"]);
if (env.webhookReply) {
  console.error(
    `${env.name}: WEBHOOK_REPLY=1 has no effect: telegraf never sends sendMessage as a webhook reply`,
  );
}
const bot = new Telegraf(env.token, {
  telegram: { apiRoot: env.apiRoot, webhookReply: env.webhookReply },
});

bot.on(message("text"), async (ctx) => {
  await simulateWork(env.handlerDelayMs);
  await ctx.reply(ctx.message.text);
});
// Replaces telegraf's default handler, which rethrows (and sets exit code 1).
bot.catch((error, ctx) => logError(env, `update ${ctx.update.update_id} failed`, error));

const { server, stop } = createWebhookServer(
  bot.webhookCallback(
    env.webhookPath,
    env.webhookSecret === undefined ? {} : { secretToken: env.webhookSecret },
  ),
);

stopOnSignals(env, stop);

bot.botInfo = await bot.telegram.getMe().catch(exitOnFailure(env, "getMe failed"));
const port = await listen(server, env.webhookHost, env.webhookPort).catch(
  exitOnFailure(env, "listen failed"),
);
const url = webhookUrlFor(env, port);
await bot.telegram.setWebhook(url, setWebhookOptions(env)).catch(exitOnFailure(env, "setWebhook failed"));
logInfo(env, `webhook ${url}`);
