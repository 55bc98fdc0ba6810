/**
 * How each bot under test receives and handles updates, as far as timing is concerned: when it
 * sends the next getUpdates, how many updates it handles at once, when it answers a webhook POST.
 * Sources: the frameworks' code as summarised in the research notes on frameworks (section 2,
 * "Polling loops", and section 3, "Webhook mode"), and tgbench's echo bots in bench/bots/.
 */

/** The timing-relevant behaviour of a bot. */
export interface BotBehaviour {
  /**
   * When the next getUpdates goes out: `after-batch` once every update of the previous answer is
   * handled (its reply sent and answered); `decoupled` as soon as the answer arrived, handling
   * running beside fetching.
   */
  readonly fetch: "after-batch" | "decoupled";
  /** Updates handled at once (1: one at a time; `Infinity`: all of them). */
  readonly handlerConcurrency: number;
  /** grammY runner: asks for `limit = min(limit, free handler slots)` and waits while none is free. */
  readonly limitByFreeCapacity: boolean;
  /**
   * Short polling's interval T: `between-starts` holds a getUpdates until T after the previous one
   * started (tgbench's pacers, env.mjs `pollPacer`); `after-response` sleeps T after each answer (PTB's `poll_interval`).
   */
  readonly pacing: "between-starts" | "after-response";
  /** Connections the bot's HTTP client keeps to the API (`Infinity`: no cap). */
  readonly apiConnections: number;
  /** Every API call opens a new TCP connection (no built-in bot does: see telegraf's entry). */
  readonly connectionPerCall: boolean;
  /** Webhook: the POST is answered after the handler and its reply (`after-handler`) or at once (`on-receipt`). */
  readonly webhookAck: "after-handler" | "on-receipt";
  /** Webhook: handlers run at once inside the bot (`Infinity`: every POST is handled as it arrives). */
  readonly webhookHandlerConcurrency: number;
  /** Whether it can put its reply in the webhook response (WEBHOOK_REPLY=1). */
  readonly webhookReply: boolean;
}

/**
 * The built-in bots (names as in the subjects registry). A registry, not a switch: a new bot is
 * one entry here.
 */
export const BOT_BEHAVIOURS = {
  /** bench/bots/reference.mjs: `Promise.all` over a batch, then the next poll; undici Pool of 32; 200 after the reply. */
  reference: {
    fetch: "after-batch",
    handlerConcurrency: Number.POSITIVE_INFINITY,
    limitByFreeCapacity: false,
    pacing: "between-starts",
    apiConnections: 32,
    connectionPerCall: false,
    webhookAck: "after-handler",
    webhookHandlerConcurrency: Number.POSITIVE_INFINITY,
    webhookReply: true,
  },
  /** grammY `bot.start()`: one update at a time, next getUpdates after the batch; webhookCallback answers after the middleware. */
  grammy: {
    fetch: "after-batch",
    handlerConcurrency: 1,
    limitByFreeCapacity: false,
    pacing: "between-starts",
    apiConnections: Number.POSITIVE_INFINITY,
    connectionPerCall: false,
    webhookAck: "after-handler",
    webhookHandlerConcurrency: Number.POSITIVE_INFINITY,
    webhookReply: true,
  },
  /** @grammyjs/runner `run(bot)`: fetches as soon as a batch arrives, up to 500 updates in flight, limit = min(free, 100). */
  "grammy-runner": {
    fetch: "decoupled",
    handlerConcurrency: 500,
    limitByFreeCapacity: true,
    pacing: "between-starts",
    apiConnections: Number.POSITIVE_INFINITY,
    connectionPerCall: false,
    webhookAck: "after-handler",
    webhookHandlerConcurrency: Number.POSITIVE_INFINITY,
    webhookReply: false,
  },
  /**
   * telegraf `launch()`: `Promise.all` over a batch, then the next poll. Over http:// telegraf drops
   * its keep-alive https.Agent (core/network/client.js), so node-fetch 2.7 (which sets no
   * `Connection` header) uses Node's global agent, which keeps connections alive since Node 19 and
   * has no socket limit: connections are reused (a default run measured 6–12 API connections for
   * 112–391 replies).
   */
  telegraf: {
    fetch: "after-batch",
    handlerConcurrency: Number.POSITIVE_INFINITY,
    limitByFreeCapacity: false,
    pacing: "between-starts",
    apiConnections: Number.POSITIVE_INFINITY,
    connectionPerCall: false,
    webhookAck: "after-handler",
    webhookHandlerConcurrency: Number.POSITIVE_INFINITY,
    webhookReply: false,
  },
  /** aiogram `start_polling`: one task per update, next getUpdates after yielding the batch; webhook answered at once (background). */
  aiogram: {
    fetch: "decoupled",
    handlerConcurrency: Number.POSITIVE_INFINITY,
    limitByFreeCapacity: false,
    pacing: "between-starts",
    apiConnections: 100,
    connectionPerCall: false,
    webhookAck: "on-receipt",
    webhookHandlerConcurrency: Number.POSITIVE_INFINITY,
    webhookReply: true,
  },
  /** python-telegram-bot `run_polling`: fetching feeds a queue handled one at a time; `poll_interval` after each answer. */
  ptb: {
    fetch: "decoupled",
    handlerConcurrency: 1,
    limitByFreeCapacity: false,
    pacing: "after-response",
    apiConnections: 256,
    connectionPerCall: false,
    webhookAck: "on-receipt",
    webhookHandlerConcurrency: 1,
    webhookReply: false,
  },
} as const satisfies Record<string, BotBehaviour>;

export type BuiltInBotName = keyof typeof BOT_BEHAVIOURS;

export const isBuiltInBotName = (name: string): name is BuiltInBotName => Object.hasOwn(BOT_BEHAVIOURS, name);
