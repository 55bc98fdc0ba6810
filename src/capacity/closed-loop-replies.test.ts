import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ClosedLoopReplies } from "./closed-loop-replies.ts";

const CHAT = (seq: number) => 100 + (seq % 3);
const make = (issued: number) => {
  const r = new ClosedLoopReplies((messageId) => messageId - 1_000);
  for (let seq = 0; seq < issued; seq++) r.issued(seq, CHAT(seq));
  return r;
};

describe("ClosedLoopReplies", () => {
  test("a reply carrying an issued update's token, in its chat, answers it once", () => {
    const r = make(5);
    assert.equal(r.onReply(CHAT(3), "hello #0000003", undefined), true);
    assert.equal(r.onReply(CHAT(3), "hello #3", undefined), false);
    assert.equal(r.answeredCount, 1);
    assert.equal(r.duplicates, 1);
  });

  test("a token of an update not issued, or in another chat, is unmatched", () => {
    const r = make(2);
    assert.equal(r.onReply(CHAT(7), "#7", undefined), false);
    assert.equal(r.onReply(CHAT(1) + 1, "#1", undefined), false);
    assert.equal(r.onReply(CHAT(1), "no token here", undefined), false);
    assert.equal(r.unmatched, 3);
    assert.equal(r.answeredCount, 0);
  });

  test("without a token, the quoted message names the update", () => {
    const r = make(2);
    assert.equal(r.onReply(CHAT(1), "no token", 1_001), true);
    assert.equal(r.answeredCount, 1);
  });

  test("grows past its first allocation", () => {
    const n = 200_000;
    const r = make(n);
    assert.equal(r.onReply(CHAT(n - 1), `#${n - 1}`, undefined), true);
    assert.equal(r.onReply(CHAT(0), "#0", undefined), true);
    assert.equal(r.answeredCount, 2);
  });
});
