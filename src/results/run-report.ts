import type { CellResult } from "./cell-result.ts";
import type { HarnessCeiling } from "./harness-ceiling.ts";
import type { ResolvedScenario } from "./scenario-record.ts";

/**
 * Version of the report.json schema; bump on any incompatible change. @2: trial `outcome` and
 * cell `status` as data (they replaced the `error` and `skipped` strings of @1). @3: each trial
 * keeps its HDR histograms and its measured `window`, rates without data are null, the timeline
 * is timed by events and checked, each cell has its pooled `latency` with intervals, and raw
 * latency is `fromActualSend`. @4: a cell is bot × mode × rate × network, each cell and trial
 * records its `network`, and `prediction` holds the model of src/model/ (every figure, with its
 * source and inputs). src/results/upgrade-v1.ts, upgrade-v2.ts and upgrade-v3.ts read the older ones.
 */
export const REPORT_SCHEMA = "tgbench/report@4";

/** The machine a run measured on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryBytes: number;
  platform: string;
  node: string;
}

/** Everything a run produced: what report.json holds, and what every renderer and compare read. */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: "tgbench"; version: string };
  createdAt: string;
  machine: MachineInfo;
  scenario: ResolvedScenario;
  cells: CellResult[];
  /** True when the run was interrupted (Ctrl-C) and the cells are partial. */
  partial: boolean;
  /**
   * The harness's own ceiling on this machine (added within @4: reports written before it have
   * none, and read as "not measured").
   */
  harnessCeiling?: HarnessCeiling;
}
