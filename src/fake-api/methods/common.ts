import type { BotState } from "../bot-state.ts";
import { monotonicMs } from "../clock.ts";
import { badRequest, tooManyRequests } from "../errors.ts";
import { nestedMessage } from "../objects.ts";
import { TELEGRAM_LIMITS } from "../options.ts";
import type { Params } from "../params.ts";
import type { Chat, InlineKeyboardMarkup, Message } from "../telegram-types.ts";
import type { MethodContext } from "./method.ts";

/** Resolves `chat_id` (a number or `@username`) to a chat the bot knows; Telegram's errors otherwise. */
export function requireChat(bot: BotState, params: Params, name = "chat_id"): Chat {
  const raw = params.get(name);
  if (raw === undefined) throw badRequest(`${name} is empty`);
  const chat = raw.startsWith("@")
    ? bot.chats.findByUsername(raw.slice(1))
    : /^-?\d+$/.test(raw)
      ? bot.chats.get(Number(raw))
      : undefined;
  if (chat === undefined) throw badRequest("chat not found");
  return chat;
}

/** `message_id` as an integer, or Telegram's "message identifier is not specified". */
export function requireMessageId(params: Params, name = "message_id"): number {
  const id = params.optionalInt(name);
  if (id === undefined || id <= 0) throw badRequest("message identifier is not specified");
  return id;
}

/** Parses `reply_markup`; only inline keyboards are kept on the message (others are accepted). */
export function parseReplyMarkup(params: Params): InlineKeyboardMarkup | undefined {
  const markup = params.json<Record<string, unknown>>("reply_markup", "reply keyboard markup");
  if (markup === undefined) return undefined;
  if (typeof markup !== "object" || markup === null || Array.isArray(markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  if ("inline_keyboard" in markup) {
    if (!Array.isArray(markup.inline_keyboard) || !markup.inline_keyboard.every(Array.isArray)) {
      throw badRequest('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array');
    }
    return markup as unknown as InlineKeyboardMarkup;
  }
  return undefined;
}

/**
 * The message being replied to, from `reply_parameters` or the older `reply_to_message_id`;
 * Telegram's "message to be replied not found" unless `allow_sending_without_reply`.
 */
export function resolveReplyTo(bot: BotState, chat: Chat, params: Params): Message | undefined {
  const replyParameters = params.json<{ message_id?: unknown; allow_sending_without_reply?: unknown }>(
    "reply_parameters",
    "reply parameters",
  );
  if (replyParameters !== undefined && (typeof replyParameters !== "object" || replyParameters === null)) {
    throw badRequest("can't parse reply parameters JSON object");
  }
  const messageId = Number(replyParameters?.message_id ?? params.optionalInt("reply_to_message_id") ?? 0);
  if (!messageId) return undefined;
  const target = bot.chats.message(chat.id, messageId);
  if (target !== undefined) return nestedMessage(target);
  const allowWithout =
    replyParameters?.allow_sending_without_reply === true || params.bool("allow_sending_without_reply");
  if (allowWithout) return undefined;
  throw badRequest("message to be replied not found");
}

/** Flood control before sending into a chat (only when the rateLimits option is on). */
export function checkFloodLimit(bot: BotState, chat: Chat): void {
  if (bot.rateLimiter === null) return;
  const retryAfterSeconds = bot.rateLimiter.check(chat.id, chat.type);
  if (retryAfterSeconds > 0) throw tooManyRequests(retryAfterSeconds);
}

/** Validates `parse_mode` (formatting itself is not rendered; the text is kept as sent). */
export function checkParseMode(params: Params, name = "parse_mode"): void {
  const mode = params.get(name);
  if (mode === undefined) return;
  if (!["html", "markdown", "markdownv2"].includes(mode.toLowerCase())) {
    throw badRequest(`unsupported parse_mode`);
  }
}

export function checkCaption(params: Params): string | undefined {
  const caption = params.get("caption");
  if (caption !== undefined && caption.length > TELEGRAM_LIMITS.captionMaxLength) {
    throw badRequest("message caption is too long");
  }
  checkParseMode(params);
  return caption;
}

/** Stores a message the bot sends, counts it and tells the runner. */
export function storeBotMessage(
  ctx: MethodContext,
  chat: Chat,
  method: string,
  fill: (message: Message) => void,
): Message {
  const { bot, telegram } = ctx;
  const message = bot.chats.add(chat.id, (messageId) => {
    const m: Message = { message_id: messageId, from: bot.user, date: bot.nowSec(), chat };
    fill(m);
    return m;
  });
  bot.counters.messagesSent++;
  if (telegram.events.listenerCount("message") > 0) {
    telegram.events.emit("message", { botId: bot.id, message, method, atMs: monotonicMs() });
  }
  return message;
}
