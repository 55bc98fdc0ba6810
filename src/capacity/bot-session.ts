import { type FakeApi, startFakeApi } from "../fake-api/index.ts";
import type { Cell, ResolvedScenario } from "../runner/scenario.ts";
import { subjectLaunchSpec } from "../runner/subject-launch.ts";
import { type BotProcess, launchBot } from "../subjects/bot-process.ts";

/** Bot ids of saturate's sessions: apart from the runner's (7_000_000 …). */
const BOT_ID = 8_100_000;
const POLL_MS = 20;

/** A fresh fake API with one bot started against it, through the runner's launch code. */
export interface BotSession {
  readonly api: FakeApi;
  readonly bot: BotProcess;
  readonly token: string;
  readonly botId: number;
  /** The environment the bot was given (WEBHOOK_SECRET …). */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the bot, then closes the fake API; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a fake API and the cell's bot (webhook: the bot registers its own URL, `direct` front).
 * Everything it started is stopped when it throws.
 */
export async function startBotSession(
  scenario: ResolvedScenario,
  cell: Cell,
  signal: AbortSignal,
): Promise<BotSession> {
  const api = await startFakeApi({
    antiBusyLoop: scenario.antiBusyLoop,
    callLogCapacity: 256,
    messagesKeptPerChat: 16,
  });
  const token = `${BOT_ID}:tgbench-saturate`;
  const spec = subjectLaunchSpec(scenario, cell, token, api.apiRoot);
  let bot: BotProcess | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      api.control.setAntiBusyLoop(false);
      await bot?.stop(scenario.stopGraceMs);
      await api.close();
    })();
    return closing;
  };
  try {
    bot = await launchBot(spec, api, { signal });
  } catch (error: unknown) {
    await close();
    throw error;
  }
  return { api, bot, token, botId: BOT_ID, env: spec.env, close };
}

/**
 * One text from every user (in their private chat) through the fake API, answered before
 * measuring: the chats exist, connections are open, code is hot. Counters are zeroed after.
 */
export async function warmUpChats(
  session: BotSession,
  users: number,
  firstUserId: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const { api, token } = session;
  for (let i = 0; i < users; i++)
    api.control.injectText(token, { text: `warm-up ${i}`, from: { id: firstUserId + i } });
  const deadline = performance.now() + timeoutMs;
  const webhook = api.control.webhookInfo(token).url !== "";
  const settled = () => {
    const c = api.control.counters(token);
    return c.messagesSent >= users && (!webhook || api.control.webhookInfo(token).pending_update_count === 0);
  };
  while (!settled()) {
    if (signal.aborted) throw new Error("cancelled");
    if (!session.bot.running) throw new Error(`${session.bot.label} exited during the warm-up`);
    if (performance.now() > deadline)
      throw new Error(`${session.bot.label}: warm-up not answered in ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
  api.control.reset(token);
}

/**
 * Waits until `answered()` reaches `expected`, `timeoutMs` passes, `signal` aborts or the bot is
 * gone (the drain after a closed-loop run); returns `answered()` then.
 */
export async function waitForAnswers(
  session: BotSession,
  answered: () => number,
  expected: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (answered() < expected && performance.now() < deadline && !signal.aborted && session.bot.running)
    await sleep(POLL_MS);
  return answered();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
