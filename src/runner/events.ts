import type { CellResult, FailureReason, TrialResult, UnsupportedReason } from "../results/index.ts";
import type { Cell } from "./scenario.ts";

/**
 * What the runner reports while it works. The runner only emits; the CLI decides what to print
 * (a progress display, nothing with --json).
 */
export type RunnerEvent =
  | { type: "cell-start"; cell: Cell; index: number; total: number }
  | { type: "cell-skipped"; cell: Cell; index: number; total: number; reason: UnsupportedReason }
  | { type: "bot-starting"; cell: Cell; trial: number }
  /**
   * Every few seconds while a bot is not ready yet (or its warm-up not answered): how long, what
   * for, and the calls the fake API has seen from it so far (`getme ×1, setwebhook ×2`).
   */
  | {
      type: "bot-waiting";
      cell: Cell;
      trial: number;
      waitedMs: number;
      waitingFor: string;
      seen: string;
      /** API errors it received so far. */
      errors: number;
    }
  | {
      type: "trial-progress";
      cell: Cell;
      trial: number;
      second: number;
      offered: number;
      answered: number;
      pending: number;
    }
  /** A measured trial, with the reasons it failed (correctness checks first; empty when it did not). */
  | { type: "trial-end"; cell: Cell; trial: number; result: TrialResult; failures: FailureReason[] }
  /** A trial that produced no result (its bot did not start, the warm-up failed). */
  | { type: "trial-failed"; cell: Cell; trial: number; reason: FailureReason }
  | { type: "cell-end"; cell: Cell; index: number; total: number; result: CellResult }
  /** One line worth telling the user outside any cell (a Python venv created, Python bots skipped). */
  | { type: "notice"; message: string };

export type RunnerEventSink = (event: RunnerEvent) => void;
