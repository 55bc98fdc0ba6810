import {
  type CellLatency,
  type CellResult,
  cellKeptUp,
  describeFailure,
  describeOutcome,
  endedBeforeMeasuring,
  type PooledLatency,
  poolCellLatency,
  pooledTrials,
  type TrialResult,
  usableTrials,
} from "../results/index.ts";
import { cellLabel, medianOf } from "./figures.ts";

/**
 * What became of a cell, as every renderer and the verdict see it:
 * - `measured`: at least one trial finished without an error and answered updates;
 * - `no-data`: trials finished, but no update was answered (none arrived in a short window at a low rate);
 * - `failed`: the bot failed to start, or every trial ended early (its bot exited) or failed a
 *   check (it replied to nothing, answered twice, used another mode …);
 * - `unsupported`: the bot has no such mode (telegraf cannot short-poll), so the cell never ran;
 * - `interrupted`: Ctrl-C stopped the run before any trial of this cell finished.
 */
export type CellStatus = "measured" | "no-data" | "failed" | "unsupported" | "interrupted";

/** The five latency figures reports draw, in µs (the cell's merged histogram); null when no latency was recorded. */
export interface LatencyFigures {
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  p999Us: number | null;
  maxUs: number | null;
}

/** The percentiles of {@link LatencyFigures}, in the order charts and tables show them. */
export const LATENCY_PERCENTILES = [
  { key: "p50Us", label: "p50" },
  { key: "p90Us", label: "p90" },
  { key: "p99Us", label: "p99" },
  { key: "p999Us", label: "p99.9" },
  { key: "maxUs", label: "max" },
] as const satisfies ReadonlyArray<{ key: keyof LatencyFigures; label: string }>;

/** Bot CPU time per answered update, with how far the kernel's clock-tick resolution lets us trust it. */
export interface BotCpuFigure {
  /** Median µs per answered update; null when not measured or nothing was answered. */
  usPerUpdate: number | null;
  /**
   * `exact`: at least {@link CPU_TICKS_FOR_EXACT} clock ticks in every trial; `approximate`: fewer;
   * `upper-bound`: no tick at all, so the true figure is below `usPerUpdate` (one tick per update);
   * `none`: not measured.
   */
  precision: "exact" | "approximate" | "upper-bound" | "none";
}

/** Below this many kernel clock ticks of bot CPU time, a per-update CPU figure is marked approximate. */
export const CPU_TICKS_FOR_EXACT = 10;

/** Resolution assumed for reports written before `botCpuResolutionMs` existed (one 100 Hz tick), ms. */
const DEFAULT_CPU_RESOLUTION_MS = 10;

/**
 * One cell reduced to its figures, plus what went wrong: latency from the trials' merged
 * histograms (with confidence intervals), the other figures the medians over its usable trials.
 */
export interface CellSummary {
  cell: CellResult;
  /** `grammy · webhook · 20/s` */
  label: string;
  status: CellStatus;
  /** Why the cell is not `measured` (the unsupported or failure reason, or the first trial's outcome), else null. */
  reason: string | null;
  /** The trials the figures come from: the usable ones (completed, no failed check), or every trial when none is. */
  trials: readonly TrialResult[];
  /** Trials whose bot exited under measurement or that failed a check, plus attempts that produced no trial (start-up, warm-up). */
  failedTrials: number;
  /** Trials whose ledger did not balance. */
  unbalancedTrials: number;
  /** Replies that answered no update, over every trial of the cell. */
  unmatchedReplies: number;
  /** Replies to updates already answered, over every trial of the cell. */
  duplicateReplies: number;
  answered: number | null;
  generated: number | null;
  /** End-to-end latency (intended time → reply) of the cell's updates. */
  latency: LatencyFigures;
  /** The same with each percentile's confidence interval; null without trials. */
  latencyEstimates: PooledLatency | null;
  /** Latency from the actual send (end to end minus the generator's lateness), with intervals. */
  fromActualSend: PooledLatency | null;
  /** Where the latency figures come from (merged histograms, or an @2 report's summaries). */
  latencySource: CellLatency["source"] | null;
  /** Requests (both directions) per answered update; null when nothing was answered. */
  requestsPerUpdate: number | null;
  emptyRequestsPerUpdate: number | null;
  bytesPerUpdate: number | null;
  /** Share of getUpdates answered `[]`, 0 … 1; null for webhooks and cells without getUpdates. */
  emptyShare: number | null;
  /** Empty getUpdates extrapolated to one hour at the cell's rate; 0 for webhooks. */
  emptyPerHour: number | null;
  offeredPerSecond: number | null;
  answeredPerSecond: number | null;
  /** Updates still unanswered when the measured window ended (median over trials). */
  backlogAtWindowEnd: number | null;
  /** The cell kept up (src/results/kept-up.ts, the one definition); null without usable trials. */
  sustained: boolean | null;
  botCpu: BotCpuFigure;
  botPeakRssBytes: number | null;
}

const INTERRUPTED = "the run was interrupted before a trial of this cell finished";

