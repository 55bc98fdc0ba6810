import { type ApiError, clientClosedRequest, conflict, Descriptions } from "./errors.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { QueuedUpdate, UpdateQueue } from "./update-queue.ts";

/** What a getUpdates call asks for, after clamping. */
export interface PollRequest {
  offset: number;
  limit: number;
  timeoutSeconds: number;
}

interface ParkedPoll {
  offset: number;
  limit: number;
  resolve: (updates: QueuedUpdate[]) => void;
  reject: (error: ApiError) => void;
  hardDeadlineMs: number;
  woken: boolean;
  timer: NodeJS.Timeout;
}

/**
 * getUpdates for one bot with telegram-bot-api's timing (Client.cpp `do_get_updates`,
 * `long_poll_wakeup`, `abort_long_poll`, `fail_query_conflict`):
 * - with updates queued, the answer is immediate;
 * - otherwise a long poll is parked (no timers firing while it waits) until an update arrives —
 *   answered 1 ms after the last arrival, at most 2 ms after the first — or until its timeout
 *   ends with `[]`;
 * - a new parked poll terminates the previous one with 409;
 * - 409s closer than 3 s to the previous one are delayed by 3 s.
 */
export class LongPoller {
  readonly #queue: UpdateQueue;
  readonly #nowSec: () => number;
  #parked: ParkedPoll | null = null;
  #nextConflictAtMs = 0;
  readonly #pendingConflicts = new Map<NodeJS.Timeout, () => void>();

  constructor(queue: UpdateQueue, nowSec: () => number) {
    this.#queue = queue;
    this.#nowSec = nowSec;
  }

  get isParked(): boolean {
    return this.#parked !== null;
  }

  /** Nothing parked and no delayed 409 pending. */
  get isIdle(): boolean {
    return this.#parked === null && this.#pendingConflicts.size === 0;
  }

  /**
   * Answers a getUpdates call: at once when it can (an array), else a promise that resolves with
   * the updates handed over (possibly none) or rejects
   * with an ApiError (409) when terminated. `onCancel` lets the caller un-park a poll whose
   * client went away, so a dead request never answers.
   */
  poll(
    request: PollRequest,
    onCancel: (cancel: () => void) => void,
  ): QueuedUpdate[] | Promise<QueuedUpdate[]> {
    const updates = this.#queue.take(request.offset, request.limit, this.#nowSec());
    if (updates.length > 0 || request.timeoutSeconds === 0) return updates;
    this.abort("getUpdates");
    return new Promise((resolve, reject) => {
      const hardDeadlineMs = performance.now() + request.timeoutSeconds * 1000;
      const parked: ParkedPoll = {
        offset: request.offset,
        limit: request.limit,
        resolve,
        reject,
        hardDeadlineMs,
        woken: false,
        timer: setTimeout(() => this.#answer(parked), request.timeoutSeconds * 1000),
      };
      this.#parked = parked;
      onCancel(() => {
        // The client went away: un-park so a later poll does not "terminate" a dead request, and
        // record it as cancelled (nobody receives the answer), not as an empty poll.
        if (this.#parked !== parked) return;
        clearTimeout(parked.timer);
        this.#parked = null;
        reject(clientClosedRequest());
      });
    });
  }

  /** An update was queued: answer the parked poll after the batching window. */
  wake(): void {
    const parked = this.#parked;
    if (parked === null) return;
    const nowMs = performance.now();
    if (!parked.woken) {
      parked.woken = true;
      parked.hardDeadlineMs = Math.min(nowMs + TELEGRAM_LIMITS.longPollMaxDelayMs, parked.hardDeadlineMs);
    }
    const answerAtMs = Math.min(nowMs + TELEGRAM_LIMITS.longPollWaitAfterMs, parked.hardDeadlineMs);
    clearTimeout(parked.timer);
    parked.timer = setTimeout(() => this.#answer(parked), Math.max(0, answerAtMs - nowMs));
  }

  /** Terminates the parked poll with 409 (a newer long poll, or setWebhook). */
  abort(by: "getUpdates" | "setWebhook"): void {
    const parked = this.#parked;
    if (parked === null) return;
    clearTimeout(parked.timer);
    this.#parked = null;
    this.failWithConflict(
      by === "getUpdates" ? Descriptions.terminatedByGetUpdates : Descriptions.terminatedBySetWebhook,
      parked.reject,
    );
  }

  /** Rejects with a 409 now, or 3 s from now when the previous 409 was less than 3 s ago. */
  failWithConflict(detail: string, reject: (error: ApiError) => void): void {
    const error = conflict(detail);
    const nowMs = performance.now();
    if (nowMs >= this.#nextConflictAtMs) {
      this.#nextConflictAtMs = nowMs + TELEGRAM_LIMITS.conflictIntervalMs;
      reject(error);
      return;
    }
    const fail = () => {
      this.#pendingConflicts.delete(timer);
      reject(error);
    };
    const timer = setTimeout(fail, TELEGRAM_LIMITS.conflictIntervalMs);
    this.#pendingConflicts.set(timer, fail);
  }

  /** Answers everything still waiting with `[]`/409 and clears all timers (server shutdown). */
  close(): void {
    const parked = this.#parked;
    if (parked !== null) {
      clearTimeout(parked.timer);
      this.#parked = null;
      parked.resolve([]);
    }
    for (const [timer, fail] of this.#pendingConflicts) {
      clearTimeout(timer);
      fail();
    }
  }

  #answer(parked: ParkedPoll): void {
    if (this.#parked !== parked) return;
    this.#parked = null;
    parked.resolve(this.#queue.take(parked.offset, parked.limit, this.#nowSec()));
  }
}
