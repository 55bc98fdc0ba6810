import { correlationToken, createUpdateStream } from "../generator/index.ts";

/**
 * Distinct messages (sender, chat, text) drawn from the generator once, before the load starts;
 * each body then takes one in turn with its own update_id, message_id and correlation token.
 */
const TEMPLATE_COUNT = 1_024;
/** update_ids of the closed loop start here, far above those the fake API assigned in the warm-up. */
const UPDATE_ID_BASE = 500_000_000;
/** message_ids of the closed loop's user messages (the fake API never saw them: replies quote by text). */
const MESSAGE_ID_BASE = 1_000_000;
/** Where a template's text takes the body's correlation token (plain ASCII: JSON keeps it as is). */
const TOKEN_MARK = "@@tgbench-token@@";

/** A body's JSON around its per-request fields. */
interface Template {
  chatId: number;
  /** From `,"from":` to `"date":`. */
  middle: string;
  /** `,"text":"…` up to the token. */
  textHead: string;
  /** After the token: the rest of the text's JSON string and the closing braces. */
  textTail: string;
}

/** The closed loop's update bodies, one per call, and how to recognise their replies. */
export interface WebhookBodies {
  /** The next body; its sequence number is the correlation token in its text. */
  next(): { seq: number; body: string };
  /** The private chat update `seq` came from. */
  chatOf(seq: number): number;
  /** The message_id of update `seq`'s message. */
  messageIdOf(seq: number): number;
  /** The inverse of messageIdOf (any number: the caller checks the range). */
  seqOfMessageId(messageId: number): number;
}

/**
 * Telegram-shaped text updates, each different, from the generator's update factory (text only,
 * users in private chats), for autocannon to POST to a bot's webhook: unbounded, one body per
 * call, update `seq` with update_id UPDATE_ID_BASE + seq and the token `#seq` in its text. The
 * user and chat fields follow the fake API's own update objects. The messages are drawn once
 * (TEMPLATE_COUNT of them) and each call only fills in the update's own ids and token, so a body
 * costs about a string concatenation: the closed loop's figure is the bot's, not the cost of
 * making bodies.
 */
export function webhookBodies(users: number, seed: string): WebhookBodies {
  const templates = makeTemplates(users, seed);
  const templateOf = (seq: number) => templates[seq % templates.length] as Template;
  let seq = 0;
  return {
    next: () => {
      const n = seq++;
      const t = templateOf(n);
      const date = Math.floor(Date.now() / 1000);
      return {
        seq: n,
        body: `{"update_id":${UPDATE_ID_BASE + n},"message":{"message_id":${MESSAGE_ID_BASE + n}${t.middle}${date}${t.textHead}${correlationToken(n)}${t.textTail}`,
      };
    },
    chatOf: (n) => templateOf(n).chatId,
    messageIdOf: (n) => MESSAGE_ID_BASE + n,
    seqOfMessageId: (messageId) => messageId - MESSAGE_ID_BASE,
  };
}

function makeTemplates(users: number, seed: string): Template[] {
  const stream = createUpdateStream(
    {
      arrivals: { process: "constant", ratePerSecond: 1, maxCount: TEMPLATE_COUNT },
      population: { users, groups: 0 },
      mix: { text: 1 },
    },
    seed,
  );
  const templates: Template[] = [];
  for (const spec of stream) {
    const from = { is_bot: false, first_name: `User ${spec.from.id}`, ...spec.from };
    const chat = { id: spec.chat.id, type: "private", first_name: from.first_name };
    const own = correlationToken(spec.seq);
    const text =
      spec.kind === "text" && spec.text.includes(own) ? spec.text.replace(own, TOKEN_MARK) : TOKEN_MARK;
    const [head, tail] = JSON.stringify(text).split(TOKEN_MARK) as [string, string];
    templates.push({
      chatId: spec.chat.id,
      middle: `,"from":${JSON.stringify(from)},"chat":${JSON.stringify(chat)},"date":`,
      textHead: `,"text":${head}`,
      textTail: `${tail}}}`,
    });
  }
  return templates;
}
