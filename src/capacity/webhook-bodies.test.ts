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
  test("a slot written in place holds a Telegram text update of its own, its seq the token in its text", () => {
    const bodies = webhookBodies(5, "seed");
    const slot = bodies.slot(3);
    // One buffer, as autocannon keeps it: headers first, then the body, rewritten per update.
    const head = Buffer.from("POST /webhook HTTP/1.1\r\n\r\n");
    const buffer = Buffer.concat([head, slot.template]);
    const updateIds = new Set<number>();
    for (const seq of [0, 1, 9, 10, 12_345, 1_234_567, 8_999_999]) {
      slot.write(buffer, head.length, seq);
      const u = JSON.parse(buffer.subarray(head.length).toString("utf8")) as Update;
      assert.equal(buffer.subarray(0, head.length).toString(), head.toString(), "the head is left alone");
      assert.equal(u.message.message_id, bodies.messageIdOf(seq));
      assert.equal(bodies.seqOfMessageId(u.message.message_id), seq);
      assert.equal(u.message.chat.id, slot.chatId);
      assert.equal(u.message.from.id, u.message.chat.id, "a private chat is the user's own");
      assert.equal(u.message.chat.type, "private");
      assert.equal(u.message.from.is_bot, false);
      assert.ok(Math.abs(u.message.date - Date.now() / 1000) < 5);
      assert.equal(parseCorrelationToken(u.message.text), seq);
      updateIds.add(u.update_id);
    }
    assert.equal(updateIds.size, 7);
  });

  test("refuses an update past the widths", () => {
    const bodies = webhookBodies(5, "seed");
    const slot = bodies.slot(0);
    assert.throws(() => slot.write(Buffer.from(slot.template), 0, 9_000_000), RangeError);
  });

  test("slots cover several of the population's private chats, and the same seed gives the same texts", () => {
    const a = webhookBodies(5, "seed");
    const b = webhookBodies(5, "seed");
    const chats = new Set(Array.from({ length: 40 }, (_, i) => a.slot(i).chatId));
    assert.ok(chats.size > 1 && chats.size <= 5, `${chats.size} chats`);
    for (let i = 0; i < 20; i++) assert.equal(a.render(a.slot(i), i), b.render(b.slot(i), i));
  });
});
