/**
 * The model's answer for one cell: the closed forms where they are exact, the simulation for
 * everything else, and where each figure came from.
 *
 * | figure | closed form (when exact) | otherwise |
 * |---|---|---|
 * | empty share, polls/h, requests/h, requests per answered update | poll chain (long polling; short polling without the hold), anti-busy-loop renewal cycle (short polling with it); webhooks: 1 or 2 requests per update | simulation |
 * | delivery wait, mean | poll chain / renewal cycle; webhook M/G/1 (max_connections 1) or per-chat M/G/1 (far from max_connections) | simulation |
 * | delivery wait, percentiles | poll chain (mixture of uniforms and the batching window); webhook: 0 where fewer than 1 − q of the updates wait | simulation |
 * | end-to-end | delivery wait + the fixed way to the bot, handler and reply, when no update queues inside the bot | simulation |
 * | throughput ceiling | fluid bound (ceiling.ts), exact for constant delays | simulation under overload |
 *
 * "Exact" means: constant delays, Poisson arrivals, batches below `limit`, and a batch's handling
 * time independent of its size; closed-form.ts notes say which condition failed.
 */

import { ceilingIsExact } from "./closed-form/ceiling.ts";
import { derive } from "./closed-form/derived.ts";
import { type ClosedFormResult, closedFormOf } from "./closed-form/index.ts";
import {
  FIGURE_NAMES,
  type FigureName,
  type FigureSource,
  type LatencyFiguresMs,
  MODEL_PERCENTILES,
  type ModelFigures,
} from "./figures.ts";
import { type ModelInput, type ResolvedModelInput, resolveModelInput } from "./inputs.ts";
import { simulateCeiling } from "./simulation/ceiling.ts";
import { type SimulationOptions, type SimulationResult, simulate } from "./simulation/simulate.ts";

/** Where each figure came from; latency figures per statistic. */
export type FigureSources = {
  [K in FigureName]: ModelFigures[K] extends LatencyFiguresMs
    ? Record<keyof LatencyFiguresMs, FigureSource>
    : FigureSource;
};

/** The model's prediction for one cell. */
export interface ModelPrediction {
  input: ResolvedModelInput;
  figures: ModelFigures;
  sources: FigureSources;
  closedForm: ClosedFormResult;
  /** The simulated run (null when the closed forms gave every figure, or the simulation was switched off). */
  simulation: SimulationResult | null;
  /** Why figures came from the simulation, and what the closed forms assume. */
  notes: string[];
}

export interface PredictOptions {
  /** Options of the simulated run, or false to use the closed forms only (figures they lack stay null). */
  simulation?: SimulationOptions | false;
}

const LATENCY_KEYS: ReadonlyArray<keyof LatencyFiguresMs> = [
  "meanMs",
  ...MODEL_PERCENTILES.map((p) => p.key),
];

function isLatency(name: FigureName): name is "deliveryWaitMs" | "endToEndMs" {
  return name === "deliveryWaitMs" || name === "endToEndMs";
}

/** Every figure of one cell, each from the best source there is. Throws a RangeError for an invalid input. */
export function predict(modelInput: ModelInput, options: PredictOptions = {}): ModelPrediction {
  const input = resolveModelInput(modelInput);
  const closed = closedFormOf(input);
  const notes = [...closed.notes];
  const ceilingExact = ceilingIsExact(input, derive(input));
  const missing = FIGURE_NAMES.some((name) =>
    isLatency(name)
      ? LATENCY_KEYS.some((k) => closed.figures[name][k] === null)
      : name === "throughputCeilingPerSecond"
        ? !ceilingExact
        : closed.figures[name] === null && !(name === "emptyShare" && input.mode.mode === "webhook"),
  );
  const simulationOptions = options.simulation === false ? {} : (options.simulation ?? {});
  // Without arrivals there is no latency to simulate unless a run length is given.
  const idle = input.ratePerSecond === 0 && simulationOptions.durationMs === undefined;
  const runSimulation = options.simulation !== false && missing && !idle;
  const simulation = runSimulation ? simulate(modelInput, simulationOptions) : null;
  if (input.arrivals !== "poisson")
    notes.push("arrivals are not Poisson: the closed forms assume Poisson arrivals");

  const figures = structuredClone(closed.figures);
  const sources = {} as Record<FigureName, unknown>;
  for (const name of FIGURE_NAMES) {
    if (isLatency(name)) {
      const perKey = {} as Record<keyof LatencyFiguresMs, FigureSource>;
      for (const key of LATENCY_KEYS) {
        const exact = closed.figures[name][key];
        const simulated = simulation?.figures[name][key] ?? null;
        figures[name][key] = exact ?? simulated;
        perKey[key] = exact !== null ? "closed-form" : simulated !== null ? "simulation" : "none";
      }
      sources[name] = perKey;
    } else if (name === "throughputCeilingPerSecond") {
      const bound = closed.figures.throughputCeilingPerSecond;
      if (ceilingExact || bound === null || simulation === null) {
        sources[name] = bound === null ? "none" : "closed-form";
      } else {
        figures.throughputCeilingPerSecond = simulateCeiling(modelInput, bound, simulationOptions);
        sources[name] = "simulation";
      }
    } else {
      const exact = closed.figures[name];
      const simulated = simulation?.figures[name] ?? null;
      figures[name] = exact ?? simulated;
      sources[name] = exact !== null ? "closed-form" : simulated !== null ? "simulation" : "none";
    }
  }
  return { input, figures, sources: sources as FigureSources, closedForm: closed, simulation, notes };
}
