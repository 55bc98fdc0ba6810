import { parseCorrelationToken } from "../generator/index.ts";

/**
 * Which of the closed loop's POSTed updates the bot answered, by sequence number: a reply is
 * matched to the update whose correlation token its text carries (every built-in bot echoes the
 * text) or whose message it quotes, in the chat that update came from. Each update is counted
 * once. It keeps a byte and a chat id per update and no per-update object, so that at tens of
 * thousands of requests a second the bookkeeping does not become the harness's limit (the
 * runner's ReplyMatcher also times each reply, which the closed loop does not need).
 */
export class ClosedLoopReplies {
  #answered = new Uint8Array(1 << 16);
  #chats = new Float64Array(1 << 16);
  #issued = new Uint8Array(1 << 16);
  #answeredCount = 0;
  #unmatched = 0;
  #duplicates = 0;

  /** @param seqOfMessageId the update whose message has this message_id (any number back) */
  constructor(private readonly seqOfMessageId: (messageId: number) => number) {}

  /** Update `seq`, from `chatId`, was handed to autocannon. */
  issued(seq: number, chatId: number): void {
    while (seq >= this.#answered.length) this.#grow();
    this.#issued[seq] = 1;
    this.#chats[seq] = chatId;
  }

  /** A message the bot sent; returns whether it answered a POSTed update for the first time. */
  onReply(chatId: number, text: string | undefined, replyToMessageId: number | undefined): boolean {
    let seq = text === undefined ? undefined : parseCorrelationToken(text);
    if (seq === undefined && replyToMessageId !== undefined) seq = this.seqOfMessageId(replyToMessageId);
    if (
      seq === undefined ||
      !Number.isInteger(seq) ||
      seq < 0 ||
      seq >= this.#issued.length ||
      this.#issued[seq] !== 1 ||
      this.#chats[seq] !== chatId
    ) {
      this.#unmatched++;
      return false;
    }
    if (this.#answered[seq] === 1) {
      this.#duplicates++;
      return false;
    }
    this.#answered[seq] = 1;
    this.#answeredCount++;
    return true;
  }

  #grow(): void {
    const n = this.#answered.length * 2;
    const answered = new Uint8Array(n);
    answered.set(this.#answered);
    this.#answered = answered;
    const issued = new Uint8Array(n);
    issued.set(this.#issued);
    this.#issued = issued;
    const chats = new Float64Array(n);
    chats.set(this.#chats);
    this.#chats = chats;
  }

  get answeredCount(): number {
    return this.#answeredCount;
  }
  /** Replies that named no POSTed update (or the wrong chat for it). */
  get unmatched(): number {
    return this.#unmatched;
  }
  /** Further replies to an update already answered. */
  get duplicates(): number {
    return this.#duplicates;
  }
}
