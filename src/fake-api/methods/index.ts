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
 * The Bot API methods the fake server implements, by the name Telegram uses. A method missing
 * here answers 404 `Not Found: method not found` — never a fake success.
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

/**
 * The one lookup of methods, by lower-case name (method names are case-insensitive), used by bot
 * routes, webhook replies and counters alike. A `Map`, so a name like `constructor` or
 * `__proto__` is just a name that is not there (Client.cpp keeps `methods_` in a hash map too).
 */
export const METHODS: ReadonlyMap<string, MethodHandler> = new Map(
  Object.entries(BY_NAME).map(([name, handler]) => [name.toLowerCase(), handler]),
);

/** The handler of a method, by lower-case name; undefined when the fake API does not implement it. */
export function findMethod(lowerCaseName: string): MethodHandler | undefined {
  return METHODS.get(lowerCaseName);
}

/** The implemented methods, with Telegram's spelling. */
export const METHOD_NAMES: readonly string[] = Object.keys(BY_NAME);
