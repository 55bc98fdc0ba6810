/**
 * The data a {@link ReplyMatcher} takes and gives: tracked updates, bot replies, match outcomes,
 * counters and options.
 */
import { REPLY_MATCHER_DEFAULTS } from "./defaults.ts";

/** An update the harness injected, as far as matching and latency need it. */
export interface TrackedUpdate {
  /** Generator sequence number. */
  seq: number;
  /** Telegram update_id assigned by the fake API; the key of {@link ReplyMatcher.delivered} and friends. */
  updateId: number;
  chatId: number;
  kind: "text" | "command" | "callback";
  /** message_id of the user's message (text/command), or of the pressed bot message (callback). */
  messageId: number;
  /** Id of the callback query (callback updates). */
  callbackQueryId?: string;
  /** Correlation token embedded in the text, e.g. `"#42"` (text and command updates). */
  correlation?: string;
  /** When the generator meant to send it: monotonic ms (performance.now() clock). */
  intendedAtMs: number;
  /** When it was actually created in the fake API: monotonic ms. */
  injectedAtMs: number;
}

/** A message the bot sent. */
export interface BotReply {
  chatId: number;
  text?: string;
  /** message_id of the message it replies to (reply_to_message / reply_parameters). */
  replyToMessageId?: number;
  /** When the fake API received it: monotonic ms. */
  atMs: number;
}

/** How a reply was matched: the rule that found its update. */
export type MatchMethod = "reply_to" | "text" | "first-unanswered" | "callback_id";

/** What one reply turned out to be. */
export type MatchOutcome =
  | {
      kind: "matched";
      update: TrackedUpdate;
      by: MatchMethod;
      /** First hand-over of the update to the bot (monotonic ms); undefined if not reported yet. */
      deliveredAtMs: number | undefined;
      /** When the reply arrived (monotonic ms). */
      atMs: number;
    }
  /** A further reply to an update that was already answered. */
  | { kind: "duplicate"; update: TrackedUpdate }
  /** A reply that fits no tracked update (or a duplicate too old to recognise). */
  | { kind: "unmatched" };

/** Why an update was removed without an answer. */
export type ForgetReason = "expired" | "dropped" | "filtered";

/** Outcome counters of a {@link ReplyMatcher}. `matched` is the sum of the four `by…` counts. */
export interface MatchCounts {
  matched: number;
  byReplyTo: number;
  byText: number;
  byFirstUnanswered: number;
  byCallbackId: number;
  duplicates: number;
  unmatched: number;
}

/** Options of a {@link ReplyMatcher}; every field optional. */
export interface ReplyMatcherOptions {
  /**
   * How many answered updates (all chats together) are remembered to recognise duplicates; the
   * oldest is forgotten first. 0 turns duplicate detection off.
   * @defaultValue {@link REPLY_MATCHER_DEFAULTS}.recentAnsweredLimit (10,000)
   */
  recentAnsweredLimit?: number;
}

/** {@link ReplyMatcherOptions} with every default applied. */
export type ResolvedReplyMatcherOptions = Required<ReplyMatcherOptions>;

/** Applies the defaults; throws a RangeError for a limit that is not a non-negative integer. */
export function resolveReplyMatcherOptions(options: ReplyMatcherOptions = {}): ResolvedReplyMatcherOptions {
  const recentAnsweredLimit = options.recentAnsweredLimit ?? REPLY_MATCHER_DEFAULTS.recentAnsweredLimit;
  if (!Number.isSafeInteger(recentAnsweredLimit) || recentAnsweredLimit < 0) {
    throw new RangeError(`recentAnsweredLimit must be a whole number ≥ 0, got ${recentAnsweredLimit}`);
  }
  return { recentAnsweredLimit };
}
