/**
 * Turns arrivals into update specs, and composes arrivals, population and content into the
 * update stream of a scenario: a pure function of (traffic options, seed).
 */
import type { ArrivalSpec } from "./arrival-options.ts";
import { createArrivals } from "./arrivals.ts";
import {
  type ContentOptions,
  type ResolvedContentOptions,
  resolveContentOptions,
  UPDATE_KINDS,
  type UpdateMix,
} from "./content-options.ts";
import { callbackDataFor, correlationToken } from "./correlation.ts";
import { ARRIVAL_DEFAULTS } from "./defaults.ts";
import { createPopulation, type Population, type PopulationOptions } from "./population.ts";
import { createRng, type Rng } from "./rng.ts";
import { buildText } from "./text-builder.ts";
import type { ChatSpec, UpdateKind, UpdateSpec, UserSpec } from "./types.ts";

export type { UpdateSpec } from "./types.ts";

/** Makes the spec of update `seq`, due at `intendedAtMs`. Stateful: call it with seq 0, 1, 2 … in order. */
export type UpdateFactory = (seq: number, intendedAtMs: number) => UpdateSpec;

/** The fields every kind of spec shares. */
interface SpecBase {
  seq: number;
  intendedAtMs: number;
  from: UserSpec;
  chat: ChatSpec;
}

type SpecBuilder<K extends UpdateKind> = (
  base: SpecBase,
  content: ResolvedContentOptions,
  rng: Rng,
) => Extract<UpdateSpec, { kind: K }>;

/** How each kind of update is made, by kind. */
const SPEC_BUILDERS: { readonly [K in UpdateKind]: SpecBuilder<K> } = {
  text: (base, content, rng) => {
    const lengthChars = rng.int(content.minTextChars, content.maxTextChars);
    return {
      kind: "text",
      ...base,
      text: buildText(correlationToken(base.seq), lengthChars, content.words, rng),
    };
  },
  // The token goes in the arguments: `/echo #42` echoes it, and `/start #42` is a valid deep link.
  command: (base, content, rng) => ({
    kind: "command",
    ...base,
    command: rng.pick(content.commands),
    args: correlationToken(base.seq),
  }),
  // Which bot message is pressed is the runner's call; see the UpdateSpec docs.
  callback: (base) => ({ kind: "callback", ...base, data: callbackDataFor(base.seq) }),
};

/**
 * An {@link UpdateFactory} drawing senders from `population` and everything else from forks of
 * `rng` (`kinds`, `senders`, `content`), so that, for instance, longer texts do not change who
 * sends what. Throws a RangeError for invalid content options.
 */
export function createUpdateFactory(
  options: ContentOptions,
  population: Population,
  rng: Rng,
): UpdateFactory {
  return factoryFor(resolveContentOptions(options), population, rng);
}

function factoryFor(content: ResolvedContentOptions, population: Population, rng: Rng): UpdateFactory {
  const pickKind = kindPicker(content.mix);
  const kindRng = rng.fork("kinds");
  const senderRng = rng.fork("senders");
  const contentRng = rng.fork("content");
  return (seq, intendedAtMs) => {
    const kind = pickKind(kindRng);
    const { user, chat } = population.pickSender(senderRng);
    return buildSpec(kind, { seq, intendedAtMs, from: user, chat }, content, contentRng);
  };
}

function buildSpec<K extends UpdateKind>(
  kind: K,
  base: SpecBase,
  content: ResolvedContentOptions,
  rng: Rng,
): UpdateSpec {
  const builder: SpecBuilder<K> = SPEC_BUILDERS[kind];
  return builder(base, content, rng);
}

/** Draws a kind with the probabilities of `mix` (shares summing to 1); one draw per call. */
function kindPicker(mix: UpdateMix): (rng: Rng) => UpdateKind {
  const kinds = UPDATE_KINDS.filter((kind) => mix[kind] > 0);
  let runningShare = 0;
  const upperBounds = kinds.map((kind) => (runningShare += mix[kind]));
  return (rng) => {
    const x = rng.next() * runningShare;
    const index = upperBounds.findIndex((bound) => x < bound);
    return kinds[index === -1 ? kinds.length - 1 : index]!;
  };
}

/** The traffic of a scenario: when updates arrive, who sends them, what they contain. */
export interface TrafficOptions extends ContentOptions {
  /**
   * The arrival process and its options. Default `{ process: "poisson" }` at 10 per second, which
   * still needs `durationMs` or `maxCount`: no default bounds a run.
   */
  arrivals?: ArrivalSpec;
  /** The simulated users and groups. Default: see `PopulationOptions`. */
  population?: PopulationOptions;
}

/**
 * A scenario's updates in order of `seq`, with non-decreasing `intendedAtMs`. Iterable any number
 * of times, each time from the start and with the same result; lazy, so a million-update run
 * holds one spec at a time.
 */
export interface UpdateStream extends Iterable<UpdateSpec> {
  /** The seed it was made from; record it with the results. */
  readonly seed: number | string;
  /** The users and chats the updates come from. */
  readonly population: Population;
}

/**
 * The update stream of `traffic` under `seed`: a pure function of the two. Arrivals, population
 * and content draw from independent forks of the seed (`arrivals`, `population`, `content`).
 * All options are checked here, eagerly; a RangeError names the bad one.
 */
export function createUpdateStream(traffic: TrafficOptions, seed: number | string): UpdateStream {
  const root = createRng(seed);
  // A private copy: the stream must not change if the caller edits its options afterwards.
  const arrivals: ArrivalSpec = structuredClone(traffic.arrivals ?? { process: ARRIVAL_DEFAULTS.process });
  createArrivals(arrivals, root.fork("arrivals")); // validates now rather than on the first pull
  const content = resolveContentOptions(traffic);
  const population = createPopulation(traffic.population ?? {}, root.fork("population"));
  return {
    seed,
    population,
    *[Symbol.iterator]() {
      const makeSpec = factoryFor(content, population, root.fork("content"));
      let seq = 0;
      for (const intendedAtMs of createArrivals(arrivals, root.fork("arrivals"))) {
        yield makeSpec(seq++, intendedAtMs);
      }
    },
  };
}
