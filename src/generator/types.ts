/**
 * The data the generator hands on. These are *specs*, not Telegram updates: the fake API turns
 * them into `Update` objects (update_id, message_id, date, entities …) when they are injected.
 * `UserSpec` and `ChatSpec` are structurally the same as the fake API's, so specs pass straight in.
 */

/** A simulated user, as far as the harness decides it; the fake API fills in the rest. */
export interface UserSpec {
  /** Positive user id; also the id of the user's private chat. */
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  /** IETF language tag, e.g. `en`. */
  language_code?: string;
}

/** A chat an update is sent in. Private chats have the user's id; groups have negative ids. */
export interface ChatSpec {
  id: number;
  type?: "private" | "group" | "supergroup";
  title?: string;
}

/**
 * One simulated incoming update, produced from one arrival.
 *
 * - `seq` numbers the updates of a stream 0, 1, 2 … and is the correlation key.
 * - `intendedAtMs` is when the update *should* be sent, in ms from the start of the run (open
 *   model): latency is measured from here, not from when the sender got round to it.
 * - Text and command updates carry the correlation token `#<seq>` (see `correlationToken`).
 * - A callback update stands for a press on an inline button of an *earlier bot message* in
 *   `chat`. The generator cannot know which bot messages will exist, so it only says who presses
 *   and with what `data` (`btn:<seq>`); the runner resolves the message, and decides what to do
 *   when the chat has no bot message yet (skip and count, or send without a message).
 */
export type UpdateSpec =
  | { kind: "text"; seq: number; intendedAtMs: number; from: UserSpec; chat: ChatSpec; text: string }
  | {
      kind: "command";
      seq: number;
      intendedAtMs: number;
      from: UserSpec;
      chat: ChatSpec;
      command: string;
      args?: string;
    }
  | { kind: "callback"; seq: number; intendedAtMs: number; from: UserSpec; chat: ChatSpec; data: string };

/** The kinds of update the generator produces. */
export type UpdateKind = UpdateSpec["kind"];

/** Who sends an update and where: `chat` is the user's private chat or a group they belong to. */
export interface Sender {
  user: UserSpec;
  chat: ChatSpec;
}
