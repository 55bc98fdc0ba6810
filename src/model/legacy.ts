/**
 * Adapter from the model's figures to the first model's `Prediction` (polling-model.ts), the shape
 * `CellResult.prediction` and the reports read today, so the new model can replace the old one
 * without a schema change.
 */
import type { ModelFigures } from "./figures.ts";
import type { Prediction } from "./polling-model.ts";

/**
 * The {@link Prediction} of `figures`. Differences from the first model's own figures, all toward
 * what is measured: requests per update include the bot's replies (as the measured figure does);
 * the mean added delay is the mean end-to-end latency minus the handler's mean time.
 */
export function toPrediction(figures: ModelFigures, handlerMeanMs = 0): Prediction {
  const meanEndToEnd = figures.endToEndMs.meanMs;
  return {
    emptyShare: figures.emptyShare ?? 0,
    requestsPerHour: figures.requestsPerHour ?? Number.NaN,
    emptyRequestsPerHour: figures.emptyRequestsPerHour ?? 0,
    requestsPerUpdate: figures.requestsPerAnsweredUpdate ?? Number.POSITIVE_INFINITY,
    meanAddedDelayMs: meanEndToEnd === null ? Number.NaN : meanEndToEnd - handlerMeanMs,
  };
}
