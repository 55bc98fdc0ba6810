/**
 * The generator's hot path (src/generator/update-factory.ts): one update spec per offered update,
 * and the stream the runner iterates (arrival time + spec).
 */
import {
  createPopulation,
  createRng,
  createUpdateFactory,
  createUpdateStream,
} from "../../src/generator/index.ts";
import type { MicroSuite } from "./suite.ts";

/** A bound no run reaches, so the stream never ends during a task; it is restarted if it does. */
const STREAM_MAX_COUNT = 1e9;

export const updateFactorySuite: MicroSuite = {
  name: "update-factory",
  description: "update specs: src/generator/update-factory.ts",
  build() {
    const root = createRng("micro");
    const population = createPopulation({}, root.fork("population"));
    const defaultMix = createUpdateFactory({}, population, root.fork("content"));
    const longTexts = createUpdateFactory(
      { mix: { text: 1 }, minTextChars: 1_000, maxTextChars: 4_000 },
      population,
      root.fork("long"),
    );
    let seq = 0;
    let longSeq = 0;
    const stream = createUpdateStream(
      { arrivals: { process: "poisson", ratePerSecond: 5_000, maxCount: STREAM_MAX_COUNT } },
      "micro",
    );
    let iterator = stream[Symbol.iterator]();
    return {
      tasks: [
        { name: "spec, default mix (200 users, 5 groups)", batch: 100, run: () => defaultMix(seq++, seq) },
        { name: "spec, text of 1–4k chars", batch: 10, run: () => longTexts(longSeq++, longSeq) },
        {
          name: "stream: next (Poisson arrival + spec)",
          batch: 100,
          run: () => {
            const next = iterator.next();
            if (next.done === true) iterator = stream[Symbol.iterator]();
            return next.value;
          },
        },
      ],
    };
  },
};
