/**
 * Defaults of the analytic model's parameters, in one place; `resolve…Params` in
 * `polling-model.ts` is the only code that reads them.
 */
export const MODEL_DEFAULTS = {
  /** Network round trip between the fake API and the bot, in ms. 0 models a loopback link. */
  rttMs: 0,
  /** Time the bot's handler takes per update, in ms (enters webhook concurrency only). */
  handlerMs: 0,
  /** Telegram's default `max_connections` for webhooks (allowed range 1–100). */
  maxConnections: 40,
} as const;
