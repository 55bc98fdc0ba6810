// @ts-check
/**
 * Echo bot: grammY with @grammyjs/runner, `run(bot)`. Fetches the next batch as soon as one arrives
 * and handles up to 500 updates concurrently, with no per-chat ordering. Configured by
 * docs/bot-contract.md.
 */
import { run } from "@grammyjs/runner";
import { exitOnFailure, logInfo, readBotEnv, stopOnSignals } from "./env.mjs";
import { createEchoBot, pacePolling } from "./grammy-echo.mjs";

const env = readBotEnv(["polling"]);
const bot = createEchoBot(env);
pacePolling(bot, env);

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
