// @ts-check
/**
 * Echo bot: grammY with @grammyjs/runner, `run(bot)`. Fetches the next batch as soon as one arrives
 * and handles up to 500 updates concurrently, with no per-chat ordering. Configured by
 * docs/bot-contract.md.
 */
import { run } from "@grammyjs/runner";
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

const runner = run(bot, {
  runner: env.pollTimeoutSeconds === undefined ? {} : { fetch: { timeout: env.pollTimeoutSeconds } },
});
runner.task()?.catch(exitOnFailure(env, "runner failed"));
logInfo(env, "polling");

stopOnSignals(env, async () => {
  // Until getMe has answered the runner only waits on it, and cannot cancel it: nothing to stop.
  if (!bot.isInited()) return;
  // Cancels the parked getUpdates. Unlike bot.stop(), the runner sends no final getUpdates: the
  // offset was already confirmed by the request it cancels.
  if (runner.isRunning()) await runner.stop();
});
