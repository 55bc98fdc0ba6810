/**
 * Matches the bot's replies to the updates that caused them, without help from the bot: by the
 * message replied to, by the correlation token echoed in the text, or else first-in-first-out per
 * chat. Callback presses are matched by the id of the callback query the bot answers.
 *
 * Only unanswered updates are kept, plus a bounded memory of recently answered ones to recognise
 * duplicate replies (see {@link ReplyMatcherOptions.recentAnsweredLimit}). Every operation is O(1)
 * (amortised; O(tokens in the text) for text matching), so the matcher keeps up with thousands of
 * replies per second. Its input and outcome types live in `reply-matcher-types.ts`.
 */
import {
  type BotReply,
  type ForgetReason,
  type MatchCounts,
  type MatchMethod,
  type MatchOutcome,
  type ReplyMatcherOptions,
  type ResolvedReplyMatcherOptions,
  resolveReplyMatcherOptions,
  type TrackedUpdate,
} from "./reply-matcher-types.ts";

interface Entry {
  readonly update: TrackedUpdate;
  deliveredAtMs: number | undefined;
  answered: boolean;
  /** Neighbours in its chat's waiting list while it waits (see {@link ChatIndex}). */
  older: Entry | undefined;
  newer: Entry | undefined;
}

/**
 * Message updates of one chat. Callback updates are found by id only, so they never appear here.
 * The unanswered ones form a list through the entries themselves, oldest first: a chat empties and
 * refills with every update, and a Map that empties reallocates its table each time (V8 shrinks it
 * on the last delete), which at thousands of updates a second is garbage that outlives scavenges.
 */
interface ChatIndex {
  /** The oldest unanswered text/command update, and the newest (both undefined when none waits). */
  oldest: Entry | undefined;
  newest: Entry | undefined;
  /** Text/command updates by the user's message_id: unanswered and recently answered. */
  readonly byMessageId: Map<number, Entry>;
}

/** A whole correlation token: `#` then all its digits, so `#42` is never read as `#4`. */
const TOKENS = /#\d+/g;

/** Up to this many chats, a chat's (empty) index is kept once made. */
const KEPT_EMPTY_CHATS = 10_000;

/**
 * Pairs bot replies with tracked updates. Feed it {@link track} when an update is created,
 * {@link delivered} when the fake API hands it over, and every bot message and callback answer;
 * it returns a {@link MatchOutcome} for each and keeps {@link counts}.
 *
 * Callback updates are matched only through {@link onCallbackAnswered}: a message sent while
 * handling a press is not attributed to it (it may match a waiting message update by FIFO).
 * A bot that sends several messages per update without reply_to or the token makes FIFO
 * matching attribute the extra ones to later updates; bots under test should reply or echo.
 */
