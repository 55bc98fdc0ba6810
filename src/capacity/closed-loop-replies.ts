import { parseCorrelationToken } from "../generator/index.ts";

/**
 * Which of the closed loop's POSTed updates the bot answered, by sequence number: a reply is
 * matched to the update whose correlation token its text carries (every built-in bot echoes the
 * text) or whose message it quotes, in the chat that update came from. Each update is counted
 * once. It keeps one byte per update and no per-update object, so that at tens of thousands of
 * requests a second the bookkeeping does not become the harness's limit (the runner's
 * ReplyMatcher also times each reply, which the closed loop does not need).
 */
export class ClosedLoopReplies {
  #answered = new Uint8Array(1 << 16);
  #issued = 0;
  #answeredCount = 0;
  #unmatched = 0;
  #duplicates = 0;

  /**
   * @param chatOf the chat update `seq` was sent from
   * @param messageIdOf the message_id of update `seq`'s message; seqOfMessageId its inverse
   */
  constructor(
    private readonly chatOf: (seq: number) => number,
    private readonly seqOfMessageId: (messageId: number) => number,
  ) {}

  /** Update `seq` was handed to autocannon (sequence numbers are issued from 0, in order). */
  issued(seq: number): void {
    if (seq + 1 > this.#issued) this.#issued = seq + 1;
    while (seq >= this.#answered.length) {
      const grown = new Uint8Array(this.#answered.length * 2);
      grown.set(this.#answered);
      this.#answered = grown;
    }
  }

  /** A message the bot sent; returns whether it answered a POSTed update for the first time. */
  onReply(chatId: number, text: string | undefined, replyToMessageId: number | undefined): boolean {
    let seq = text === undefined ? undefined : parseCorrelationToken(text);
    if (seq === undefined && replyToMessageId !== undefined) seq = this.seqOfMessageId(replyToMessageId);
    if (
      seq === undefined ||
      !Number.isInteger(seq) ||
      seq < 0 ||
      seq >= this.#issued ||
      this.chatOf(seq) !== chatId
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
