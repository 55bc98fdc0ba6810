/**
 * Reply matching (src/metrics/reply-matcher.ts): what the runner does for every update, i.e.
 * track it, note its hand-over, match the bot's reply, with a steady number of updates in flight,
 * once for each way a reply is found (reply_to, correlation token in the text, FIFO per chat).
 */
import { correlationToken } from "../../src/generator/index.ts";
import { ReplyMatcher } from "../../src/metrics/reply-matcher.ts";
import type { BotReply } from "../../src/metrics/reply-matcher-types.ts";
import type { MicroSuite } from "./suite.ts";

const CHATS = 1_000;
/** Updates tracked and not answered yet, at any time. */
const IN_FLIGHT = 100;

type ReplyFor = (seq: number, chatId: number, atMs: number) => BotReply;

const REPLIES: Record<string, ReplyFor> = {
  reply_to: (seq, chatId, atMs) => ({ chatId, replyToMessageId: seq, text: "ok", atMs }),
  "token in text": (seq, chatId, atMs) => ({ chatId, text: `${correlationToken(seq)} hello there`, atMs }),
  "FIFO per chat": (_seq, chatId, atMs) => ({ chatId, text: "hello there", atMs }),
};

function steadyMatching(replyFor: ReplyFor): () => void {
  const matcher = new ReplyMatcher();
  let seq = 0;
  const chatOf = (n: number) => 1 + (n % CHATS);
  const track = (n: number) => {
    matcher.track({
      seq: n,
      updateId: n + 1,
      chatId: chatOf(n),
      kind: "text",
      messageId: n,
      correlation: correlationToken(n),
      intendedAtMs: n,
      injectedAtMs: n,
    });
    matcher.delivered(n + 1, n);
  };
  for (; seq < IN_FLIGHT; seq++) track(seq);
  return () => {
    track(seq);
    const answered = seq - IN_FLIGHT;
    const outcome = matcher.onBotMessage(replyFor(answered, chatOf(answered), seq));
    if (outcome.kind !== "matched") throw new Error(`reply to update ${answered} was ${outcome.kind}`);
    seq++;
  };
}

export const replyMatcherSuite: MicroSuite = {
  name: "reply-matcher",
  description: "track + hand-over + reply, per update: src/metrics/reply-matcher.ts",
  build() {
    return {
      tasks: Object.entries(REPLIES).map(([by, replyFor]) => ({
        name: `track + delivered + match by ${by} (${IN_FLIGHT} in flight, ${CHATS} chats)`,
        batch: 100,
        run: steadyMatching(replyFor),
      })),
    };
  },
};
