// @ts-check
/**
 * Echo bot: grammY with its built-in long polling, `bot.start()`. Handles one update at a time and
 * fetches the next batch only after the whole batch is done. Configured by docs/bot-contract.md.
 */
import { Bot } from "grammy";
import {
  exitOnFailure,
  logError,
  logInfo,
  pollPacer,
  readBotEnv,
  simulateWork,
  stopOnSignals,
} from "./env.mjs";

const env = readBotEnv(["polling"]);
const bot = new Bot(env.token, { client: { apiRoot: env.apiRoot } });

bot.on("message:text", async (ctx) => {
  await simulateWork(env.handlerDelayMs);
  await ctx.reply(ctx.message.text);
});
bot.catch((error) => logError(env, `update ${error.ctx.update.update_id} failed`, error.error));

// POLL_INTERVAL_MS (short polling): hold each getUpdates until the interval since the last one ends.
if (env.pollIntervalMs > 0) {
  const pace = pollPacer(env);
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method === "getUpdates") await pace();
    return prev(method, payload, signal);
  });
}

const polling = bot.start({
  ...(env.pollTimeoutSeconds === undefined ? {} : { timeout: env.pollTimeoutSeconds }),
  onStart: () => logInfo(env, "polling"),
});
polling.catch(exitOnFailure(env, "polling failed"));

stopOnSignals(env, async () => {
  // stop() cancels the parked getUpdates and confirms the offset with one last getUpdates;
  // `polling` settles once the update being handled is done.
  await bot.stop();
  await polling;
});
