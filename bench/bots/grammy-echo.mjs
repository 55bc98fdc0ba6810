// @ts-check
/**
 * The grammY echo bot all three grammY scripts share: the bot, its handler and error reporting,
 * and short-polling pacing. The scripts differ only in how updates reach it (bot.start, the
 * runner, a webhook).
 */
import { Bot } from "grammy";
import { logError, pollPacer, simulateWork } from "./env.mjs";

/**
 * A grammY bot that answers every text message with the same text (after HANDLER_DELAY_MS).
 * @param {import("./env.mjs").BotEnv} env
 * @param {Omit<import("grammy").ApiClientOptions, "apiRoot">} [client] extra client options
 */
export function createEchoBot(env, client = {}) {
  const bot = new Bot(env.token, { client: { ...client, apiRoot: env.apiRoot } });
  bot.on("message:text", async (ctx) => {
    await simulateWork(env.handlerDelayMs);
    await ctx.reply(ctx.message.text);
  });
  bot.catch((error) => logError(env, `update ${error.ctx.update.update_id} failed`, error.error));
  return bot;
}

/**
 * POLL_INTERVAL_MS (short polling): an API transformer that holds each getUpdates until the
 * interval since the previous one started has passed. Does nothing when the interval is 0.
 * @param {Bot} bot
 * @param {import("./env.mjs").BotEnv} env
 */
export function pacePolling(bot, env) {
  if (env.pollIntervalMs <= 0) return;
  const pace = pollPacer(env);
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method === "getUpdates") await pace();
    return prev(method, payload, signal);
  });
}
