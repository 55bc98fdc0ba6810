/**
 * Every default and fixed range of the metrics, in one place. Option interfaces document these
 * values; the resolvers and factories are the only code that reads them.
 */

/**
 * Range and precision of every latency histogram. Values are microseconds: 1 µs … 1 h, three
 * significant digits (a recorded value is off by at most 0.1 %).
 */
export const LATENCY_HISTOGRAM_RANGE = {
  /** Smallest value told apart from 0, in µs; smaller values are clamped up to it. */
  lowestDiscernibleUs: 1,
  /** Largest value tracked, in µs (1 h); larger values are clamped down to it. */
  highestTrackableUs: 3_600_000_000,
  significantValueDigits: 3,
} as const;

/** Defaults of {@link ReplyMatcherOptions}. */
export const REPLY_MATCHER_DEFAULTS = {
  /**
   * How many answered updates are remembered to recognise duplicate replies (all chats together,
   * oldest forgotten first). At 5,000 replies/s this covers the last 2 s; a duplicate that comes
   * later is counted as unmatched instead. Memory: a few hundred bytes per remembered update.
   */
  recentAnsweredLimit: 10_000,
} as const;

/** Clock ticks per second assumed when `getconf CLK_TCK` cannot be run (the Linux default). */
export const DEFAULT_CLOCK_TICKS_PER_SECOND = 100;

/**
 * Confidence intervals of percentiles (src/metrics/percentile-intervals.ts): their level, and how
 * many bootstrap replicates estimate them. 2,000 replicates put the 2.5 % and 97.5 % points on the
 * 50th value from either end, enough for a stable interval; computing them costs a few ms per cell.
 */
export const PERCENTILE_INTERVAL_DEFAULTS = {
  /** Share of replicates inside the interval (0.95: a 95 % interval). */
  confidence: 0.95,
  replicates: 2_000,
} as const;
