/** How a bot's concurrency shows in its closed-loop capacity with a handler delay. */
export interface ConcurrencyVerdict {
  /** 1 / handler time: the most a bot that handles one update at a time can answer, per second. */
  oneAtATimePerSecond: number | null;
  measuredPerSecond: number;
  /** Updates in the handler at once on average (Little's law: rate × handler time); null without a delay. */
  meanInHandler: number | null;
  kind: "no-delay" | "one-at-a-time" | "concurrent" | "below-one-at-a-time";
  verdict: string;
}

/** Measured / (1 / handler time) at or above this: concurrent; below `belowOneAtATime`: slower still. */
const RATIO = { concurrent: 1.5, belowOneAtATime: 0.5 } as const;

/**
 * A bot that handles one update at a time cannot answer more than 1 / handler time per second;
 * one that handles updates concurrently can. The closed-loop figure against that bound says
 * which, and Little's law says how many at once on average.
 */
export function concurrencyVerdict(input: {
  mode: string;
  handlerDelayMs: number;
  measuredPerSecond: number;
  /** autocannon's connections in webhook mode; null for a polling drain. */
  connections: number | null;
}): ConcurrencyVerdict {
  const { mode, handlerDelayMs, measuredPerSecond } = input;
  const measured = `${measuredPerSecond.toFixed(1)}/s`;
  if (handlerDelayMs <= 0) {
    return {
      oneAtATimePerSecond: null,
      measuredPerSecond,
      meanInHandler: null,
      kind: "no-delay",
      verdict:
        "No handler delay: the knee is set by the framework's and the harness's per-update cost, not by a handler's wait. Run with --handler-delay-ms to see the framework's concurrency.",
    };
  }
  const bound = 1000 / handlerDelayMs;
  const ratio = measuredPerSecond / bound;
  const meanInHandler = (measuredPerSecond * handlerDelayMs) / 1000;
  const prefix = `The bot answered ${measured} in the closed loop with a ${handlerDelayMs} ms handler; one update at a time allows at most ${bound.toFixed(1)}/s (1 / ${handlerDelayMs} ms)`;
  const base = { oneAtATimePerSecond: bound, measuredPerSecond, meanInHandler };
  if (ratio >= RATIO.concurrent) {
    const how =
      mode === "webhook"
        ? ` Through a webhook each connection carries one update at a time, so the concurrency is at most the connections open to the bot (here autocannon's ${input.connections ?? "?"}; Telegram opens up to setWebhook's max_connections, 40 by default).`
        : " In polling mode this is the framework handling the updates of a getUpdates batch together.";
    return {
      ...base,
      kind: "concurrent",
      verdict: `${prefix}; it answered ${ratio.toFixed(1)}× that: it handles updates concurrently, about ${meanInHandler.toFixed(1)} at once on average (Little's law: ${measured} × ${handlerDelayMs} ms), so its concurrency limit and CPU set the knee, not the handler time alone.${how}`,
    };
  }
  if (ratio >= RATIO.belowOneAtATime) {
    return {
      ...base,
      kind: "one-at-a-time",
      verdict: `${prefix}; it answered about that (${ratio.toFixed(2)}×): it handles updates one at a time, so the handler time sets the knee near ${bound.toFixed(1)}/s.`,
    };
  }
  return {
    ...base,
    kind: "below-one-at-a-time",
    verdict: `${prefix}; it answered only ${ratio.toFixed(2)}× that: something other than the handler's wait limits it (its per-update cost, the harness, or a stalled bot).`,
  };
}
