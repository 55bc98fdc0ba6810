/**
 * Analytic predictions (empty-poll share, requests per hour, added delay, webhook concurrency)
 * shown beside the measured figures; see harness-anchors.md §5.
 */
export { MODEL_DEFAULTS } from "./defaults.ts";
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
