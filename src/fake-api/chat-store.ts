import type { Chat, Message } from "./telegram-types.ts";

interface ChatRecord {
  chat: Chat;
  nextMessageId: number;
  /** Recent messages by id, oldest first (insertion order), bounded. */
  messages: Map<number, Message>;
}

/**
 * The chats a bot knows (a chat exists once a simulated user wrote in it) and their recent
 * messages, for replies, edits, deletes, forwards and button presses. Message ids count up per chat,
 * shared between users and the bot, as in a private chat on Telegram.
 */
export class ChatStore {
  readonly #chats = new Map<number, ChatRecord>();
  readonly #keepPerChat: number;

  constructor(messagesKeptPerChat: number) {
    this.#keepPerChat = messagesKeptPerChat;
  }

  /** Registers a chat (or refreshes its description) and returns it. */
  ensure(chat: Chat): Chat {
    const record = this.#chats.get(chat.id);
    if (record === undefined) {
      this.#chats.set(chat.id, { chat, nextMessageId: 1, messages: new Map() });
      return chat;
    }
    return record.chat;
  }

  get(chatId: number): Chat | undefined {
    return this.#chats.get(chatId)?.chat;
  }

  /** Finds a chat by `@username` (private chats whose user has that username). */
  findByUsername(username: string): Chat | undefined {
    for (const { chat } of this.#chats.values()) if (chat.username === username) return chat;
    return undefined;
  }

  /** Stores a new message, giving it the chat's next message_id. */
  add(chatId: number, build: (messageId: number) => Message): Message {
    const record = this.#chats.get(chatId);
    if (record === undefined) throw new Error(`chat ${chatId} is not registered`);
    const message = build(record.nextMessageId++);
    record.messages.set(message.message_id, message);
    if (record.messages.size > this.#keepPerChat) {
      const oldest = record.messages.keys().next().value as number;
      record.messages.delete(oldest);
    }
    return message;
  }

  message(chatId: number, messageId: number): Message | undefined {
    return this.#chats.get(chatId)?.messages.get(messageId);
  }

  replace(message: Message): void {
    this.#chats.get(message.chat.id)?.messages.set(message.message_id, message);
  }

  delete(chatId: number, messageId: number): boolean {
    return this.#chats.get(chatId)?.messages.delete(messageId) ?? false;
  }

  get size(): number {
    return this.#chats.size;
  }
}
