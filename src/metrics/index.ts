/**
 * Measurements of a run: the trial recorder that measures a trial (recorder/), latency histograms
 * (µs) and their confidence intervals, the reply matcher that pairs bot replies with updates, the
 * update ledger, the per-second timeline, and process CPU/RSS sampling.
 */
export {
  DEFAULT_CLOCK_TICKS_PER_SECOND,
  LATENCY_HISTOGRAM_RANGE,
  PERCENTILE_INTERVAL_DEFAULTS,
  REPLY_MATCHER_DEFAULTS,
} from "./defaults.ts";
export {
  createLatencyHistogram,
  decodeLatencyHistogram,
  LatencyHistogram,
  LatencyHistogramDecodeError,
  type LatencySummary,
  type RecordedValue,
  SUMMARY_PERCENTILES,
  type SummaryPercentile,
} from "./latency-histogram.ts";
export {
  computeLedger,
  formatLedger,
  LEDGER_FIELDS,
  type Ledger,
  type LedgerField,
  type LedgerInput,
} from "./ledger.ts";
export {
  type IntervalMethod,
  type PercentileInterval,
  type PercentileIntervalOptions,
  type PercentileIntervals,
  percentileIntervals,
} from "./percentile-intervals.ts";
export {
  clockTicksPerSecond,
  harnessCpuMs,
  type ProcessStats,
  parseProcStat,
  parseProcStatus,
  readProcessStats,
} from "./process-sampler.ts";
export { type MonotonicClock, PERFORMANCE_CLOCK } from "./recorder/clock.ts";
export { type SecondTimer, startSecondTimer } from "./recorder/second-timer.ts";
export type { RecordedTrial, TrialEnd, WindowEnd } from "./recorder/trial-figures.ts";
export { TrialRecorder, type TrialRecorderOptions } from "./recorder/trial-recorder.ts";
export { ReplyMatcher } from "./reply-matcher.ts";
export {
  type BotReply,
  type ForgetReason,
  type MatchCounts,
  type MatchMethod,
  type MatchOutcome,
  type ReplyMatcherOptions,
  type ResolvedReplyMatcherOptions,
  resolveReplyMatcherOptions,
  type TrackedUpdate,
} from "./reply-matcher-types.ts";
export {
  TIMELINE_COUNTERS,
  TIMELINE_GAUGES,
  Timeline,
  type TimelineBucket,
  type TimelineCounter,
  type TimelineGauge,
} from "./timeline.ts";
