import { createUpdateStream } from "../generator/index.ts";
import { type BotSession, sleep } from "./bot-session.ts";

/** How fast a polling bot drained a prefilled queue through getUpdates. */
export interface DrainResult {
  kind: "drain";
  prefilled: number;
  replies: number;
  /** From the prefill to the last reply, ms (or to the drain timeout). */
  drainMs: number;
  repliesPerSecond: number;
  getUpdatesCalls: number;
}

/**
 * Queues `count` text updates at once in the fake API (from the generator's update factory) and
 * measures how fast the polling bot answers them all: replies per second until the last reply.
 */
export async function runPollingDrain(
  session: BotSession,
  options: { count: number; users: number; seed: string; drainTimeoutMs: number; signal: AbortSignal },
): Promise<DrainResult> {
  const { api, token } = session;
  const stream = createUpdateStream(
    {
      arrivals: { process: "constant", ratePerSecond: 1, maxCount: options.count },
      population: { users: options.users, groups: 0 },
      mix: { text: 1 },
    },
    options.seed,
  );
  let lastReplyAtMs: number | null = null;
  let replies = 0;
  const onMessage = (e: { botId: number; atMs: number }) => {
    if (e.botId !== session.botId) return;
    replies++;
    lastReplyAtMs = e.atMs;
  };
  api.events.on("message", onMessage);
  try {
    const startMs = performance.now();
    for (const spec of stream) {
      if (spec.kind === "text")
        api.control.injectText(token, { text: spec.text, from: spec.from, chat: spec.chat });
    }
    const deadline = startMs + options.drainTimeoutMs;
    while (
      replies < options.count &&
      performance.now() < deadline &&
      !options.signal.aborted &&
      session.bot.running
    ) {
      await sleep(10);
    }
    const drainMs = (lastReplyAtMs ?? performance.now()) - startMs;
    return {
      kind: "drain",
      prefilled: options.count,
      replies,
      drainMs,
      repliesPerSecond: drainMs > 0 ? (replies * 1000) / drainMs : 0,
      getUpdatesCalls: api.control.counters(token).getUpdatesCalls,
    };
  } finally {
    api.events.off("message", onMessage);
  }
}
