import autocannon from "autocannon";
import type { BotSession } from "../../src/capacity/bot-session.ts";
import { webhookBodies } from "../../src/capacity/webhook-bodies.ts";

/** What a plain autocannon run against the bot's webhook measured. */
export interface PlainRun {
  requests: number;
  responses2xx: number;
  failed: number;
  /** Completed requests per second of the run's wall time (as saturate's closed loop divides). */
  requestsPerSecond: number;
  /** sendMessage calls the fake API received for this run (by the end of the drain). */
  replies: number;
}

/**
 * autocannon on its own, as a user would run it: one fixed, well-formed text update (the first of
 * saturate's own bodies, so the same chat and shape) POSTed over and over with the secret header,
 * no per-request hook, no reply matching. The fake API still counts the bot's replies.
 */
export async function runPlainAutocannon(
  session: BotSession,
  options: {
    connections: number;
    durationMs: number;
    users: number;
    drainTimeoutMs: number;
    signal: AbortSignal;
  },
): Promise<PlainRun> {
  const url = session.api.control.webhookInfo(session.token).url;
  const bodies = webhookBodies(options.users, "saturate-check/plain");
  const body = bodies.render(bodies.slot(0), 0);
  session.api.control.reset(session.token);
  const startMs = performance.now();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        method: "POST",
        connections: options.connections,
        duration: options.durationMs / 1000,
        headers: {
          "content-type": "application/json",
          "x-telegram-bot-api-secret-token": session.env.WEBHOOK_SECRET ?? "",
        },
        body,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  const stop = () => instance?.stop();
  options.signal.addEventListener("abort", stop, { once: true });
  const result = await finished.finally(() => options.signal.removeEventListener("abort", stop));
  const runMs = performance.now() - startMs;
  const replies = await settledReplies(session, result["2xx"], options.drainTimeoutMs, options.signal);
  return {
    requests: result.requests.total,
    responses2xx: result["2xx"],
    failed: result.errors + result.timeouts + result.non2xx,
    requestsPerSecond: (result.requests.total * 1000) / runMs,
    replies,
  };
}

/** Waits until the fake API has the replies to `expected` updates (or the timeout); returns the count. */
async function settledReplies(
  session: BotSession,
  expected: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const sent = () => session.api.control.counters(session.token).messagesSent;
  while (sent() < expected && performance.now() < deadline && !signal.aborted && session.bot.running)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return sent();
}
