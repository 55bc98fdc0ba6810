/**
 * The simulated update generator: a pure function of (traffic options, seed) with no I/O.
 *
 * `createUpdateStream(traffic, seed)` is the usual entry point; the pieces it composes (seeded
 * RNG, arrival processes, population, update factory) are exported for runners and tests that
 * need them separately.
 */
export type {
  ArrivalBounds,
  ArrivalOptionsByProcess,
  ArrivalProcessName,
  ArrivalSpacing,
  ArrivalSpec,
  BurstArrivalOptions,
  RampArrivalOptions,
  RateArrivalOptions,
  ReplayArrivalOptions,
} from "./arrival-options.ts";
export {
  ARRIVAL_PROCESSES,
  type ArrivalProcessFactory,
  type ArrivalSchedule,
  createArrivals,
} from "./arrivals.ts";
export {
  type ContentOptions,
  type ResolvedContentOptions,
  resolveContentOptions,
  UPDATE_KINDS,
  type UpdateMix,
} from "./content-options.ts";
export {
  callbackDataFor,
  correlationToken,
  parseCallbackData,
  parseCorrelationToken,
} from "./correlation.ts";
export { ARRIVAL_DEFAULTS, CONTENT_DEFAULTS, POPULATION_DEFAULTS } from "./defaults.ts";
export {
  createPopulation,
  type GroupSpec,
  type Population,
  type PopulationOptions,
  privateChatOf,
  type ResolvedPopulationOptions,
  resolvePopulationOptions,
} from "./population.ts";
export { createRng, type Rng } from "./rng.ts";
export { parseTimeline, TimelineParseError } from "./timeline.ts";
export type { ChatSpec, Sender, UpdateKind, UpdateSpec, UserSpec } from "./types.ts";
export {
  createUpdateFactory,
  createUpdateStream,
  type TrafficOptions,
  type UpdateFactory,
  type UpdateStream,
} from "./update-factory.ts";
