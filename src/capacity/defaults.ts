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
  /** Highest offered rate of the open-loop steps, updates/s. */
  maxRatePerSecond: 2_000,
  /** autocannon's connections (closed loop, webhook mode). */
  connections: 10,
  /** Updates prefilled into the queue for the polling drain. */
  prefillUpdates: 2_000,
  /** Open-loop steps: the first rate, and the factor between steps. */
  firstRatePerSecond: 50,
  rateStepFactor: 2,
  /**
   * The knee: the first step whose end-to-end p50 exceeds this many times the floor (the p50 of the
   * lowest step), or that did not keep up.
   */
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
