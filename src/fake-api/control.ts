import type { BotState } from "./bot-state.ts";
import type { CallRecord } from "./call-log.ts";
import { type BotCounters, snapshotCounters } from "./counters.ts";
import type { FakeTelegram } from "./fake-telegram.ts";
import { webhookInfo } from "./methods/webhook.ts";
import { type ChatSpec, chatFor, commandEntities, simulatedUser, type UserSpec } from "./objects.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { ChatType, Message, Update, User, WebhookInfo } from "./telegram-types.ts";

/** The simulated user when the harness names none. */
export const DEFAULT_USER_ID = 100_000_001;

/** Who acts: a user, in a chat (default: the user's private chat). */
export interface Actor {
  from?: UserSpec;
  chat?: ChatSpec;
}

export interface InjectTextInput extends Actor {
  text: string;
  /** The message (in the same chat) this one replies to. */
  replyToMessageId?: number;
}

export interface InjectCommandInput extends Actor {
  /** With or without the leading '/', e.g. "start" or "/start@my_bot". */
  command: string;
  args?: string;
}

export interface InjectCallbackInput extends Actor {
  /** The bot message whose inline button is pressed. */
  messageId: number;
  data: string;
}

/** A harness mistake (not a bot's): unknown message to press, bad input. */
export class ControlError extends Error {
  override readonly name = "ControlError";
}

const CHAT_TYPES: ReadonlySet<ChatType> = new Set<ChatType>(["private", "group", "supergroup", "channel"]);

/** At most this many users are remembered (then the memory starts afresh). */
const KNOWN_USERS_LIMIT = 100_000;

/** Callback queries are queued per user with this tag (Client.cpp `user_id + (3 << 33)`). */
const CALLBACK_QUEUE_TAG = 3 * 2 ** 33;

/**
 * The harness side of the fake API: creates updates as users would, and reads what bots did.
 * Not reachable through bot routes; `tgbench serve` exposes it under /__tgbench/ for other tools.
 */
export class FakeApiControl {
  readonly #telegram: FakeTelegram;
  #callbackSeq = 0;
  /**
   * Users by id, as their last update described them: one object per user, shared by all the
   * messages and updates of that user (none is changed once made), so a busy run does not make
   * and keep a new user per update.
   */
  readonly #users = new Map<number, { spec: UserSpec; user: User }>();

  constructor(telegram: FakeTelegram) {
    this.#telegram = telegram;
  }

  /** A user sends a text message. Returns the update, or null if allowed_updates filtered it. */
  injectText(token: string, input: InjectTextInput): Update | null {
    if (typeof input.text !== "string" || input.text === "")
      throw new ControlError("text must be a non-empty string");
    return this.#injectMessage(token, input, input.text);
  }

  /** A user sends a command, with its `bot_command` entity. */
  injectCommand(token: string, input: InjectCommandInput): Update | null {
    if (typeof input.command !== "string" || input.command.replace(/^\//, "") === "") {
      throw new ControlError("command must be a non-empty string like /start");
    }
    const command = input.command.startsWith("/") ? input.command : `/${input.command}`;
    if (commandEntities(command) === undefined) throw new ControlError(`not a valid command: ${command}`);
    const text = input.args === undefined || input.args === "" ? command : `${command} ${input.args}`;
    return this.#injectMessage(token, input, text);
  }

  /** A user presses an inline button on a bot message. */
  injectCallback(token: string, input: InjectCallbackInput): Update | null {
    const bot = this.#telegram.bot(token);
    // Telegram's callback_data is 1–64 bytes of text.
    if (typeof input.data !== "string" || input.data === "" || Buffer.byteLength(input.data) > 64) {
      throw new ControlError("data must be a string of 1-64 bytes");
    }
    const { user, chat } = this.#actor(bot, input);
    const message = bot.chats.message(chat.id, input.messageId);
    if (message === undefined || message.from?.id !== bot.id) {
      throw new ControlError(`chat ${chat.id} has no bot message ${input.messageId} to press a button on`);
    }
    const id = `${bot.id}${(++this.#callbackSeq).toString().padStart(9, "0")}`;
    const expiry = TELEGRAM_LIMITS.callbackQueryExpirySeconds;
    const item = this.#telegram.enqueue(
      bot,
      "callback_query",
      user.id + CALLBACK_QUEUE_TAG,
      expiry,
      (updateId) => ({
        update_id: updateId,
        callback_query: { id, from: user, message, chat_instance: String(chat.id), data: input.data },
      }),
    );
    if (item !== null) bot.callbackQueries.set(id, bot.nowSec() + expiry);
    return item?.update ?? null;
  }

