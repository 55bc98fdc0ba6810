import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseCorrelationToken } from "../generator/index.ts";
import { webhookBodies } from "./webhook-bodies.ts";

interface Update {
  update_id: number;
  message: {
    message_id: number;
    from: { id: number; is_bot: boolean; first_name: string };
    chat: { id: number; type: string };
    date: number;
    text: string;
  };
}

describe("webhookBodies", () => {
  test("every body is a Telegram text update of its own, its sequence number the token in its text", () => {
    const bodies = webhookBodies(5, "seed");
    const updateIds = new Set<number>();
    const seen = new Set<string>();
    // Past the drawn messages, so bodies that reuse one are checked too.
    for (let i = 0; i < 2_500; i++) {
      const { seq, body } = bodies.next();
      assert.equal(seq, i);
      const u = JSON.parse(body) as Update;
      assert.equal(u.message.message_id, bodies.messageIdOf(seq));
      assert.equal(bodies.seqOfMessageId(u.message.message_id), seq);
      assert.equal(u.message.chat.id, bodies.chatOf(seq));
      assert.equal(u.message.from.id, u.message.chat.id, "a private chat is the user's own");
      assert.equal(u.message.chat.type, "private");
      assert.equal(u.message.from.is_bot, false);
      assert.ok(Number.isInteger(u.message.date) && u.message.date > 1_600_000_000);
      assert.equal(parseCorrelationToken(u.message.text), seq);
      updateIds.add(u.update_id);
      seen.add(body);
    }
    assert.equal(updateIds.size, 2_500);
    assert.equal(seen.size, 2_500);
  });

  test("the chats are the population's private chats, several of them", () => {
    const bodies = webhookBodies(5, "seed");
    const chats = new Set(Array.from({ length: 200 }, (_, i) => bodies.chatOf(i)));
    assert.ok(chats.size > 1 && chats.size <= 5, `${chats.size} chats`);
  });

  test("the same seed gives the same texts", () => {
    const a = webhookBodies(5, "seed");
    const b = webhookBodies(5, "seed");
    for (let i = 0; i < 20; i++) {
      const ta = (JSON.parse(a.next().body) as Update).message.text;
      const tb = (JSON.parse(b.next().body) as Update).message.text;
      assert.equal(ta, tb);
    }
  });
});
