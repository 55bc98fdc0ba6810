import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ReplyMatcher } from "./reply-matcher.ts";
import type { MatchOutcome, TrackedUpdate } from "./reply-matcher-types.ts";

const CHAT = 1_001;
const OTHER_CHAT = 1_002;

/** A text update `seq` in `chatId`, with message_id 500 + seq and token `#seq`. */
function textUpdate(seq: number, chatId = CHAT): TrackedUpdate {
  return {
    seq,
    updateId: 10_000 + seq,
    chatId,
    kind: "text",
    messageId: 500 + seq,
    correlation: `#${seq}`,
    intendedAtMs: seq,
    injectedAtMs: seq + 0.5,
  };
}

function callbackUpdate(seq: number, chatId = CHAT): TrackedUpdate {
  return {
    seq,
    updateId: 10_000 + seq,
    chatId,
    kind: "callback",
    messageId: 77,
    callbackQueryId: `cb-${seq}`,
    intendedAtMs: seq,
    injectedAtMs: seq,
  };
}

function matcherWith(...updates: TrackedUpdate[]): ReplyMatcher {
  const matcher = new ReplyMatcher();
  for (const update of updates) assert.equal(matcher.track(update), true);
  return matcher;
}

/** The seq and rule of a matched outcome, or the outcome's kind otherwise. */
function summary(outcome: MatchOutcome): string {
  if (outcome.kind === "matched") return `${outcome.update.seq} by ${outcome.by}`;
  if (outcome.kind === "duplicate") return `duplicate of ${outcome.update.seq}`;
  return "unmatched";
}

