import type { Chat, Message } from "./telegram-types.ts";

interface ChatRecord {
  chat: Chat;
  nextMessageId: number;
  /**
   * The newest messages, at index `message_id % capacity`: a fixed ring, so storing a message on
   * the hot path is one array write, and a chat never holds more than `capacity` messages.
   */
  ring: Array<Message | undefined>;
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
      this.#chats.set(chat.id, { chat, nextMessageId: 1, ring: [] });
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
    record.ring[message.message_id % this.#keepPerChat] = message;
    return message;
  }

  message(chatId: number, messageId: number): Message | undefined {
    const record = this.#chats.get(chatId);
    if (record === undefined || messageId <= 0) return undefined;
    const message = record.ring[messageId % this.#keepPerChat];
    return message?.message_id === messageId ? message : undefined;
  }

  replace(message: Message): void {
    const record = this.#chats.get(message.chat.id);
    const slot = message.message_id % this.#keepPerChat;
    if (record?.ring[slot]?.message_id === message.message_id) record.ring[slot] = message;
  }

  delete(chatId: number, messageId: number): boolean {
    const record = this.#chats.get(chatId);
    if (record === undefined || messageId <= 0) return false;
    const slot = messageId % this.#keepPerChat;
    if (record.ring[slot]?.message_id !== messageId) return false;
    record.ring[slot] = undefined;
    return true;
  }
}