export class ReplyMatcher {
  readonly #options: ResolvedReplyMatcherOptions;
  readonly #unanswered = new Map<number, Entry>();
  readonly #chats = new Map<number, ChatIndex>();
  readonly #byToken = new Map<string, Entry>();
  readonly #byCallbackId = new Map<string, Entry>();
  /** Ring buffer of recently answered entries; its slots are reused oldest first. */
  readonly #recent: (Entry | undefined)[] = [];
  #recentNext = 0;
  #deliveredUnanswered = 0;
  readonly #counts: MatchCounts = {
    matched: 0,
    byReplyTo: 0,
    byText: 0,
    byFirstUnanswered: 0,
    byCallbackId: 0,
    duplicates: 0,
    unmatched: 0,
  };
  readonly #forgotten: Record<ForgetReason, number> = { expired: 0, dropped: 0, filtered: 0 };

  constructor(options: ReplyMatcherOptions = {}) {
    this.#options = resolveReplyMatcherOptions(options);
  }

  /** Starts tracking an update; false (and ignored) if its updateId is already tracked. */
  track(update: TrackedUpdate): boolean {
    if (this.#unanswered.has(update.updateId)) return false;
    const entry: Entry = {
      update,
      deliveredAtMs: undefined,
      answered: false,
      older: undefined,
      newer: undefined,
    };
    this.#unanswered.set(update.updateId, entry);
    if (update.kind === "callback") {
      if (update.callbackQueryId !== undefined) this.#byCallbackId.set(update.callbackQueryId, entry);
      return true;
    }
    const chat = this.#chat(update.chatId);
    entry.older = chat.newest;
    if (chat.newest === undefined) chat.oldest = entry;
    else chat.newest.newer = entry;
    chat.newest = entry;
    chat.byMessageId.set(update.messageId, entry);
    if (update.correlation !== undefined) this.#byToken.set(update.correlation, entry);
    return true;
  }

  /**
   * Records the first hand-over of an unanswered update to the bot, at `atMs` (monotonic ms).
   * Returns false, changing nothing, for a later hand-over or an update not waiting for a reply.
   */
  delivered(updateId: number, atMs: number): boolean {
    const entry = this.#unanswered.get(updateId);
    if (entry === undefined || entry.deliveredAtMs !== undefined) return false;
    entry.deliveredAtMs = atMs;
    this.#deliveredUnanswered++;
    return true;
  }

  /** Matches a message the bot sent: by reply_to, then by correlation token, then FIFO in its chat. */
  onBotMessage(reply: BotReply): MatchOutcome {
    const chat = this.#chats.get(reply.chatId);
    if (chat !== undefined && reply.replyToMessageId !== undefined) {
      const entry = chat.byMessageId.get(reply.replyToMessageId);
      if (entry !== undefined) return this.#resolve(entry, "reply_to", reply.atMs);
    }
    const byText = reply.text === undefined ? undefined : this.#findByToken(reply.text, reply.chatId);
    if (byText !== undefined) return this.#resolve(byText, "text", reply.atMs);
    const first = chat?.oldest;
    if (first !== undefined) return this.#resolve(first, "first-unanswered", reply.atMs);
    this.#counts.unmatched++;
    return { kind: "unmatched" };
  }

  /** Matches an answerCallbackQuery call to the callback update with that query id. */
  onCallbackAnswered(callbackQueryId: string, atMs: number): MatchOutcome {
    const entry = this.#byCallbackId.get(callbackQueryId);
    if (entry !== undefined) return this.#resolve(entry, "callback_id", atMs);
    this.#counts.unmatched++;
    return { kind: "unmatched" };
  }

  /** Stops tracking an unanswered update; false if it is not waiting for a reply. */
  forget(updateId: number, reason: ForgetReason): boolean {
    const entry = this.#unanswered.get(updateId);
    if (entry === undefined) return false;
    this.#settle(entry);
    this.#unindex(entry);
    this.#forgotten[reason]++;
    return true;
  }

  /** Forgets updates the fake API reports expired; returns how many were still waiting. */
  expire(updateIds: Iterable<number>): number {
    let forgotten = 0;
    for (const updateId of updateIds) if (this.forget(updateId, "expired")) forgotten++;
    return forgotten;
  }

  /** Updates tracked and neither answered nor forgotten. */
  get unansweredCount(): number {
    return this.#unanswered.size;
  }

  /** Unanswered updates that were handed to the bot (its work in progress, or lost by it). */
  get deliveredUnansweredCount(): number {
    return this.#deliveredUnanswered;
  }

  /** Unanswered updates not handed to the bot yet (pending in the fake API). */
  get undeliveredCount(): number {
    return this.#unanswered.size - this.#deliveredUnanswered;
  }

  /** A snapshot of the outcome counters. */
  /** Updates answered so far (`counts.matched`, without copying the counts). */
  get answeredCount(): number {
    return this.#counts.matched;
  }

  get counts(): MatchCounts {
    return { ...this.#counts };
  }

  /** A snapshot of how many updates {@link forget} removed, by reason. */
  get forgottenCounts(): Record<ForgetReason, number> {
    return { ...this.#forgotten };
  }

  #chat(chatId: number): ChatIndex {
    let chat = this.#chats.get(chatId);
    if (chat === undefined) {
      chat = { oldest: undefined, newest: undefined, byMessageId: new Map() };
      this.#chats.set(chatId, chat);
    }
    return chat;
  }

  /** The first token in `text` that names an update of this chat (waiting or recently answered). */
  #findByToken(text: string, chatId: number): Entry | undefined {
    if (!text.includes("#")) return undefined;
    for (const [token] of text.matchAll(TOKENS)) {
      const entry = this.#byToken.get(token);
      if (entry !== undefined && entry.update.chatId === chatId) return entry;
    }
    return undefined;
  }

  #resolve(entry: Entry, by: MatchMethod, atMs: number): MatchOutcome {
    if (entry.answered) {
      this.#counts.duplicates++;
      return { kind: "duplicate", update: entry.update };
    }
    this.#settle(entry);
    entry.answered = true;
    this.#remember(entry);
    this.#countMatch(by);
    return { kind: "matched", update: entry.update, by, deliveredAtMs: entry.deliveredAtMs, atMs };
  }

  #countMatch(by: MatchMethod): void {
    const counts = this.#counts;
    counts.matched++;
    if (by === "reply_to") counts.byReplyTo++;
    else if (by === "text") counts.byText++;
    else if (by === "first-unanswered") counts.byFirstUnanswered++;
    else counts.byCallbackId++;
  }

  /** Removes an entry from the unanswered set and its chat's waiting list; its lookup keys stay. */
  #settle(entry: Entry): void {
    const { updateId, chatId, kind } = entry.update;
    this.#unanswered.delete(updateId);
    if (entry.deliveredAtMs !== undefined) this.#deliveredUnanswered--;
    if (kind === "callback") return;
    const chat = this.#chats.get(chatId);
    if (chat === undefined) return;
    const { older, newer } = entry;
    if (older === undefined) chat.oldest = newer;
    else older.newer = newer;
    if (newer === undefined) chat.newest = older;
    else newer.older = older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  /** Keeps an answered entry findable for duplicates, evicting the oldest beyond the limit. */
  #remember(entry: Entry): void {
    const limit = this.#options.recentAnsweredLimit;
    if (limit === 0) {
      this.#unindex(entry);
      return;
    }
    const evicted = this.#recent[this.#recentNext];
    if (evicted !== undefined) this.#unindex(evicted);
    this.#recent[this.#recentNext] = entry;
    this.#recentNext = (this.#recentNext + 1) % limit;
  }

  /** Removes every lookup key of an entry, and its chat once the chat holds nothing. */
  #unindex(entry: Entry): void {
    const { chatId, messageId, correlation, callbackQueryId, kind } = entry.update;
    if (kind === "callback") {
      if (callbackQueryId !== undefined && this.#byCallbackId.get(callbackQueryId) === entry) {
        this.#byCallbackId.delete(callbackQueryId);
      }
      return;
    }
    if (correlation !== undefined && this.#byToken.get(correlation) === entry)
      this.#byToken.delete(correlation);
    const chat = this.#chats.get(chatId);
    if (chat === undefined) return;
    if (chat.byMessageId.get(messageId) === entry) chat.byMessageId.delete(messageId);
    // An empty chat's index is kept for its next update (a busy chat empties and refills all the
    // time); only when very many chats were seen are empty ones let go.
    if (chat.oldest === undefined && chat.byMessageId.size === 0 && this.#chats.size > KEPT_EMPTY_CHATS)
      this.#chats.delete(chatId);
  }
}
