import type autocannon from "autocannon";
import { runAutocannon } from "./autocannon-run.ts";
import { type BotSession, waitForAnswers } from "./bot-session.ts";
import { ClosedLoopReplies } from "./closed-loop-replies.ts";
import { webhookBodies } from "./webhook-bodies.ts";

/** What one closed-loop autocannon run against a bot's webhook measured. */
export interface ClosedLoopResult {
  kind: "closed-loop";
  connections: number;
  durationMs: number;
  /** Requests autocannon completed; of them with a 2xx answer; other answers, errors and timeouts. */
  requests: number;
  responses2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requestsPerSecond: number;
  /** Replies the fake API received and matched to a POSTed update; replies per second of the run. */
  replies: number;
  repliesPerSecond: number;
  /** Updates acknowledged (2xx) but never answered by the end of the drain. */
  unanswered: number;
  /** Bot messages that answered no POSTed update, and second answers to one. */
  unmatchedReplies: number;
  duplicateReplies: number;
  /** autocannon's latency of the webhook POST, whole ms (its histogram's resolution). */
  latencyMs: { p50: number; p99: number; max: number; mean: number };
}

/** The Buffer an autocannon client writes for its current request (autocannon's Client#getRequestBuffer). */
function requestBufferOf(client: autocannon.Client): Buffer {
  const get = (client as unknown as { getRequestBuffer?: () => unknown }).getRequestBuffer;
  const buffer = typeof get === "function" ? get.call(client) : undefined;
  if (!Buffer.isBuffer(buffer))
    throw new Error("autocannon's client has no request buffer to write updates into");
  return buffer;
}

/**
 * Drives the bot's webhook endpoint with autocannon, closed loop (each connection sends its next
 * POST when the previous one is answered): every request a different update (written in place
 * into each connection's request buffer, src/capacity/webhook-bodies.ts), the secret header set.
 * The fake API receives the bot's replies, which are matched to the POSTed updates by their
 * correlation tokens, so "sustained" counts replies, not 200s.
 */
export async function runClosedLoop(
  session: BotSession,
  options: {
    connections: number;
    durationMs: number;
    users: number;
    seed: string;
    drainTimeoutMs: number;
    signal: AbortSignal;
  },
): Promise<ClosedLoopResult> {
  const url = session.api.control.webhookInfo(session.token).url;
  if (url === "") throw new Error(`${session.bot.label} registered no webhook`);
  const secret = session.env.WEBHOOK_SECRET ?? "";
  const bodies = webhookBodies(options.users, options.seed);
  const replies = new ClosedLoopReplies(bodies.seqOfMessageId);
  let nextSeq = 0;
  let clients = 0;
  const setupClient = (client: autocannon.Client) => {
    const slot = bodies.slot(clients++);
    client.setBody(slot.template);
    const buffer = requestBufferOf(client);
    const bodyOffset = buffer.length - slot.template.length;
    if (bodyOffset <= 0 || !buffer.subarray(bodyOffset).equals(slot.template))
      throw new Error("autocannon's client does not keep the request buffer tgbench writes updates into");
    // autocannon emits "request" on the client right before it writes this buffer; with one
    // request in flight per connection the last write has left by then.
    (client as unknown as NodeJS.EventEmitter).on("request", () => {
      const seq = nextSeq++;
      slot.write(buffer, bodyOffset, seq);
      replies.issued(seq, slot.chatId);
    });
  };
  let lastReplyAtMs: number | null = null;
  const onMessage = (e: {
    botId: number;
    message: { chat: { id: number }; text?: string; reply_to_message?: { message_id: number } };
    atMs: number;
  }) => {
    if (e.botId !== session.botId) return;
    if (replies.onReply(e.message.chat.id, e.message.text, e.message.reply_to_message?.message_id))
      lastReplyAtMs = e.atMs;
  };
  session.api.events.on("message", onMessage);
  const startMs = performance.now();
  try {
    const { result, runMs } = await runAutocannon(
      {
        url,
        method: "POST",
        connections: options.connections,
        duration: options.durationMs / 1000,
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        pipelining: 1,
        setupClient,
      },
      options.signal,
    );
    const responses2xx = result["2xx"];
    // Replies to requests still in flight when autocannon stopped may also arrive: wait for those
    // that were acknowledged, within the drain timeout.
    await waitForAnswers(
      session,
      () => replies.answeredCount,
      responses2xx,
      options.drainTimeoutMs,
      options.signal,
    );
    const answered = replies.answeredCount;
    const spanMs = Math.max(runMs, lastReplyAtMs === null ? 0 : lastReplyAtMs - startMs);
    return {
      kind: "closed-loop",
      connections: options.connections,
      durationMs: options.durationMs,
      requests: result.requests.total,
      responses2xx,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      requestsPerSecond: (result.requests.total * 1000) / runMs,
      replies: answered,
      repliesPerSecond: (answered * 1000) / spanMs,
      unanswered: Math.max(0, responses2xx - answered),
      unmatchedReplies: replies.unmatched,
      duplicateReplies: replies.duplicates,
      latencyMs: {
        p50: result.latency.p50,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.average,
      },
    };
  } finally {
    session.api.events.off("message", onMessage);
  }
}
