import { randomBytes } from "node:crypto";
import { type Clock, systemClock } from "./clock.ts";

/**
 * Options of the fake Bot API. All optional; {@link resolveFakeApiOptions} fills in the defaults
 * below, once, at the boundary. Every default is a named constant in {@link FAKE_API_DEFAULTS}.
 */
export interface FakeApiOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 lets the OS choose. Default 0. */
  port?: number;
  /**
   * Telegram's rule against busy loops: the same getUpdates offset again within 3 s with
   * `timeout < 3` is held for 3 s, and within 0.5 s gets `limit=1`. On by default because that is
   * what real bots get. Default true.
   */
  antiBusyLoop?: boolean;
  /** Simulate Telegram's flood limits with 429 answers (1 msg/s per private chat with bursts, 20/min per group, 30/s per bot). Default false. */
  rateLimits?: boolean;
  /** Allow setWebhook URLs on hosts other than loopback. Default false: tgbench never sends traffic off the machine unless told. */
  allowExternalWebhookHosts?: boolean;
  /** How long a webhook delivery may take before it counts as failed (Telegram: 60 s). Default 60000. */
  webhookDeliveryTimeoutMs?: number;
  /** Factor applied to the webhook retry schedule (2, 4, 8 … s); tests use e.g. 0.001. Default 1. */
  webhookRetryTimeScale?: number;
  /** How long setWebhook waits for its first connection to the URL. Default 10000. */
  webhookProbeTimeoutMs?: number;
  /** Largest accepted request body; larger gets 413. Default 50 MiB (Telegram's upload limit). */
  bodyLimitBytes?: number;
  /** How many recent calls per bot the call log keeps (a ring buffer; counters are never dropped). Default 10000. */
  callLogCapacity?: number;
  /**
   * How much the call logs of all bots together may hold, in bytes (names and values counted at
   * two bytes a character); the oldest calls go first. Default 64 MiB.
   */
  callLogMaxBytes?: number;
  /** A parameter value longer than this (bytes, as above) is logged as its SHA-256 and length. Default 16 KiB. */
  callLogValueMaxBytes?: number;
  /**
   * A bot that has made no call and had no update for this long, and has nothing queued, parked or
   * set (no webhook), is released; its counters keep their totals. Default 600000 (10 min).
   */
  botIdleReleaseMs?: number;
  /**
   * Most bot states kept at once; beyond it the least recently active releasable bots are released
   * early, and the kept counters of released bots are capped at this many too. Default 10000.
   */
  maxBots?: number;
  /**
   * The secret the control API over HTTP requires in the `X-Tgbench-Control-Token` header.
   * Default: 32 random hex characters, new for every fake API (`tgbench serve` prints it).
   */
  controlToken?: string;
  /** How many recent messages per chat are kept for edits, replies, forwards and button presses. Default 1000. */
  messagesKeptPerChat?: number;
  /** Wall clock for message dates, expiry and rate limits. Default: the system clock. */
  clock?: Clock;
  /**
   * Where the webhook dispatcher sends the POSTs for a webhook URL: the URL itself (the default),
   * or the URL of a relay in front of it (the runner's emulated network, src/network/). The URL
   * the bot set stays what getWebhookInfo reports; setWebhook's probe connects to it directly.
   */
  webhookRoute?: (url: string) => string | Promise<string>;
}

export type ResolvedFakeApiOptions = Required<FakeApiOptions>;

export const FAKE_API_DEFAULTS = {
  host: "127.0.0.1",
  port: 0,
  antiBusyLoop: true,
  rateLimits: false,
  allowExternalWebhookHosts: false,
  webhookDeliveryTimeoutMs: 60_000,
  webhookRetryTimeScale: 1,
  webhookProbeTimeoutMs: 10_000,
  bodyLimitBytes: 50 * 1024 * 1024,
  callLogCapacity: 10_000,
  callLogMaxBytes: 64 * 1024 * 1024,
  callLogValueMaxBytes: 16 * 1024,
  botIdleReleaseMs: 600_000,
  maxBots: 10_000,
  messagesKeptPerChat: 1_000,
} as const;

