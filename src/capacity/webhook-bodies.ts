import { correlationToken, createUpdateStream, type UpdateSpec } from "../generator/index.ts";
import type { TrackedUpdate } from "../metrics/reply-matcher-types.ts";

/** One webhook POST body and what the reply matcher needs to recognise its reply. */
export interface WebhookBody {
  body: string;
  tracked: TrackedUpdate;
}

/** Bodies before the stream starts again (with fresh ids and tokens). */
const STREAM_LENGTH = 1_000_000;
/** update_ids of the closed loop start here, far above those the fake API assigned in the warm-up. */
const UPDATE_ID_BASE = 500_000_000;
/** message_ids of the closed loop's user messages (the fake API never saw them: replies quote by text). */
const MESSAGE_ID_BASE = 1_000_000;

/**
 * Telegram-shaped text updates, each different, from the generator's update factory (text only,
 * users in private chats), for autocannon to POST to a bot's webhook: unbounded and lazy, one
 * body per call. The user and chat fields follow the fake API's own update objects.
 */
export function webhookBodies(users: number, seed: string): () => WebhookBody {
  const stream = createUpdateStream(
    {
      arrivals: { process: "constant", ratePerSecond: 1, maxCount: STREAM_LENGTH },
      population: { users, groups: 0 },
      mix: { text: 1 },
    },
    seed,
  );
  let iterator = stream[Symbol.iterator]();
  let seq = 0;
  return () => {
    let next = iterator.next();
    if (next.done === true) {
      iterator = stream[Symbol.iterator]();
      next = iterator.next();
    }
    const spec = next.value as UpdateSpec;
    const n = seq++;
    const updateId = UPDATE_ID_BASE + n;
    const messageId = MESSAGE_ID_BASE + n;
    const text = spec.kind === "text" ? spec.text : correlationToken(n);
    // The stream repeats its sequence numbers when restarted: the token must be this body's own.
    const token = correlationToken(n);
    const from = { is_bot: false, first_name: `User ${spec.from.id}`, ...spec.from };
    const update = {
      update_id: updateId,
      message: {
        message_id: messageId,
        from,
        chat: { id: spec.chat.id, type: "private", first_name: from.first_name },
        date: Math.floor(Date.now() / 1000),
        text: text.replace(correlationToken(spec.seq), token),
      },
    };
    return {
      body: JSON.stringify(update),
      tracked: {
        seq: n,
        updateId,
        chatId: spec.chat.id,
        kind: "text",
        messageId,
        correlation: token,
        intendedAtMs: performance.now(),
        injectedAtMs: performance.now(),
      },
    };
  };
}
