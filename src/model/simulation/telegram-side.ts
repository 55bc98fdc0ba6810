/**
 * Telegram's side of the simulation: the update queue, getUpdates with the anti-busy-loop rule,
 * long polls with the batching window, and the webhook dispatcher with per-chat lanes and at most
 * `max_connections` POSTs in flight. Written from telegram-bot-api (Client.cpp
 * `process_get_updates_query`, `do_get_updates`, `long_poll_wakeup`; WebhookActor.cpp) and the
 * fake API's documented behaviour, not from the fake API's code.
 */
import type { Rng } from "../../generator/rng.ts";
import type { ResolvedModelInput } from "../inputs.ts";
import { effectivePoll, type ParkedDeadline, type PreviousPoll, wakeParkedPoll } from "../protocol.ts";
import type { EventQueue } from "./event-queue.ts";
import { ConnectionPool, type SimNetwork } from "./network.ts";

/** One simulated update and what happened to it (times in ms; NaN until it happened). */
export interface SimUpdate {
  /** update_id, from 1. */
  readonly id: number;
  /** The intended send time (what latency is timed from). */
  readonly intendedMs: number;
  /** When it reached Telegram's queue. */
  readonly injectedMs: number;
  /** Chat (webhook ordering key). */
  readonly lane: number;
  /** First hand-over: the getUpdates answer that carried it, or the start of its first POST. */
  deliveredMs: number;
  /** Its reply reached Telegram (sendMessage, or the webhook response carrying it). */
  repliedMs: number;
}

/** Server-side event times the counters are built from. */
export interface SimCallLog {
  /** getUpdates arrivals. */
  getUpdatesMs: number[];
  /** Answers with no update. */
  emptyMs: number[];
  /** Every getUpdates answer, with updates or without. */
  answersMs: number[];
  /** The bot's own reply calls (sendMessage). */
  repliesMs: number[];
  /** Webhook POSTs started. */
  postsMs: number[];
  /** Polls the anti-busy-loop rule held for 3 s or cut to limit 1. */
  heldPolls: number;
  limitedPolls: number;
}

/** What the bot asks with getUpdates. */
export interface PollCall {
  offset: number;
  timeoutSeconds: number;
  limit: number;
}

interface Parked extends ParkedDeadline {
  offset: number;
  limit: number;
  respond: (items: SimUpdate[]) => void;
  version: number;
}

/** The bot as the dispatcher sees it: a POST arrives, and the bot answers it later (or at once). */
export type PostHandler = (update: SimUpdate, respond: (replyInBody: boolean) => void) => void;

export class SimTelegram {
  readonly log: SimCallLog = {
    getUpdatesMs: [],
    emptyMs: [],
    answersMs: [],
    repliesMs: [],
    postsMs: [],
    heldPolls: 0,
    limitedPolls: 0,
  };
  /** Updates whose reply has arrived, and when the last one did. */
  repliedCount = 0;
  lastReplyMs = Number.NEGATIVE_INFINITY;
  readonly #queue: EventQueue;
  readonly #input: ResolvedModelInput;
  readonly #timerRng: Rng;
  readonly #updates: SimUpdate[] = [];
  /** Updates below this id are confirmed (forgotten). */
  #headId = 1;
  #handedUpToId = 0;
  #previous: PreviousPoll = { offset: undefined, startMs: Number.NEGATIVE_INFINITY };
  #parked: Parked | null = null;
  #dispatcher: SimDispatcher | null = null;

  constructor(queue: EventQueue, input: ResolvedModelInput, timerRng: Rng) {
    this.#queue = queue;
    this.#input = input;
    this.#timerRng = timerRng;
  }

  /** Switches to webhook delivery: every injected update goes to `onPost` through the dispatcher. */
  setWebhook(network: SimNetwork, onPost: PostHandler, maxConnections: number): void {
    this.#dispatcher = new SimDispatcher(this, this.#queue, network, onPost, maxConnections);
  }

  /** An update reaches the queue now. */
  inject(update: SimUpdate): void {
    this.#updates.push(update);
    if (this.#dispatcher !== null) {
      this.#dispatcher.notify(update);
      return;
    }
    const parked = this.#parked;
    if (parked !== null) this.#arm(parked, wakeParkedPoll(parked, this.#queue.nowMs));
  }