/** A fresh control token: 128 random bits as hex. */
export const newControlToken = (): string => randomBytes(16).toString("hex");

/** Protocol constants of telegram-bot-api that are not options (Client.cpp, WebhookActor.cpp). */
export const TELEGRAM_LIMITS = {
  getUpdatesLimitMax: 100,
  longPollMaxTimeoutSeconds: 50,
  /** Answer a parked long poll this long after the last update arrived… */
  longPollWaitAfterMs: 1,
  /** …but no later than this after the first one. */
  longPollMaxDelayMs: 2,
  /** A 409 within this long of the previous one is delayed by this long. */
  conflictIntervalMs: 3_000,
  antiBusyLoopHoldSeconds: 3,
  antiBusyLoopWindowMs: 3_000,
  antiBusyLoopLimitOneWindowMs: 500,
  messageExpirySeconds: 86_400,
  callbackQueryExpirySeconds: 150,
  webhookMaxConnectionsDefault: 40,
  webhookMaxConnectionsMax: 100,
  secretTokenMaxLength: 256,
  messageTextMaxLength: 4096,
  captionMaxLength: 1024,
  /** Query string plus a urlencoded or JSON body, and each multipart field (HttpReader `MAX_TOTAL_PARAMETERS_LENGTH`). */
  maxParametersBytes: 1 << 20,
  /** Request line and headers (HttpReader `MAX_TOTAL_HEADERS_LENGTH`). */
  maxHeadersBytes: 1 << 18,
  /** File parts per request (HttpServer's HttpInboundConnection `max_files`). */
  maxFilesPerRequest: 50,
  /** RFC 1341's limit, as HttpReader `MAX_BOUNDARY_LENGTH`. */
  multipartBoundaryMaxLength: 70,
  /** Nesting of JSON values in a body and in JSON parameters (JsonBuilder `DEFAULT_MAX_DEPTH`). */
  jsonMaxDepth: 100,
  /** First update_id of a new queue is random ≥ 2,000,001 (TD TQueue). */
  firstUpdateIdMin: 2_000_001,
  /** Retry delays after the immediate first retry: 2, 4, 8 … s, capped at a random 60–120 s. */
  webhookRetryFirstDelayMs: 2_000,
  webhookRetryCapMinMs: 60_000,
  webhookRetryCapMaxMs: 120_000,
  webhookRetryAfterMaxSeconds: 3_600,
} as const;

export function resolveFakeApiOptions(options: FakeApiOptions = {}): ResolvedFakeApiOptions {
  const resolved: ResolvedFakeApiOptions = {
    ...FAKE_API_DEFAULTS,
    clock: systemClock,
    controlToken: newControlToken(),
    webhookRoute: (url: string) => url,
    ...withoutUndefined(options),
  };
  for (const key of [
    "webhookDeliveryTimeoutMs",
    "webhookProbeTimeoutMs",
    "bodyLimitBytes",
    "callLogCapacity",
    "callLogMaxBytes",
    "callLogValueMaxBytes",
    "botIdleReleaseMs",
    "maxBots",
    "messagesKeptPerChat",
  ] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] <= 0) {
      throw new RangeError(`${key} must be a positive number, got ${resolved[key]}`);
    }
  }
  if (!(resolved.webhookRetryTimeScale >= 0)) {
    throw new RangeError(`webhookRetryTimeScale must be >= 0, got ${resolved.webhookRetryTimeScale}`);
  }
  if (!/^[\x21-\x7e]{16,256}$/.test(resolved.controlToken)) {
    throw new RangeError("controlToken must be 16-256 printable ASCII characters without spaces");
  }
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_535) {
    throw new RangeError(`port must be an integer in 0..65535, got ${resolved.port}`);
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
