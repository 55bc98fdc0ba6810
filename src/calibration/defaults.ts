/** The harness-ceiling calibration's settings: one default each (see ceiling.ts for what it measures). */
export const CALIBRATION_DEFAULTS = {
  /** A cell whose offered rate is at least this share of the reference bot's ceiling is flagged. */
  nearLimitShare: 0.5,
  /** A cached calibration of the same commit and machine is reused while younger than this. */
  maxAgeMs: 24 * 60 * 60 * 1000,
  /** Where calibrations are cached, relative to the working directory. */
  cacheDirectory: "node_modules/.cache/tgbench",
  /** autocannon against the fake API and against bare fastify: this long each, this many connections. */
  requestsDurationMs: 1_000,
  requestsConnections: 10,
  /**
   * The reference bot in webhook mode, closed loop: this many updates outstanding (twice the
   * webhook's default max_connections of 40, so the dispatcher is never idle), for this long,
   * after one warm-up update from each of this many users.
   */
  referenceInFlight: 80,
  referenceDurationMs: 2_000,
  referenceUsers: 1_000,
  /** Each server is warmed up by autocannon for this long before it is measured. */
  requestsWarmupMs: 300,
  /** The whole calibration gives up after this long (the run goes on without it). */
  timeoutMs: 60_000,
} as const;
