import type { Chat, ChatType, Message, MessageEntity, User } from "./telegram-types.ts";

/** The bot's own User object, as getMe returns it. `id` is the digits of the token. */
export function botUser(botId: number): User {
  return {
    id: botId,
    is_bot: true,
    first_name: `tgbench bot ${botId}`,
    username: `tgbench_${botId}_bot`,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
}

/** What the harness may say about a simulated user; the rest is filled in. */
export interface UserSpec {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export function simulatedUser(spec: UserSpec): User {
  const user: User = {
    id: spec.id,
    is_bot: false,
    first_name: spec.first_name ?? `User ${spec.id}`,
    username: spec.username ?? `user${spec.id}`,
    language_code: spec.language_code ?? "en",
  };
  if (spec.last_name !== undefined) user.last_name = spec.last_name;
  return user;
}

/** What the harness may say about a chat. Private chats have the user's id; groups are negative. */
export interface ChatSpec {
  id: number;
  type?: ChatType;
  title?: string;
}

export function chatFor(spec: ChatSpec, user: User): Chat {
  const type = spec.type ?? (spec.id > 0 ? "private" : "group");
  if (type === "private") {
    const chat: Chat = { id: spec.id, type, first_name: user.first_name };
    if (user.username !== undefined) chat.username = user.username;
    if (user.last_name !== undefined) chat.last_name = user.last_name;
    return chat;
  }
  return { id: spec.id, type, title: spec.title ?? `Group ${-spec.id}` };
}

/** The `bot_command` entity of a text that starts with a command (`/start`, `/help@bot`). */
export function commandEntities(text: string): MessageEntity[] | undefined {
  if (!text.startsWith("/")) return undefined;
  const match = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?/.exec(text);
  if (match === null) return undefined;
  return [{ type: "bot_command", offset: 0, length: utf16Length(match[0]) }];
}

/** Telegram counts entity offsets in UTF-16 code units, which is what JS string length is. */
const utf16Length = (text: string): number => text.length;

/** A shallow copy of a message fit to be nested as `reply_to_message` (Telegram nests one level only). */
export function nestedMessage(message: Message): Message {
  const { reply_to_message: _dropped, ...rest } = message;
  return rest;
}

/** A stable pseudo file_id for an uploaded or referenced file. */
export function fileIdFor(
  botId: number,
  seq: number,
  kind: string,
): { file_id: string; file_unique_id: string } {
  const base = `${kind}_${botId.toString(36)}_${seq.toString(36)}`;
  return {
    file_id: `AgAC${Buffer.from(base).toString("base64url")}`,
    file_unique_id: `AQAD${seq.toString(36)}`,
  };
}