/** Summarises one cell. Pure; never throws on a cell with no trials or empty histograms. */
export function summarizeCell(cell: CellResult): CellSummary {
  const ok = usableTrials(cell);
  const trials = ok.length > 0 ? ok : pooledTrials(cell.trials);
  // The runner stores the pooled latency of the usable trials in the cell; a cell built without it
  // gets it here.
  const pooled = cell.latency ?? poolCellLatency(trials);
  const failedTrials =
    cell.trials.filter((t) => t.outcome.kind !== "cancelled" && !ok.includes(t)).length +
    unmeasuredAttempts(cell);
  const answered = medianOf(trials, (t) => t.ledger.answered);
  const perUpdate = (figure: (t: TrialResult) => number | null) =>
    answered === null || answered === 0 ? null : medianOf(trials, figure);
  const { status, reason } = statusOf(cell, ok, answered);
  return {
    cell,
    label: cellLabel(cell),
    status,
    reason,
    trials,
    failedTrials,
    unbalancedTrials: cell.trials.filter((t) => !t.ledger.balanced).length,
    unmatchedReplies: cell.trials.reduce((sum, t) => sum + t.matching.unmatched, 0),
    duplicateReplies: cell.trials.reduce((sum, t) => sum + t.matching.duplicates, 0),
    answered,
    generated: medianOf(trials, (t) => t.ledger.generated),
    latency: latencyFigures(pooled?.endToEnd ?? null),
    latencyEstimates: pooled?.endToEnd ?? null,
    fromActualSend: pooled?.fromActualSend ?? null,
    latencySource: pooled?.source ?? null,
    requestsPerUpdate: perUpdate((t) => t.requests.perAnsweredUpdate.requests),
    emptyRequestsPerUpdate: perUpdate((t) => t.requests.perAnsweredUpdate.emptyRequests),
    bytesPerUpdate: perUpdate((t) => t.requests.perAnsweredUpdate.bytes),
    emptyShare: cell.mode === "webhook" ? null : medianOf(trials, (t) => t.requests.emptyShare),
    emptyPerHour: medianOf(trials, (t) => t.requests.perHour.emptyRequests),
    offeredPerSecond: medianOf(trials, (t) => t.throughput.offeredPerSecond),
    answeredPerSecond: medianOf(trials, (t) => t.throughput.answeredPerSecond),
    backlogAtWindowEnd: medianOf(trials, (t) => t.throughput.backlogAtWindowEnd),
    sustained: cellKeptUp(cell),
    botCpu: botCpuFigure(trials, answered),
    botPeakRssBytes: medianOf(trials, (t) => t.cost.botPeakRssBytes),
  };
}

/** The five latency figures of a cell's pooled latency; all null without one. */
export function latencyFigures(pooled: PooledLatency | null): LatencyFigures {
  return {
    p50Us: pooled?.p50?.us ?? null,
    p90Us: pooled?.p90?.us ?? null,
    p99Us: pooled?.p99?.us ?? null,
    p999Us: pooled?.p999?.us ?? null,
    maxUs: pooled?.max?.us ?? null,
  };
}

function statusOf(
  cell: CellResult,
  ok: readonly TrialResult[],
  answered: number | null,
): { status: CellStatus; reason: string | null } {
  if (cell.status === "unsupported") return { status: "unsupported", reason: cell.reason.message };
  if (cell.trials.length === 0) {
    const first = cell.status === "failed" ? cell.reasons[0] : undefined;
    return first === undefined
      ? { status: "interrupted", reason: INTERRUPTED }
      : { status: "failed", reason: describeFailure(first) };
  }
  if (ok.length === 0) {
    const first = cell.trials[0]!.outcome;
    if (first.kind === "cancelled") return { status: "interrupted", reason: INTERRUPTED };
    const reason = cell.status === "failed" ? cell.reasons[0] : undefined;
    return {
      status: "failed",
      reason: reason === undefined ? describeOutcome(first) : describeFailure(reason),
    };
  }
  if (answered === null || answered === 0) {
    return { status: "no-data", reason: "no update was answered in the measured window" };
  }
  return { status: "measured", reason: null };
}

/** Attempts at a trial that produced none (the bot did not start, the warm-up failed). */
export function unmeasuredAttempts(cell: CellResult): number {
  return cell.status === "failed" ? cell.reasons.filter(endedBeforeMeasuring).length : 0;
}

/**
 * Bot CPU per update. The kernel counts CPU time in clock ticks (usually 10 ms): a total under
 * {@link CPU_TICKS_FOR_EXACT} ticks is approximate, and zero ticks only bounds the figure from above.
 */
function botCpuFigure(trials: readonly TrialResult[], answered: number | null): BotCpuFigure {
  const totalMs = medianOf(trials, (t) => t.cost.botCpuMs);
  if (totalMs === null || answered === null || answered === 0)
    return { usPerUpdate: null, precision: "none" };
  const resolutionMs = trials[0]?.cost.botCpuResolutionMs ?? DEFAULT_CPU_RESOLUTION_MS;
  if (totalMs === 0) return { usPerUpdate: (resolutionMs * 1000) / answered, precision: "upper-bound" };
  const exact = trials.every((t) => (t.cost.botCpuMs ?? 0) >= CPU_TICKS_FOR_EXACT * resolutionMs);
  return {
    usPerUpdate: medianOf(trials, (t) => t.cost.botCpuUsPerUpdate),
    precision: exact ? "exact" : "approximate",
  };
}
