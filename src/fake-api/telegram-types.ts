/**
 * The Bot API objects the fake server produces, with every field pydantic-validating frameworks
 * (aiogram) and python-telegram-bot require. Field names are Telegram's (snake_case).
 */
export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  can_join_groups?: boolean;
  can_read_all_group_messages?: boolean;
  supports_inline_queries?: boolean;
  can_connect_to_business?: boolean;
  has_main_web_app?: boolean;
}

export type ChatType = "private" | "group" | "supergroup" | "channel";

export interface Chat {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface Document {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: Array<Array<Record<string, unknown>>>;
}

export interface MessageOrigin {
  type: "user" | "hidden_user" | "chat" | "channel";
  date: number;
  sender_user?: User;
}

export interface Message {
  message_id: number;
  from?: User;
  date: number;
  chat: Chat;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: Document;
  reply_to_message?: Message;
  reply_markup?: InlineKeyboardMarkup;
  forward_origin?: MessageOrigin;
  edit_date?: number;
}

export interface CallbackQuery {
  id: string;
  from: User;
  message?: Message;
  chat_instance: string;
  data?: string;
}

/** An update; exactly one of the optional payload fields is set. */
export interface Update {
  update_id: number;
  message?: Message;
  edited_message?: Message;
  callback_query?: CallbackQuery;
}

/** Update types as used in `allowed_updates`. */
export type UpdateType = "message" | "edited_message" | "callback_query";

export interface BotCommand {
  command: string;
  description: string;
}

export interface WebhookInfo {
  url: string;
  has_custom_certificate: boolean;
  pending_update_count: number;
  ip_address?: string;
  last_error_date?: number;
  last_error_message?: string;
  last_synchronization_error_date?: number;
  max_connections?: number;
  allowed_updates?: string[];
}

/** All update types telegram-bot-api knows; `[]` in allowed_updates means all but the last three. */
export const ALL_UPDATE_TYPES = [
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
  "inline_query",
  "chosen_inline_result",
  "callback_query",
  "shipping_query",
  "pre_checkout_query",
  "purchased_paid_media",
  "poll",
  "poll_answer",
  "my_chat_member",
  "chat_join_request",
  "chat_boost",
  "removed_chat_boost",
  "chat_member",
  "message_reaction",
  "message_reaction_count",
] as const;

/** C.h DEFAULT_ALLOWED_UPDATE_TYPES: everything except chat_member and the reaction updates. */
export const DEFAULT_ALLOWED_UPDATES: ReadonlySet<string> = new Set(
  ALL_UPDATE_TYPES.filter(
    (t) => t !== "chat_member" && t !== "message_reaction" && t !== "message_reaction_count",
  ),
);
