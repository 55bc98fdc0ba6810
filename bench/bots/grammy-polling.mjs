// @ts-check
/**
 * Echo bot: grammY with its built-in long polling, `bot.start()`. Handles one update at a time and
 * fetches the next batch only after the whole batch is done. Configured by docs/bot-contract.md.
 */
import { exitOnFailure, logInfo, readBotEnv, stopOnSignals } from "./env.mjs";
import { createEchoBot, pacePolling } from "./grammy-echo.mjs";

const env = readBotEnv(["polling"]);
const bot = createEchoBot(env);
pacePolling(bot, env);

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
