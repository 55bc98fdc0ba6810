import type { BotState } from "./bot-state.ts";
import { monotonicMs } from "./clock.ts";
import type { FakeApiEvents } from "./events.ts";

/**
 * The counters whose growth is announced as it happens (the `counted` event), so that a
 * per-second timeline can bucket traffic by the time it happened instead of sampling the counters
 * on an interval. The others have an event of their own (`request` for getUpdates, `webhookAttempt`
 * and `webhookFailure` for POSTs).
 */
export type CountedTraffic =
  | "emptyGetUpdates"
  | "bytesIn"
  | "bytesOut"
  | "webhookBytesIn"
  | "webhookBytesOut";

/**
 * Adds `amount` to one of the bot's traffic counters and, when someone listens, announces it with
 * the monotonic time. The counter and the event are one call, so they cannot disagree.
 */
export function countTraffic(
  events: FakeApiEvents,
  bot: BotState,
  counter: CountedTraffic,
  amount: number,
): void {
  bot.counters[counter] += amount;
  if (amount !== 0 && events.listenerCount("counted") > 0) {
    events.emit("counted", { botId: bot.id, counter, amount, atMs: monotonicMs() });
  }
}
