import {
  answerCallbackQuery,
  close,
  getChat,
  getMe,
  getMyCommands,
  logOut,
  setMyCommands,
} from "./bot-info.ts";
import { deleteMessage, editMessageReplyMarkup, editMessageText } from "./editing.ts";
import {
  copyMessage,
  forwardMessage,
  sendChatAction,
  sendDocument,
  sendMessage,
  sendPhoto,
} from "./messages.ts";
import type { MethodHandler } from "./method.ts";
import { getUpdates } from "./updates.ts";
import { deleteWebhook, getWebhookInfo, setWebhook } from "./webhook.ts";

/**
 * The Bot API methods the fake server implements, by the name Telegram uses. Lookups are by
 * lower-case name (method names are case-insensitive). A method missing here answers
 * 404 `Not Found: method not found` — never a fake success.
 */
const BY_NAME = {
  getMe,
  logOut,
  close,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  sendMessage,
  forwardMessage,
  copyMessage,
  sendPhoto,
  sendDocument,
  sendChatAction,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  answerCallbackQuery,
  setMyCommands,
  getMyCommands,
  getChat,
} satisfies Record<string, MethodHandler>;

/** Registry by lower-case name. */
export const METHODS: Readonly<Record<string, MethodHandler>> = Object.freeze(
  Object.fromEntries(Object.entries(BY_NAME).map(([name, handler]) => [name.toLowerCase(), handler])),
);

/** The implemented methods, with Telegram's spelling. */
export const METHOD_NAMES: readonly string[] = Object.keys(BY_NAME);
