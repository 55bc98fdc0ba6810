import { SCENARIO_DEFAULTS } from "../runner/defaults.ts";

/**
 * The defaults of `tgbench saturate`, one each (resolved once, in options.ts). Every load loop the
 * command starts is bounded by these limits in count and time.
 */
export const SATURATE_DEFAULTS = {
  bot: "reference",
  mode: "webhook",
  handlerDelayMs: 0,
  /** Length of the closed-loop run and of each open-loop step, ms. */
  durationMs: 3_000,
  /**
   * Highest offered rate of the open-loop steps, updates/s; null: the highest of `stepFractions`
   * times the closed-loop capacity (bounded by SATURATE_LIMITS.maxRatePerSecond).
   */
  maxRatePerSecond: null as number | null,
  /**
   * autocannon's connections (closed loop, webhook mode): as many as the fake API opens to the
   * webhook in the open loop (Telegram's default `max_connections`), so both loops allow the bot
   * the same concurrency.
   */
  connections: SCENARIO_DEFAULTS.webhookMaxConnections,
  /** Updates prefilled into the queue for the polling drain. */
  prefillUpdates: 2_000,
  /**
   * The open-loop steps' offered rates as fractions of the closed-loop capacity: a coarse start
   * for the floor, finer around the capacity, and on past it (open loop with the fake API's
   * connections can go beyond a closed loop's figure).
   */
  stepFractions: [0.125, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4] as readonly number[],
  /** A step offers at least this many updates (so its p50 means something): it sets the lowest rate. */
  minUpdatesPerStep: 30,
  /** A step has left the floor when its end-to-end p50 exceeds this many times the floor (knee.ts). */
  kneeFactor: 3,
  /** A small population in private chats, each chat created (and answered) once before measuring. */
  users: 50,
  /** How long replies may still arrive after the closed loop or the prefill, ms. */
  drainTimeoutMs: 10_000,
} as const;

/** Bounds of the options: nothing runs unbounded. */
export const SATURATE_LIMITS = {
  maxDurationMs: 60_000,
  maxRatePerSecond: 20_000,
  maxConnections: 256,
  maxPrefillUpdates: 100_000,
  /** At most this many open-loop steps. */
  maxSteps: 12,
} as const;
