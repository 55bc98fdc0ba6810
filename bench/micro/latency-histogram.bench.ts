/**
 * Recording latencies (src/metrics/latency-histogram.ts, src/metrics/timeline.ts): one value, the
 * figures of one matched reply as the trial probe records them (four histograms and the
 * per-second timeline), and the summary a report reads once per histogram.
 */
import { createRng } from "../../src/generator/index.ts";
import { createLatencyHistogram } from "../../src/metrics/latency-histogram.ts";
import { Timeline } from "../../src/metrics/timeline.ts";
import type { MicroSuite } from "./suite.ts";

const VALUES = 4_096;
const SUMMARY_VALUES = 100_000;
/** Fake time between two replies, so the timeline moves on to a new second now and then. */
const REPLY_SPACING_MS = 0.2;

/** Log-normal latencies around 2 ms with a tail up to seconds: every bucket range gets used. */
function latencyValuesUs(count: number): Float64Array {
  const rng = createRng("micro-latency");
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    values[i] = 2_000 * Math.exp(1.2 * z);
  }
  return values;
}

export const latencyHistogramSuite: MicroSuite = {
  name: "latency-histogram",
  description: "latency recording: src/metrics/latency-histogram.ts, timeline.ts",
  build() {
    const values = latencyValuesUs(VALUES);
    const one = createLatencyHistogram();
    let i = 0;
    const next = () => values[i++ & (VALUES - 1)]!;

    const perReply = [1, 2, 3, 4].map(() => createLatencyHistogram());
    const timeline = new Timeline(0);
    let atMs = 0;

    const full = createLatencyHistogram();
    for (let n = 0; n < SUMMARY_VALUES; n++) full.recordUs(values[n % VALUES]! * (1 + n / SUMMARY_VALUES));

    return {
      tasks: [
        { name: "recordUs", batch: 1_000, run: () => one.recordUs(next()) },
        {
          name: "one reply: 4 × recordUs + timeline add + recordLatencyUs",
          batch: 100,
          run: () => {
            const us = next();
            for (const histogram of perReply) histogram.recordUs(us);
            atMs += REPLY_SPACING_MS;
            timeline.add("answered", atMs);
            timeline.recordLatencyUs(atMs, us);
          },
        },
        { name: `summary() of ${SUMMARY_VALUES / 1000}k values`, run: () => full.summary() },
      ],
    };
  },
};
