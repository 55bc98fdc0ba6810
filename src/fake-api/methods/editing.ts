import { badRequest, Descriptions } from "../errors.ts";
import { commandEntities } from "../objects.ts";
import { TELEGRAM_LIMITS } from "../options.ts";
import type { Message } from "../telegram-types.ts";
import { checkParseMode, parseReplyMarkup, requireChat, requireMessageId } from "./common.ts";
import type { MethodContext } from "./method.ts";

/** The bot's own message to edit (`chat_id` + `message_id`; inline messages are not simulated). */
function messageToEdit(ctx: MethodContext): Message {
  if (ctx.params.has("inline_message_id") && !ctx.params.has("chat_id")) {
    throw badRequest("message to edit not found");
  }
  const chat = requireChat(ctx.bot, ctx.params);
  const messageId = requireMessageId(ctx.params);
  const message = ctx.bot.chats.message(chat.id, messageId);
  if (message === undefined) throw badRequest("message to edit not found");
  if (message.from?.id !== ctx.bot.id) throw badRequest("message can't be edited");
  return message;
}

const sameMarkup = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function saveEdit(ctx: MethodContext, edited: Message): Message {
  edited.edit_date = ctx.bot.nowSec();
  ctx.bot.chats.replace(edited);
  return edited;
}

export function editMessageText(ctx: MethodContext): Message {
  const message = messageToEdit(ctx);
  const text = ctx.params.get("text");
  if (text === undefined || text.trim() === "") throw badRequest("message text is empty");
  if (text.length > TELEGRAM_LIMITS.messageTextMaxLength) throw badRequest("message is too long");
  checkParseMode(ctx.params);
  const replyMarkup = parseReplyMarkup(ctx.params);
  if (message.text === text && sameMarkup(message.reply_markup, replyMarkup)) {
    throw badRequest(Descriptions.notModified);
  }
  const edited: Message = { ...message, text };
  delete edited.entities;
  const entities = commandEntities(text);
  if (entities !== undefined) edited.entities = entities;
  if (replyMarkup === undefined) delete edited.reply_markup;
  else edited.reply_markup = replyMarkup;
  return saveEdit(ctx, edited);
}

export function editMessageReplyMarkup(ctx: MethodContext): Message {
  const message = messageToEdit(ctx);
  const replyMarkup = parseReplyMarkup(ctx.params);
  if (sameMarkup(message.reply_markup, replyMarkup)) throw badRequest(Descriptions.notModified);
  const edited: Message = { ...message };
  if (replyMarkup === undefined) delete edited.reply_markup;
  else edited.reply_markup = replyMarkup;
  return saveEdit(ctx, edited);
}

export function deleteMessage(ctx: MethodContext): true {
  const chat = requireChat(ctx.bot, ctx.params);
  const messageId = requireMessageId(ctx.params);
  if (!ctx.bot.chats.delete(chat.id, messageId)) throw badRequest("message to delete not found");
  return true;
}
