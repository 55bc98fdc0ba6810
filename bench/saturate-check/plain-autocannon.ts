import { runAutocannon } from "../../src/capacity/autocannon-run.ts";
import { type BotSession, waitForAnswers } from "../../src/capacity/bot-session.ts";
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
  const { result, runMs } = await runAutocannon(
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
    options.signal,
  );
  const sent = () => session.api.control.counters(session.token).messagesSent;
  const replies = await waitForAnswers(session, sent, result["2xx"], options.drainTimeoutMs, options.signal);
  return {
    requests: result.requests.total,
    responses2xx: result["2xx"],
    failed: result.errors + result.timeouts + result.non2xx,
    requestsPerSecond: (result.requests.total * 1000) / runMs,
    replies,
  };
}