describe("ReplyMatcher", () => {
  test("rules apply in order: reply_to, then the token in the text, then FIFO", () => {
    const cases = [
      {
        name: "reply_to wins over a token",
        reply: { replyToMessageId: 502, text: "#3" },
        expected: "2 by reply_to",
      },
      { name: "token when reply_to is absent", reply: { text: "You said: hi #3" }, expected: "3 by text" },
      {
        name: "token when reply_to is unknown",
        reply: { replyToMessageId: 9, text: "#3" },
        expected: "3 by text",
      },
      { name: "FIFO without either", reply: { text: "hello" }, expected: "1 by first-unanswered" },
      { name: "FIFO without text", reply: {}, expected: "1 by first-unanswered" },
      { name: "FIFO when the token is unknown", reply: { text: "#999" }, expected: "1 by first-unanswered" },
    ];
    for (const { name, reply, expected } of cases) {
      const matcher = matcherWith(textUpdate(1), textUpdate(2), textUpdate(3));
      assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, atMs: 100, ...reply })), expected, name);
    }
  });

  test("#4 is never read from #42", () => {
    const matcher = matcherWith(textUpdate(42), textUpdate(4));
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, text: "echo #42", atMs: 1 })), "42 by text");
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, text: "echo #4!", atMs: 2 })), "4 by text");
  });

  test("a token of an update in another chat is ignored", () => {
    const matcher = matcherWith(textUpdate(1, OTHER_CHAT), textUpdate(2));
    assert.equal(
      summary(matcher.onBotMessage({ chatId: CHAT, text: "#1", atMs: 1 })),
      "2 by first-unanswered",
    );
  });

  test("a reply in a chat with nothing waiting is unmatched", () => {
    const matcher = matcherWith(textUpdate(1, OTHER_CHAT));
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, text: "hi", atMs: 1 })), "unmatched");
    assert.equal(matcher.counts.unmatched, 1);
  });

  test("FIFO skips updates already answered by reply_to or token", () => {
    const matcher = matcherWith(textUpdate(1), textUpdate(2), textUpdate(3));
    matcher.onBotMessage({ chatId: CHAT, replyToMessageId: 501, atMs: 1 });
    matcher.onBotMessage({ chatId: CHAT, text: "#3", atMs: 2 });
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, atMs: 3 })), "2 by first-unanswered");
  });

  test("FIFO keeps tracking order through answers out of order, an emptied chat and a refill", () => {
    const matcher = matcherWith(textUpdate(1), textUpdate(2), textUpdate(3), textUpdate(4, OTHER_CHAT));
    const fifo = (atMs: number) => summary(matcher.onBotMessage({ chatId: CHAT, atMs }));
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, text: "#2", atMs: 1 })), "2 by text");
    assert.deepEqual(
      [fifo(2), fifo(3), fifo(4)],
      ["1 by first-unanswered", "3 by first-unanswered", "unmatched"],
    );
    assert.equal(matcher.track(textUpdate(5)), true);
    assert.equal(matcher.track(textUpdate(6)), true);
    assert.equal(matcher.forget(10_005, "dropped"), true);
    assert.deepEqual([fifo(5), fifo(6)], ["6 by first-unanswered", "unmatched"]);
    assert.equal(summary(matcher.onBotMessage({ chatId: OTHER_CHAT, atMs: 7 })), "4 by first-unanswered");
    assert.equal(matcher.unansweredCount, 0);
  });

  test("a second reply to an answered update is a duplicate, by reply_to, token or callback id", () => {
    const matcher = matcherWith(textUpdate(1), textUpdate(2), callbackUpdate(3));
    matcher.onBotMessage({ chatId: CHAT, replyToMessageId: 501, atMs: 1 });
    matcher.onBotMessage({ chatId: CHAT, text: "#2", atMs: 1 });
    matcher.onCallbackAnswered("cb-3", 1);
    assert.equal(
      summary(matcher.onBotMessage({ chatId: CHAT, replyToMessageId: 501, atMs: 2 })),
      "duplicate of 1",
    );
    assert.equal(
      summary(matcher.onBotMessage({ chatId: CHAT, text: "again #2", atMs: 2 })),
      "duplicate of 2",
    );
    assert.equal(summary(matcher.onCallbackAnswered("cb-3", 2)), "duplicate of 3");
    assert.deepEqual(matcher.counts, {
      matched: 3,
      byReplyTo: 1,
      byText: 1,
      byFirstUnanswered: 0,
      byCallbackId: 1,
      duplicates: 3,
      unmatched: 0,
    });
  });

  test("duplicates are recognised only within the recently-answered bound", () => {
    const matcher = new ReplyMatcher({ recentAnsweredLimit: 2 });
    for (const seq of [1, 2, 3]) {
      matcher.track(textUpdate(seq));
      matcher.onBotMessage({ chatId: CHAT, text: `#${seq}`, atMs: seq });
    }
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, text: "#3", atMs: 9 })), "duplicate of 3");
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, text: "#1", atMs: 9 })), "unmatched");
  });

  test("callback answers match by query id only, and messages never match a callback update", () => {
    const matcher = matcherWith(callbackUpdate(1));
    assert.equal(summary(matcher.onBotMessage({ chatId: CHAT, replyToMessageId: 77, atMs: 1 })), "unmatched");
    assert.equal(summary(matcher.onCallbackAnswered("cb-unknown", 1)), "unmatched");
    assert.equal(summary(matcher.onCallbackAnswered("cb-1", 2)), "1 by callback_id");
  });

  test("a match carries the first delivery time and the reply time", () => {
    const matcher = matcherWith(textUpdate(1), textUpdate(2));
    assert.equal(matcher.delivered(10_001, 5), true);
    assert.equal(matcher.delivered(10_001, 7), false, "a later hand-over is ignored");
    assert.equal(matcher.delivered(99, 7), false, "an unknown update is ignored");
    const first = matcher.onBotMessage({ chatId: CHAT, text: "#1", atMs: 9 });
    assert.equal(first.kind === "matched" && first.deliveredAtMs, 5);
    assert.equal(first.kind === "matched" && first.atMs, 9);
    const second = matcher.onBotMessage({ chatId: CHAT, text: "#2", atMs: 10 });
    assert.equal(second.kind === "matched" && second.deliveredAtMs, undefined);
  });

  test("waiting updates are split into delivered and undelivered", () => {
    const matcher = matcherWith(textUpdate(1), textUpdate(2), textUpdate(3), callbackUpdate(4));
    matcher.delivered(10_001, 1);
    matcher.delivered(10_002, 1);
    matcher.delivered(10_004, 1);
    const figures = () => [
      matcher.unansweredCount,
      matcher.deliveredUnansweredCount,
      matcher.undeliveredCount,
    ];
    assert.deepEqual(figures(), [4, 3, 1]);
    matcher.onBotMessage({ chatId: CHAT, text: "#1", atMs: 2 });
    assert.deepEqual(figures(), [3, 2, 1]);
    matcher.onBotMessage({ chatId: CHAT, text: "#3", atMs: 2 });
    assert.deepEqual(figures(), [2, 2, 0]);
    matcher.onCallbackAnswered("cb-4", 3);
    assert.deepEqual(figures(), [1, 1, 0]);
  });

  test("expired and forgotten updates stop waiting and are never matched", () => {
    const matcher = matcherWith(textUpdate(1), textUpdate(2), textUpdate(3), callbackUpdate(4));
    matcher.delivered(10_002, 1);
    assert.equal(matcher.expire([10_001, 10_004, 12_345]), 2);
    assert.equal(matcher.forget(10_002, "dropped"), true);
    assert.equal(matcher.forget(10_002, "dropped"), false);
    assert.deepEqual(matcher.forgottenCounts, { expired: 2, dropped: 1, filtered: 0 });
    assert.deepEqual([matcher.unansweredCount, matcher.deliveredUnansweredCount], [1, 0]);
    assert.equal(
      summary(matcher.onBotMessage({ chatId: CHAT, text: "#1", atMs: 2 })),
      "3 by first-unanswered",
    );
    assert.equal(summary(matcher.onCallbackAnswered("cb-4", 2)), "unmatched");
  });

  test("tracking the same update_id twice is refused", () => {
    const matcher = matcherWith(textUpdate(1));
    assert.equal(matcher.track(textUpdate(1)), false);
    assert.equal(matcher.unansweredCount, 1);
  });

  test("memory holds only waiting updates and the recently-answered bound", () => {
    const matcher = new ReplyMatcher({ recentAnsweredLimit: 100 });
    for (let seq = 0; seq < 50_000; seq++) {
      matcher.track(textUpdate(seq, seq % 1_000));
      matcher.onBotMessage({ chatId: seq % 1_000, text: `ok #${seq}`, atMs: seq });
    }
    assert.equal(matcher.counts.byText, 50_000);
    assert.equal(matcher.unansweredCount, 0);
    assert.equal(
      summary(matcher.onBotMessage({ chatId: 999, text: "#49999", atMs: 1 })),
      "duplicate of 49999",
    );
    assert.equal(summary(matcher.onBotMessage({ chatId: 0, text: "#0", atMs: 1 })), "unmatched");
  });

  test("a negative recentAnsweredLimit is refused with a RangeError", () => {
    assert.throws(() => new ReplyMatcher({ recentAnsweredLimit: -1 }), RangeError);
  });
});
