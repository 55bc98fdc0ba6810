/**
 * What a run produced: the result types the runner writes and report/ and compare/ read, so that
 * the reports depend on the results, not on how the runner is built.
 */

export {
  type ApiActivity,
  type ApiErrorSample,
  describeActivity,
  formatApiError,
  formatApiErrors,
  formatCallsByMethod,
} from "./api-activity.ts";
export { cellKey } from "./cell-key.ts";
export {
  CELL_PERCENTILES,
  type CellLatency,
  type CellPercentile,
  LATENCY_NAMES,
  type LatencyName,
  mergedHistogram,
  type PercentileEstimate,
  type PooledLatency,
  poolCellLatency,
  pooledPercentile,
  pooledTrials,
} from "./cell-latency.ts";
export type { CellPrediction } from "./cell-prediction.ts";
export type { CellResult, CellStatus } from "./cell-result.ts";
export { attemptedCellStatus, trialFailures, usableTrials } from "./cell-status.ts";
export {
  type CeilingSource,
  ceilingPerSecond,
  type HarnessCeiling,
  isHarnessCeiling,
  type MeasuredCeiling,
  nearHarnessLimit,
  type UnmeasuredCeiling,
} from "./harness-ceiling.ts";
export { cellKeptUp, fellBehindBecause, KEPT_UP_DEFINITION, trialKeptUp } from "./kept-up.ts";
export type { ModeName } from "./mode-name.ts";
export {
  type ApiErrorsFailure,
  type BotExitedFailure,
  type DuplicateRepliesFailure,
  describeFailure,
  describeOutcome,
  type ExitStatus,
  endedBeforeMeasuring,
  exitText,
  FAILURE_LABELS,
  type FailureKind,
  type FailureReason,
  failureDetail,
  type HarnessFailure,
  type LedgerFailure,
  type ModeMismatchFailure,
  type NoRepliesFailure,
  outcomeDetail,
  type StartFailure,
  type TimelineFailure,
  type TrialOutcome,
  type TrialOutcomeKind,
  type UnansweredFailure,
  type UnmatchedRepliesFailure,
  type UnsupportedReason,
  type WarmUpFailure,
} from "./outcome.ts";
export { type MachineInfo, REPORT_SCHEMA, type Report } from "./run-report.ts";
export {
  type CellConcurrency,
  type CellDurationRule,
  type CellFilter,
  cellDurationMs,
  cellExcluded,
  plannedCellCount,
  type ResolvedScenario,
  type SubjectRef,
  type WebhookFront,
} from "./scenario-record.ts";
export { checkTimeline, formatTimelineCheck } from "./timeline-check.ts";
export {
  type BotStop,
  describeStop,
  type ObservedMode,
  type TrialBehaviour,
  type WebhookFrontCost,
} from "./trial-behaviour.ts";
export type { TrialNetwork } from "./trial-network.ts";
export type {
  LatencyRecord,
  MeasurementWindow,
  TimelineCheck,
  TimelineMismatch,
  TrialResult,
} from "./trial-result.ts";
