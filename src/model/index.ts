/**
 * The analytic model shown beside the measured figures. `predict` is the entry point: closed forms
 * where they are exact (src/model/closed-form/), an exact simulation of the protocol rules for the
 * rest (src/model/simulation/), each figure with its source. docs/model.md lists what it covers
 * and what it leaves out. The first, loopback-only model (`predictMode` …) stays for its callers.
 */
export {
  BOT_BEHAVIOURS,
  type BotBehaviour,
  type BuiltInBotName,
  isBuiltInBotName,
} from "./bot-behaviours.ts";
export { type ClosedFormResult, closedForm } from "./closed-form/index.ts";
export { MODEL_DEFAULTS, SIMULATION_DEFAULTS } from "./defaults.ts";
export { type Duration, type DurationSpec, duration } from "./distributions.ts";
export {
  FIGURE_NAMES,
  type FigureName,
  type FigureSource,
  type LatencyFiguresMs,
  MODEL_PERCENTILES,
  type ModelFigures,
} from "./figures.ts";
export {
  type ModeInput,
  type ModelInput,
  type ModelMode,
  type NetworkInput,
  type PopulationInput,
  type ResolvedModelInput,
  resolveModelInput,
} from "./inputs.ts";
export { toPrediction } from "./legacy.ts";
export {
  type DeliveryMode,
  type LongPollingParams,
  type LongPollingPrediction,
  MODE_PREDICTORS,
  type ModeParams,
  type Prediction,
  predictLongPolling,
  predictMode,
  predictShortPolling,
  predictWebhook,
  type ShortPollingParams,
  type ShortPollingPrediction,
  type WebhookParams,
  type WebhookPrediction,
  webhookInFlight,
} from "./polling-model.ts";
export { type FigureSources, type ModelPrediction, type PredictOptions, predict } from "./predict.ts";
export { TELEGRAM_RULES } from "./protocol.ts";
export { simulateCeiling } from "./simulation/ceiling.ts";
export { type SimulationOptions, type SimulationResult, simulate } from "./simulation/simulate.ts";
export {
  AGREEMENT_TARGETS,
  type AgreementTarget,
  emptyShareStandardError,
  meanStandardError,
  quantileInterval,
  withinTarget,
} from "./uncertainty.ts";
