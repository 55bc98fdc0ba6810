/** What a verdict is made of, and the thresholds its wording uses. */
import type { ModeName } from "../results/index.ts";
import type { CellSummary } from "./cell-summary.ts";

/** Two figures closer than this ratio are called "about the same". */
export const SAME_FIGURE_RATIO = 1.1;
/** Bot CPU per update is only compared when one mode costs at least this ratio of another. */
export const CPU_DIFFERENCE_RATIO = 1.25;

/** The modes in the order reports list them. */
export const MODE_ORDER: readonly ModeName[] = ["short-polling", "long-polling", "webhook"];

/** One figure of two modes, compared on the bots measured in both. */
export interface ModeComparison {
  /** The mode with the smaller figure. */
  better: ModeName;
  worse: ModeName;
  /** worseValue / betterValue (≥ 1). */
  ratio: number;
  /** Median over the paired bots of each mode's figure. */
  betterValue: number;
  worseValue: number;
  /** How many bots were measured in both modes. */
  bots: number;
}

/** What one rate of the sweep shows. */
export interface RateVerdict {
  ratePerSecond: number;
  /** Modes with at least one measured cell at this rate, in {@link MODE_ORDER}. */
  modes: ModeName[];
  /** Median over bots of the empty getUpdates per hour of each polling mode measured. */
  emptyPerHour: Partial<Record<ModeName, number>>;
  /** Median over bots of each mode's p99 latency, µs. */
  p99Us: Partial<Record<ModeName, number>>;
  /** The mode with the lowest p99 latency (null with no measured cell). */
  fastest: ModeName | null;
  /** p99 latency of the fastest mode against each other mode, closest first. */
  latency: ModeComparison[];
  /** Measured cells that did not keep up (something unanswered, or a backlog at the end). */
  fellBehind: CellSummary[];
  /** The cheapest against the costliest mode in bot CPU per update, when clearly different. */
  cpu: ModeComparison | null;
  /** The rate's findings in one sentence, without CPU and backlog details. */
  summary: string;
  /** The rate's findings in full. */
  text: string;
}

/** The verdict of a report. */
export interface Verdict {
  /** The answer at a glance: the lowest compared rate's findings and which mode was fastest where. */
  headline: string;
  /** The rate the headline describes (null when nothing was measured). */
  leadRate: number | null;
  /** One entry per rate with a measured cell, lowest rate first. */
  rates: RateVerdict[];
  /** What limits the figures: failed or skipped cells, unbalanced ledgers, an interrupted run. */
  caveats: string[];
}
