import { badRequest } from "../errors.ts";
import { commandEntities, fileIdFor } from "../objects.ts";
import { TELEGRAM_LIMITS } from "../options.ts";
import type { Message } from "../telegram-types.ts";
import {
  checkCaption,
  checkFloodLimit,
  checkParseMode,
  parseReplyMarkup,
  requireChat,
  requireMessageId,
  resolveReplyTo,
  storeBotMessage,
} from "./common.ts";
import type { MethodContext } from "./method.ts";

/** sendMessage: a complete Message back, as aiogram and python-telegram-bot validate it. */
export function sendMessage(ctx: MethodContext): Message {
  const { bot, params } = ctx;
  const chat = requireChat(bot, params);
  const text = params.get("text");
  if (text === undefined || text.trim() === "") throw badRequest("message text is empty");
  if (text.length > TELEGRAM_LIMITS.messageTextMaxLength) throw badRequest("message is too long");
  checkParseMode(params);
  const replyMarkup = parseReplyMarkup(params);
  const replyTo = resolveReplyTo(bot, chat, params);
  checkFloodLimit(bot, chat);
  return storeBotMessage(ctx, chat, "sendmessage", (m) => {
    m.text = text;
    const entities = commandEntities(text);
    if (entities !== undefined) m.entities = entities;
    if (replyTo !== undefined) m.reply_to_message = replyTo;
    if (replyMarkup !== undefined) m.reply_markup = replyMarkup;
  });
}

/** The message to forward or copy, or Telegram's "message to <what> not found". */
function sourceMessage(ctx: MethodContext, what: string): Message {
  const fromChat = requireChat(ctx.bot, ctx.params, "from_chat_id");
  const messageId = requireMessageId(ctx.params);
  const source = ctx.bot.chats.message(fromChat.id, messageId);
  if (source === undefined) throw badRequest(`message to ${what} not found`);
  return source;
}

/** Copies the content fields of a message (text, media, caption), not its identity. */
function copyContent(from: Message, to: Message): void {
  if (from.text !== undefined) to.text = from.text;
  if (from.entities !== undefined) to.entities = from.entities;
  if (from.photo !== undefined) to.photo = from.photo;
  if (from.document !== undefined) to.document = from.document;
  if (from.caption !== undefined) to.caption = from.caption;
}

export function forwardMessage(ctx: MethodContext): Message {
  const chat = requireChat(ctx.bot, ctx.params);
  const source = sourceMessage(ctx, "forward");
  checkFloodLimit(ctx.bot, chat);
  return storeBotMessage(ctx, chat, "forwardmessage", (m) => {
    copyContent(source, m);
    m.forward_origin =
      source.from !== undefined
        ? { type: "user", date: source.date, sender_user: source.from }
        : { type: "hidden_user", date: source.date };
  });
}

/** copyMessage answers with a MessageId, not a Message. */
export function copyMessage(ctx: MethodContext): { message_id: number } {
  const chat = requireChat(ctx.bot, ctx.params);
  const source = sourceMessage(ctx, "copy");
  const caption = checkCaption(ctx.params);
  const replyMarkup = parseReplyMarkup(ctx.params);
  checkFloodLimit(ctx.bot, chat);
  const copy = storeBotMessage(ctx, chat, "copymessage", (m) => {
    copyContent(source, m);
    if (caption !== undefined) m.caption = caption;
    if (replyMarkup !== undefined) m.reply_markup = replyMarkup;
  });
  return { message_id: copy.message_id };
}

/** A media parameter: an uploaded file part, or a file_id/URL string. */
function mediaInput(
  ctx: MethodContext,
  field: string,
): { filename?: string; mimeType?: string; sizeBytes?: number } {
  const file = ctx.params.files.find((f) => f.field === field);
  if (file !== undefined)
    return { filename: file.filename, mimeType: file.mimeType, sizeBytes: file.sizeBytes };
  const ref = ctx.params.get(field);
  if (ref === undefined) throw badRequest(`there is no ${field} in the request`);
  // `attach://name` refers to another multipart part.
  if (ref.startsWith("attach://")) {
    const attached = ctx.params.files.find((f) => f.field === ref.slice("attach://".length));
    if (attached === undefined) throw badRequest(`there is no ${field} in the request`);
    return { filename: attached.filename, mimeType: attached.mimeType, sizeBytes: attached.sizeBytes };
  }
  return {};
}

export function sendPhoto(ctx: MethodContext): Message {
  const chat = requireChat(ctx.bot, ctx.params);
  const input = mediaInput(ctx, "photo");
  const caption = checkCaption(ctx.params);
  const replyMarkup = parseReplyMarkup(ctx.params);
  const replyTo = resolveReplyTo(ctx.bot, chat, ctx.params);
  checkFloodLimit(ctx.bot, chat);
  const seq = ctx.bot.nextFileSeq();
  const sizes: Array<[number, number]> = [
    [90, 90],
    [320, 320],
    [800, 800],
  ];
  return storeBotMessage(ctx, chat, "sendphoto", (m) => {
    m.photo = sizes.map(([width, height], i) => ({
      ...fileIdFor(ctx.bot.id, seq * 4 + i, "photo"),
      width,
      height,
      file_size: Math.max(1, Math.round((input.sizeBytes ?? 50_000) * ((i + 1) / sizes.length))),
    }));
    if (caption !== undefined) m.caption = caption;
    if (replyTo !== undefined) m.reply_to_message = replyTo;
    if (replyMarkup !== undefined) m.reply_markup = replyMarkup;
  });
}

export function sendDocument(ctx: MethodContext): Message {
  const chat = requireChat(ctx.bot, ctx.params);
  const input = mediaInput(ctx, "document");
  const caption = checkCaption(ctx.params);
  const replyMarkup = parseReplyMarkup(ctx.params);
  const replyTo = resolveReplyTo(ctx.bot, chat, ctx.params);
  checkFloodLimit(ctx.bot, chat);
  const seq = ctx.bot.nextFileSeq();
  return storeBotMessage(ctx, chat, "senddocument", (m) => {
    m.document = { ...fileIdFor(ctx.bot.id, seq, "document") };
    if (input.filename !== undefined) m.document.file_name = input.filename;
    if (input.mimeType !== undefined) m.document.mime_type = input.mimeType;
    if (input.sizeBytes !== undefined) m.document.file_size = input.sizeBytes;
    if (caption !== undefined) m.caption = caption;
    if (replyTo !== undefined) m.reply_to_message = replyTo;
    if (replyMarkup !== undefined) m.reply_markup = replyMarkup;
  });
}

const CHAT_ACTIONS: ReadonlySet<string> = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

export function sendChatAction(ctx: MethodContext): true {
  requireChat(ctx.bot, ctx.params);
  const action = ctx.params.get("action");
  if (action === undefined || !CHAT_ACTIONS.has(action))
    throw badRequest("wrong parameter action in request");
  return true;
}
