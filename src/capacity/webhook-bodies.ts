import { correlationToken, createUpdateStream } from "../generator/index.ts";

/** Distinct messages (sender, chat, text) drawn from the generator once, before the load starts. */
const TEMPLATE_COUNT = 1_024;
/** update_ids of the closed loop: UPDATE_ID_BASE + seq, always 9 digits. */
const UPDATE_ID_BASE = 500_000_000;
/** message_ids of the closed loop's user messages: MESSAGE_ID_BASE + seq, always 7 digits. */
const MESSAGE_ID_BASE = 1_000_000;
/** Digits of the correlation token's sequence number (zero-padded: `#0000042` is seq 42). */
const TOKEN_DIGITS = 7;
/** The most updates one closed loop can send: every field keeps its width up to here. */
export const MAX_BODIES = 8_999_999;

/** Placeholders of the per-update fields, as wide as the fields (none can occur in JSON of the rest). */
const MARK = {
  updateId: "U".repeat(9),
  messageId: "M".repeat(7),
  date: "D".repeat(10),
  token: "T".repeat(TOKEN_DIGITS),
} as const;

/**
 * One message's update body with its per-update fields at fixed byte offsets, so a new update is
 * written into the same bytes in place: update_id, message_id, date and the correlation token.
 */
export interface BodySlot {
  /** The private chat (and user) the message comes from. */
  readonly chatId: number;
  /** The body's bytes, fields zero-filled until {@link BodySlot.write} fills them. */
  readonly template: Buffer;
  /** Writes update `seq`'s fields into `target`, whose body starts at `bodyOffset`. */
  write(target: Buffer, bodyOffset: number, seq: number): void;
}

/** The closed loop's update bodies, and how to recognise their replies. */
export interface WebhookBodies {
  /** The body of the `i`th message (cycling through the drawn ones), for one autocannon connection. */
  slot(i: number): BodySlot;
  /** Update `seq` of a slot as a string (for tests and a fixed body). */
  render(slot: BodySlot, seq: number): string;
  messageIdOf(seq: number): number;
  /** The inverse of messageIdOf (any number: the caller checks the range). */
  seqOfMessageId(messageId: number): number;
}

/**
 * Telegram-shaped text updates from the generator's update factory (text only, users in private
 * chats), for autocannon to POST to a bot's webhook. Update `seq` has update_id
 * UPDATE_ID_BASE + seq, message_id MESSAGE_ID_BASE + seq and the token `#<seq, 7 digits>` in its
 * text. Every field has a fixed width, so each autocannon connection keeps one request buffer and
 * only overwrites those bytes before each request: a different update per request at the cost of
 * a fixed one (autocannon rebuilding the request each time would make the harness, not the bot,
 * the limit). The user and chat fields follow the fake API's own update objects.
 */
export function webhookBodies(users: number, seed: string): WebhookBodies {
  const slots = makeSlots(users, seed);
  return {
    slot: (i) => slots[i % slots.length] as BodySlot,
    render: (slot, seq) => {
      const body = Buffer.from(slot.template);
      slot.write(body, 0, seq);
      return body.toString("utf8");
    },
    messageIdOf: (seq) => MESSAGE_ID_BASE + seq,
    seqOfMessageId: (messageId) => messageId - MESSAGE_ID_BASE,
  };
}

/** Writes `value` as exactly `width` ASCII digits at `offset`. */
function writeDigits(target: Buffer, offset: number, width: number, value: number): void {
  let v = value;
  for (let i = offset + width - 1; i >= offset; i--) {
    target[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
}

function makeSlots(users: number, seed: string): BodySlot[] {
  const stream = createUpdateStream(
    {
      arrivals: { process: "constant", ratePerSecond: 1, maxCount: TEMPLATE_COUNT },
      population: { users, groups: 0 },
      mix: { text: 1 },
    },
    seed,
  );
  const slots: BodySlot[] = [];
  for (const spec of stream) {
    const from = { is_bot: false, first_name: `User ${spec.from.id}`, ...spec.from };
    const chat = { id: spec.chat.id, type: "private", first_name: from.first_name };
    const own = correlationToken(spec.seq);
    const token = `#${MARK.token}`;
    const text = spec.kind === "text" && spec.text.includes(own) ? spec.text.replace(own, token) : token;
    const json = `{"update_id":${MARK.updateId},"message":{"message_id":${MARK.messageId},"from":${JSON.stringify(from)},"chat":${JSON.stringify(chat)},"date":${MARK.date},"text":${JSON.stringify(text)}}}`;
    const template = Buffer.from(json, "utf8");
    const at = (mark: string) => {
      const offset = template.indexOf(mark);
      if (offset < 0 || template.indexOf(mark, offset + 1) >= 0) return -1;
      return offset;
    };
    const offsets = {
      updateId: at(MARK.updateId),
      messageId: at(MARK.messageId),
      date: at(MARK.date),
      token: at(MARK.token),
    };
    // A drawn text that happens to hold a placeholder cannot be used.
    if (Object.values(offsets).some((o) => o < 0)) continue;
    for (const [name, offset] of Object.entries(offsets))
      template.fill(48, offset, offset + MARK[name as keyof typeof MARK].length);
    slots.push({
      chatId: spec.chat.id,
      template,
      write: (target, bodyOffset, seq) => {
        if (!(seq >= 0 && seq <= MAX_BODIES))
          throw new RangeError(`update ${seq} is past the closed loop's ${MAX_BODIES}`);
        writeDigits(target, bodyOffset + offsets.updateId, 9, UPDATE_ID_BASE + seq);
        writeDigits(target, bodyOffset + offsets.messageId, 7, MESSAGE_ID_BASE + seq);
        writeDigits(target, bodyOffset + offsets.date, 10, Math.floor(Date.now() / 1000));
        writeDigits(target, bodyOffset + offsets.token, TOKEN_DIGITS, seq);
      },
    });
  }
  return slots;
}
