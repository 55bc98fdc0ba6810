import type { NetworkProfile } from "../network/index.ts";
import type { CellLatency } from "./cell-latency.ts";
import type { CellPrediction } from "./cell-prediction.ts";
import type { ModeName } from "./mode-name.ts";
import type { FailureReason, UnsupportedReason } from "./outcome.ts";
import type { TrialResult } from "./trial-result.ts";

/** What every cell records, whatever became of it. */
interface CellBase {
  bot: string;
  framework: string;
  mode: ModeName;
  ratePerSecond: number;
  /** The network between the bot and the fake API (src/network/): `loopback` when nothing was added. */
  network: NetworkProfile;
  /** Effective settings for this cell (poll interval, timeout, max_connections, webhook reply). */
  settings: Record<string, string | number | boolean | null>;
  /** The trials that were measured, in order (empty when the cell is unsupported). */
  trials: TrialResult[];
  /**
   * Latency over the trials: their histograms merged, each percentile with a confidence interval
   * (src/results/cell-latency.ts); null when no trial was measured.
   */
  latency: CellLatency | null;
  /**
   * The model's figures for this cell (src/model/ via src/runner/cell-model.ts), shown beside the
   * measurements; null when the model cannot take the cell (a long-polling timeout unknown).
   */
  prediction: CellPrediction | null;
}

/**
 * What became of a cell:
 * - `ran`: every trial attempted was measured, none failed (Ctrl-C may have stopped one: its
 *   outcome says `cancelled`, and the report is `partial`);
 * - `unsupported`: the cell never ran, for the `reason` given; not a failure;
 * - `failed`: something went wrong, for each of the `reasons` given (a bot that did not start, a
 *   trial whose bot died or whose ledger did not balance); the run exits 1. Trials that were
 *   measured are still in `trials`.
 */
export type CellStatus =
  | { status: "ran" }
  | { status: "unsupported"; reason: UnsupportedReason }
  | { status: "failed"; reasons: FailureReason[] };

/** One cell of the sweep: a bot, a mode, a rate, a network, and what its trials measured. */
export type CellResult = CellBase & CellStatus;