  /** A getUpdates reaches the server now; `respond` is called (now or later) with its answer. */
  getUpdates(call: PollCall, respond: (items: SimUpdate[]) => void): void {
    const nowMs = this.#queue.nowMs;
    this.log.getUpdatesMs.push(nowMs);
    const effective = effectivePoll(call, this.#previous, nowMs, this.#input.antiBusyLoop);
    if (effective.held) this.log.heldPolls++;
    if (effective.limitedToOne) this.log.limitedPolls++;
    this.#previous = { offset: call.offset, startMs: nowMs };
    const items = this.#take(call.offset, effective.limit);
    if (items.length > 0 || effective.timeoutMs === 0) {
      this.#answer(items, respond);
      return;
    }
    // Client.cpp do_get_updates: park the query until an update or the timeout. Our bots never
    // send a second poll while one is parked, so the 409 of abort_long_poll does not arise.
    const parked: Parked = {
      offset: call.offset,
      limit: effective.limit,
      respond,
      woken: false,
      hardDeadlineMs: nowMs + effective.timeoutMs,
      version: 0,
    };
    this.#parked = parked;
    this.#arm(parked, parked.hardDeadlineMs);
  }

  /** The bot's reply for `update` reaches the server now (`viaWebhookResponse`: not a request of its own). */
  reply(update: SimUpdate, viaWebhookResponse: boolean): void {
    const nowMs = this.#queue.nowMs;
    if (!viaWebhookResponse) this.log.repliesMs.push(nowMs);
    if (Number.isNaN(update.repliedMs)) {
      update.repliedMs = nowMs;
      this.repliedCount++;
      this.lastReplyMs = nowMs;
    }
  }

  /** The dispatcher started a POST for `update`. */
  notePost(update: SimUpdate): void {
    const nowMs = this.#queue.nowMs;
    this.log.postsMs.push(nowMs);
    if (Number.isNaN(update.deliveredMs)) update.deliveredMs = nowMs;
  }

  /** (Re)arms the parked poll's timer for `atMs`, plus the server's timer latency. */
  #arm(parked: Parked, atMs: number): void {
    const version = ++parked.version;
    this.#queue.at(atMs + this.#input.serverTimerLatency.sample(this.#timerRng), () => {
      if (this.#parked !== parked || parked.version !== version) return;
      this.#parked = null;
      this.#answer(this.#take(parked.offset, parked.limit), parked.respond);
    });
  }

  /** TQueue::get: forget ids below `offset`, return up to `limit` updates from it (offset ≤ 0: the head). */
  #take(offset: number, limit: number): SimUpdate[] {
    if (offset > this.#headId) this.#headId = offset;
    const from = offset <= 0 ? this.#headId : offset;
    const end = Math.min(this.#updates.length + 1, from + limit);
    return from >= end ? [] : this.#updates.slice(from - 1, end - 1);
  }

  #answer(items: SimUpdate[], respond: (items: SimUpdate[]) => void): void {
    const nowMs = this.#queue.nowMs;
    this.log.answersMs.push(nowMs);
    if (items.length === 0) this.log.emptyMs.push(nowMs);
    for (const item of items) {
      if (item.id > this.#handedUpToId) {
        item.deliveredMs = nowMs;
        this.#handedUpToId = item.id;
      }
    }
    respond(items);
  }
}

interface Lane {
  readonly key: number;
  readonly items: SimUpdate[];
  busy: boolean;
}

/**
 * The webhook dispatcher: updates of one chat one at a time, chats served in the order they became
 * ready (a lane goes to the back after each delivery), at most `maxConnections` POSTs in flight on
 * a keep-alive pool of that size. Deliveries never fail here (no retries are modelled).
 */
class SimDispatcher {
  readonly #telegram: SimTelegram;
  readonly #queue: EventQueue;
  readonly #network: SimNetwork;
  readonly #onPost: PostHandler;
  readonly #maxConnections: number;
  readonly #pool: ConnectionPool;
  readonly #lanes = new Map<number, Lane>();
  #ready: number[] = [];
  #readyHead = 0;
  #inFlight = 0;

  constructor(
    telegram: SimTelegram,
    queue: EventQueue,
    network: SimNetwork,
    onPost: PostHandler,
    maxConnections: number,
  ) {
    this.#telegram = telegram;
    this.#queue = queue;
    this.#network = network;
    this.#onPost = onPost;
    this.#maxConnections = maxConnections;
    // The warm-up opened a connection (or as many as the run says); more are opened, each paying a
    // handshake, as concurrency grows.
    this.#pool = new ConnectionPool(maxConnections, false, network.openAtStart.webhook, () =>
      network.setupMs(false),
    );
  }

  notify(update: SimUpdate): void {
    let lane = this.#lanes.get(update.lane);
    if (lane === undefined) {
      lane = { key: update.lane, items: [], busy: false };
      this.#lanes.set(update.lane, lane);
    }
    lane.items.push(update);
    if (lane.items.length === 1 && !lane.busy) this.#ready.push(lane.key);
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight < this.#maxConnections && this.#readyHead < this.#ready.length) {
      const lane = this.#lanes.get(this.#ready[this.#readyHead++]!);
      if (lane !== undefined && !lane.busy && lane.items.length > 0) this.#deliver(lane);
    }
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
  }

  #deliver(lane: Lane): void {
    const update = lane.items[0]!;
    lane.busy = true;
    this.#inFlight++;
    this.#telegram.notePost(update);
    const queue = this.#queue;
    this.#pool.acquire((setupMs, release) => {
      queue.after(setupMs + this.#network.downMs(), () => {
        this.#onPost(update, (replyInBody) => {
          queue.after(this.#network.upMs(), () => {
            release();
            if (replyInBody) this.#telegram.reply(update, true);
            lane.items.shift();
            lane.busy = false;
            this.#inFlight--;
            if (lane.items.length > 0) this.#ready.push(lane.key);
            else this.#lanes.delete(lane.key);
            this.#pump();
          });
        });
      });
    });
  }
}