  /** Calls the bot made, oldest first; `since` is the last seq already read. */
  calls(token: string, since = 0): CallRecord[] {
    return this.#telegram.bot(token).callLog.since(since);
  }

  counters(token: string): BotCounters {
    return snapshotCounters(this.#telegram.bot(token).currentCounters());
  }

  webhookInfo(token: string): WebhookInfo {
    return webhookInfo(this.#telegram.bot(token));
  }

  /**
   * Switches Telegram's anti-busy-loop hold (the `antiBusyLoop` option) on or off from now on. The
   * runner turns it off while it stops a bot, so that the confirming getUpdates many frameworks
   * send on the way out is answered at once instead of after 3 s; nothing then is measured.
   */
  setAntiBusyLoop(enabled: boolean): void {
    this.#telegram.options.antiBusyLoop = enabled;
  }

  /** Zeroes counters and empties call logs, for one bot or all (released bots' kept counters too). Queues and webhooks stay. */
  reset(token?: string): void {
    if (token !== undefined) {
      this.#telegram.bot(token).resetCounters();
      return;
    }
    for (const bot of this.#telegram.bots()) bot.resetCounters();
    this.#telegram.registry.forgetReleased();
  }

  /** Messages a chat holds, for tests and the runner's reply matching. */
  message(token: string, chatId: number, messageId: number): Message | undefined {
    return this.#telegram.bot(token).chats.message(chatId, messageId);
  }

  #injectMessage(token: string, input: Actor & { replyToMessageId?: number }, text: string): Update | null {
    const bot = this.#telegram.bot(token);
    const { user, chat } = this.#actor(bot, input);
    const replyTo =
      input.replyToMessageId === undefined ? undefined : bot.chats.message(chat.id, input.replyToMessageId);
    if (input.replyToMessageId !== undefined && replyTo === undefined) {
      throw new ControlError(`chat ${chat.id} has no message ${input.replyToMessageId} to reply to`);
    }
    const message = bot.chats.add(chat.id, (messageId) => {
      const m: Message = { message_id: messageId, from: user, chat, date: bot.nowSec(), text };
      const entities = commandEntities(text);
      if (entities !== undefined) m.entities = entities;
      if (replyTo !== undefined) m.reply_to_message = replyTo;
      return m;
    });
    const item = this.#telegram.enqueue(
      bot,
      "message",
      chat.id,
      TELEGRAM_LIMITS.messageExpirySeconds,
      (updateId) => ({
        update_id: updateId,
        message,
      }),
    );
    return item?.update ?? null;
  }

  /** The user an update is from: the one made for this id last time, if described the same way. */
  #user(spec: UserSpec): User {
    const known = this.#users.get(spec.id);
    if (
      known !== undefined &&
      spec.first_name === known.spec.first_name &&
      spec.last_name === known.spec.last_name &&
      spec.username === known.spec.username &&
      spec.language_code === known.spec.language_code
    ) {
      return known.user;
    }
    const user = simulatedUser(spec);
    if (this.#users.size >= KNOWN_USERS_LIMIT) this.#users.clear();
    const { first_name, last_name, username, language_code } = spec;
    this.#users.set(spec.id, { spec: { id: spec.id, first_name, last_name, username, language_code }, user });
    return user;
  }

  #actor(bot: BotState, input: Actor) {
    const user = this.#user(input.from ?? { id: DEFAULT_USER_ID });
    if (!Number.isSafeInteger(user.id) || user.id <= 0)
      throw new ControlError("from.id must be a positive integer");
    const spec = input.chat ?? { id: user.id, type: "private" as const };
    if (!Number.isSafeInteger(spec.id) || spec.id === 0)
      throw new ControlError("chat.id must be a non-zero integer");
    // An unknown type would reach the bot as is (and fail pydantic in aiogram); Telegram's private
    // chats have the user's positive id, every other chat a negative one.
    if (spec.type !== undefined && !CHAT_TYPES.has(spec.type)) {
      throw new ControlError(`chat.type must be one of ${[...CHAT_TYPES].join(", ")}`);
    }
    if (spec.type !== undefined && (spec.type === "private") !== spec.id > 0) {
      throw new ControlError("chat.id must be positive for a private chat and negative for any other");
    }
    // A known chat is taken as it is (ensure() would keep it too): no new chat per update.
    const chat = bot.chats.get(spec.id) ?? bot.chats.ensure(chatFor(spec, user));
    return { user, chat };
  }
}
