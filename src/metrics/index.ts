/**
 * Measurements of a run: latency histograms (µs), the reply matcher that pairs bot replies with
 * updates, the update ledger, the per-second timeline, and process CPU/RSS sampling. All pure or
 * synchronous building blocks; the runner composes them.
 */
export {
  DEFAULT_CLOCK_TICKS_PER_SECOND,
  LATENCY_HISTOGRAM_RANGE,
  REPLY_MATCHER_DEFAULTS,
} from "./defaults.ts";
export {
  createLatencyHistogram,
  decodeLatencyHistogram,
  LatencyHistogram,
  LatencyHistogramDecodeError,
  type LatencySummary,
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
  clockTicksPerSecond,
  harnessCpuMs,
  type ProcessStats,
  parseProcStat,
  parseProcStatus,
  readProcessStats,
} from "./process-sampler.ts";
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
