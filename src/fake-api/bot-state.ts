import type { Socket } from "node:net";
import { CallLog, type CallLogBudget } from "./call-log.ts";
import { ChatStore } from "./chat-store.ts";
import { type Clock, unixSeconds } from "./clock.ts";
import { type BotCounters, newBotCounters } from "./counters.ts";
import { LongPoller } from "./long-poll.ts";
import { botUser } from "./objects.ts";
import { type ResolvedFakeApiOptions, TELEGRAM_LIMITS } from "./options.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { type BotCommand, DEFAULT_ALLOWED_UPDATES, type User } from "./telegram-types.ts";
import { type QueuedUpdate, UpdateQueue } from "./update-queue.ts";
import type { WebhookDispatcher } from "./webhook-dispatcher.ts";

/** The webhook a bot has set, as getWebhookInfo reports it. */
export interface WebhookConfig {
  url: string;
  secretToken: string;
  maxConnections: number;
  ipAddress: string | undefined;
}

/**
 * Everything the fake API knows about one bot (one token): its update queue and getUpdates state,
 * its webhook, the chats it talks in, its counters and call log.
 */
export class BotState {
  readonly token: string;
  readonly id: number;
  readonly user: User;
  readonly queue: UpdateQueue;
  readonly poller: LongPoller;
  readonly chats: ChatStore;
  readonly callLog: CallLog;
  readonly rateLimiter: RateLimiter | null;
  readonly clock: Clock;
  counters: BotCounters = newBotCounters();

  /** allowed_updates as last set; `null` means Telegram's default set. */
  allowedUpdates: ReadonlySet<string> | null = null;
  webhook: WebhookConfig | null = null;
  dispatcher: WebhookDispatcher | null = null;
  lastWebhookError: { dateSec: number; message: string } | null = null;
  /** A setWebhook is waiting for its first connection to the URL. */
  settingWebhook = false;
  /** setWebhook with a URL at most once a second (Client.cpp `next_allowed_set_webhook_time_`). */
  nextSetWebhookAllowedAtMs = 0;

  /** Anti-busy-loop bookkeeping (Client.cpp `previous_get_updates_offset_`/`_start_time_`). */
  previousPollOffset: number | undefined = undefined;
  previousPollStartMs = Number.NEGATIVE_INFINITY;
  /** Highest update_id ever handed over by getUpdates, so each update counts as delivered once. */
  handedUpToId = 0;

  /** Callback query ids not yet answered, with their expiry (unix seconds). */
  readonly callbackQueries = new Map<string, number>();
  /** setMyCommands by scope and language. */
  readonly commands = new Map<string, BotCommand[]>();
  /** Sockets this bot has used, to count the TCP connections it opened. */
  readonly sockets = new WeakSet<Socket>();
  /** Wall-clock ms (the options' clock) of the last call or update; idle bots are released. */
  lastActiveMs: number;
  /** Calls answered asynchronously (long polls, setWebhook) still running. */
  pendingCalls = 0;
  #fileSeq = 0;

  /**
   * @param onExpired told of every update dropped because it expired before delivery.
   * @param callLogBudget the byte budget this bot's call log shares with every other bot's.
   */
  constructor(
    token: string,
    id: number,
    options: ResolvedFakeApiOptions,
    onExpired: (bot: BotState, item: QueuedUpdate) => void,
    callLogBudget: CallLogBudget,
  ) {
    this.token = token;
    this.id = id;
    this.user = botUser(id);
    this.clock = options.clock;
    this.queue = new UpdateQueue(firstUpdateIdFor(token), (item) => onExpired(this, item));
    this.poller = new LongPoller(this.queue, () => unixSeconds(this.clock));
    this.chats = new ChatStore(options.messagesKeptPerChat);
    this.callLog = new CallLog(options.callLogCapacity, callLogBudget);
    this.rateLimiter = options.rateLimits ? new RateLimiter(options.clock) : null;
    this.lastActiveMs = options.clock.nowMs();
  }

  /**
   * Whether this bot can be released without anyone noticing but through its counters: no
   * webhook, nothing queued, no long poll parked, no call or 409 still to answer.
   */
  get releasable(): boolean {
    return (
      this.webhook === null &&
      this.dispatcher === null &&
      !this.settingWebhook &&
      this.pendingCalls === 0 &&
      this.queue.size === 0 &&
      this.poller.isIdle
    );
  }

  /** Counters with every byte so far included (the webhook dispatcher counts its sockets lazily). */
  currentCounters(): BotCounters {
    this.dispatcher?.countSocketBytes();
    return this.counters;
  }

  /** Whether an update of this type is accepted now (allowed_updates applies at creation). */
  accepts(type: string): boolean {
    return (this.allowedUpdates ?? DEFAULT_ALLOWED_UPDATES).has(type);
  }

  nowSec(): number {
    return unixSeconds(this.clock);
  }

  nextFileSeq(): number {
    return ++this.#fileSeq;
  }

  /** Zeroes the counters and empties the call log (the harness's reset between measurements). */
  resetCounters(): void {
    this.dispatcher?.countSocketBytes();
    this.counters = newBotCounters();
    this.callLog.clear();
  }
}

/**
 * Telegram starts a queue at a random id ≥ 2,000,001. We derive it from the token instead, so two
 * runs with the same tokens see the same ids (reproducibility), while different bots differ.
 */
function firstUpdateIdFor(token: string): number {
  let hash = 2_166_136_261;
  for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 16_777_619) >>> 0;
  return TELEGRAM_LIMITS.firstUpdateIdMin + (hash % 1_000_000);
}
