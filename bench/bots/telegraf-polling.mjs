// @ts-check
/**
 * Echo bot: telegraf with long polling, `bot.launch()`. Handles each batch concurrently and fetches
 * the next one only when the whole batch is done. telegraf always asks for `timeout=50`, so
 * POLL_TIMEOUT cannot apply. Configured by docs/bot-contract.md.
 */
import { Telegraf } from "telegraf";
import { message } from "telegraf/filters";
import { exitOnFailure, logError, logInfo, readBotEnv, simulateWork, stopOnSignals } from "./env.mjs";

const env = readBotEnv(["polling"]);
// telegraf's polling loop has no knobs: it always long-polls with timeout=50, back to back.
if (env.pollTimeoutSeconds !== undefined) {
  console.error(`${env.name}: POLL_TIMEOUT is ignored: telegraf always long-polls with timeout=50`);
}
if (env.pollIntervalMs > 0) {
  console.error(`${env.name}: POLL_INTERVAL_MS is ignored: telegraf polls again as soon as a batch is done`);
}
const bot = new Telegraf(env.token, { telegram: { apiRoot: env.apiRoot } });

bot.on(message("text"), async (ctx) => {
  await simulateWork(env.handlerDelayMs);
  await ctx.reply(ctx.message.text);
});
// Replaces telegraf's default handler, which rethrows (and sets exit code 1).
bot.catch((error, ctx) => logError(env, `update ${ctx.update.update_id} failed`, error));

// Resolves when polling stops: after bot.stop() and one last getUpdates that confirms the offset.
const polling = bot.launch(() => logInfo(env, "polling"));
polling.catch(exitOnFailure(env, "polling failed"));

stopOnSignals(env, async () => {
  try {
    bot.stop("signal");
  } catch {
    return; // Still in getMe/deleteWebhook: polling has not started, so there is nothing to stop.
  }
  await polling;
});
