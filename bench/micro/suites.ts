/**
 * Every micro-benchmark suite, in the order `npm run bench:micro` runs them. A new hot path gets a
 * `<name>.bench.ts` beside this file and one line here; micro.test.ts then runs it too.
 */
import { bodyParsingSuite } from "./body-parsing.bench.ts";
import { latencyHistogramSuite } from "./latency-histogram.bench.ts";
import { networkScheduleSuite } from "./network-schedule.bench.ts";
import { replyMatcherSuite } from "./reply-matcher.bench.ts";
import type { MicroSuite } from "./suite.ts";
import { updateFactorySuite } from "./update-factory.bench.ts";
import { updateQueueSuite } from "./update-queue.bench.ts";
import { webhookDispatchSuite } from "./webhook-dispatch.bench.ts";

export const MICRO_SUITES: readonly MicroSuite[] = [
  updateFactorySuite,
  updateQueueSuite,
  bodyParsingSuite,
  replyMatcherSuite,
  latencyHistogramSuite,
  webhookDispatchSuite,
  networkScheduleSuite,
];
