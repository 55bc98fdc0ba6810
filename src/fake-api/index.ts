export type { CallRecord } from "./call-log.ts";
export { type Clock, ManualClock, systemClock } from "./clock.ts";
export {
  type Actor,
  ControlError,
  DEFAULT_USER_ID,
  FakeApiControl,
  type InjectCallbackInput,
  type InjectCommandInput,
  type InjectTextInput,
} from "./control.ts";
export { CONTROL_TOKEN_HEADER } from "./control-auth.ts";
export { CONTROL_PREFIX } from "./control-routes.ts";
export type { CountedTraffic } from "./counted.ts";
export { type BotCounters, UNKNOWN_METHOD } from "./counters.ts";
export { ApiError } from "./errors.ts";
export type { FakeApiEventMap, FakeApiEvents } from "./events.ts";
export { METHOD_NAMES } from "./methods/index.ts";
export type { ChatSpec, UserSpec } from "./objects.ts";
export {
  FAKE_API_DEFAULTS,
  type FakeApiOptions,
  type ResolvedFakeApiOptions,
  TELEGRAM_LIMITS,
} from "./options.ts";
export { FakeApi, parseBotPath, startFakeApi } from "./server.ts";
export type * from "./telegram-types.ts";
