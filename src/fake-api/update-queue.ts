import type { Update, UpdateType } from "./telegram-types.ts";

/** One update waiting for its bot, with what the queue needs to know about it. */
export interface QueuedUpdate {
  readonly update: Update;
  readonly type: UpdateType;
  /** Unix seconds after which Telegram drops the update unseen. */
  readonly expiresAtSec: number;
  /**
   * Webhook ordering key: updates with the same key are delivered one after another. Messages use
   * the chat id, callback queries the user id with a type tag (Client.cpp `<< 33`).
   */
  readonly queueKey: number;
}

/** Offsets this far beyond the tail fall back to the head (TD TQueue::get). */
const OFFSET_BEYOND_TAIL_TOLERANCE = 10;

/**
 * A per-bot update queue with telegram-bot-api's TQueue semantics: increasing update_ids,
 * confirmation by offset, negative offsets, expiry at fetch time.
 *
 * A Map keeps insertion (= update_id) order and deletes in O(1), which the webhook dispatcher needs
 * when it confirms updates of different chats out of order.
 */
export class UpdateQueue {
  readonly #items = new Map<number, QueuedUpdate>();
  readonly #onExpired: (item: QueuedUpdate) => void;
  #nextId: number;

  /** @param onExpired called for each update dropped because it expired before delivery. */
  constructor(firstUpdateId: number, onExpired: (item: QueuedUpdate) => void = () => {}) {
    this.#nextId = firstUpdateId;
    this.#onExpired = onExpired;
  }

  get size(): number {
    return this.#items.size;
  }

  /** The id the next pushed update will get. */
  get tailId(): number {
    return this.#nextId;
  }

  /** The id of the oldest queued update, or the tail when empty. */
  get headId(): number {
    for (const id of this.#items.keys()) return id;
    return this.#nextId;
  }

  push(
    type: UpdateType,
    expiresAtSec: number,
    queueKey: number,
    build: (updateId: number) => Update,
  ): QueuedUpdate {
    const updateId = this.#nextId++;
    const item: QueuedUpdate = { update: build(updateId), type, expiresAtSec, queueKey };
    this.#items.set(updateId, item);
    return item;
  }

  /**
   * getUpdates: forget everything below `offset`, drop expired updates, and return up to `limit`
   * updates from `offset` on. `offset <= 0` means the head; a negative offset first drops all but
   * the last |offset| updates.
   */
  take(offset: number, limit: number, nowSec: number): QueuedUpdate[] {
    if (offset < 0) this.keepLast(-offset);
    let from = offset <= 0 ? this.headId : offset;
    if (from > this.#nextId + OFFSET_BEYOND_TAIL_TOLERANCE) from = this.headId;
    const out: QueuedUpdate[] = [];
    for (const [id, item] of this.#items) {
      if (id < from) {
        this.#items.delete(id);
        continue;
      }
      if (item.expiresAtSec <= nowSec) {
        this.#items.delete(id);
        this.#onExpired(item);
        continue;
      }
      if (out.length >= limit) break;
      out.push(item);
    }
    return out;
  }

  get(updateId: number): QueuedUpdate | undefined {
    return this.#items.get(updateId);
  }

  remove(updateId: number): boolean {
    return this.#items.delete(updateId);
  }

  /** Drops all but the newest `count` updates. */
  keepLast(count: number): void {
    let excess = this.#items.size - count;
    for (const id of this.#items.keys()) {
      if (excess-- <= 0) break;
      this.#items.delete(id);
    }
  }

  clear(): void {
    this.#items.clear();
  }

  values(): IterableIterator<QueuedUpdate> {
    return this.#items.values();
  }
}
