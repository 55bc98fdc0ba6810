/**
 * Reading report.json files of schema tgbench/report@3, so that `tgbench report`, `compare` and
 * the performance job (which compares a base ref's reports with this version's tool) keep working
 * across the change to @4. @3 ran every cell on loopback and recorded no network; its prediction
 * was the first, loopback-only model (`emptyShare`, `requestsPerHour`, `emptyRequestsPerHour`,
 * `requestsPerUpdate`, `meanAddedDelayMs`), which left out Telegram's anti-busy-loop rule and the
 * bot's replies.
 *
 * What is carried over: every cell and trial gets the `loopback` network (what @3 measured on);
 * the first model's figures keep their names where @4 has them (`requestsPerUpdate` becomes
 * `requestsPerAnsweredUpdate`), every other figure is null, and a note says where they came from.
 */
import { emptyLatency } from "../model/figures.ts";
import { networkPreset } from "../network/index.ts";
import type { CellPrediction } from "./cell-prediction.ts";
import type { CellResult } from "./cell-result.ts";
import { REPORT_SCHEMA, type Report } from "./run-report.ts";
import type { TrialResult } from "./trial-result.ts";

/** The schema tag of the reports this file upgrades. */
export const REPORT_SCHEMA_V3 = "tgbench/report@3";

/** The first model's prediction, as @3 stored it. */
interface V3Prediction {
  emptyShare: number;
  requestsPerHour: number;
  emptyRequestsPerHour: number;
  requestsPerUpdate: number;
  meanAddedDelayMs: number;
}

/** The note on every prediction carried over from an @3 report. */
export const V3_PREDICTION_NOTE =
  "from a tgbench/report@3 file: the first, loopback-only model (no anti-busy-loop rule, no network, no bot behaviour)";

/** An @3 report (already checked to have cells with trials), or one upgraded to @3, as an @4 report. */
export function upgradeReportV3(data: Record<string, unknown>): Report {
  const loopback = networkPreset("loopback");
  const cells = (data.cells as Array<Record<string, unknown>>).map((cell) => {
    const trials = (cell.trials as Array<Record<string, unknown>>).map(
      (trial): TrialResult =>
        ({
          ...trial,
          network: trial.network ?? {
            profile: loopback,
            seed: String(trial.seed ?? ""),
            emulator: "none",
            stats: null,
          },
        }) as unknown as TrialResult,
    );
    const prediction = cell.prediction as V3Prediction | CellPrediction | null | undefined;
    return {
      ...cell,
      network: cell.network ?? loopback,
      prediction:
        prediction == null ? null : "sources" in prediction ? prediction : upgradePrediction(prediction),
      trials,
    } as unknown as CellResult;
  });
  const scenario = data.scenario as Record<string, unknown>;
  return {
    ...(data as unknown as Report),
    schema: REPORT_SCHEMA,
    scenario: { ...(scenario as unknown as Report["scenario"]), networks: [loopback] },
    cells,
  };
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

function upgradePrediction(old: V3Prediction): CellPrediction {
  const none = { meanMs: "none", p50Ms: "none", p90Ms: "none", p99Ms: "none", p999Ms: "none" } as const;
  return {
    emptyShare: finiteOrNull(old.emptyShare),
    pollsPerHour: null,
    requestsPerHour: finiteOrNull(old.requestsPerHour),
    emptyRequestsPerHour: finiteOrNull(old.emptyRequestsPerHour),
    requestsPerAnsweredUpdate: finiteOrNull(old.requestsPerUpdate),
    deliveryWaitMs: emptyLatency(),
    endToEndMs: emptyLatency(),
    throughputCeilingPerSecond: null,
    sources: {
      emptyShare: "closed-form",
      pollsPerHour: "none",
      requestsPerHour: "closed-form",
      emptyRequestsPerHour: "closed-form",
      requestsPerAnsweredUpdate: "closed-form",
      deliveryWaitMs: { ...none },
      endToEndMs: { ...none },
      throughputCeilingPerSecond: "none",
    },
    input: null,
    notes: [V3_PREDICTION_NOTE],
  };
}
