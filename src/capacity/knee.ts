/** One open-loop step, as the knee needs it. */
export interface OpenLoopStep {
  kind: "open-loop";
  offeredPerSecond: number;
  answeredPerSecond: number | null;
  keptUp: boolean;
  /** End-to-end latency from the intended send time (open model), µs. */
  p50Us: number | null;
  p99Us: number | null;
}

/** The definition, in words, for the reports. */
export const KNEE_DEFINITION =
  "The knee is the first open-loop step whose end-to-end p50 exceeds k × the floor (the p50 of the lowest " +
  "step), or that did not keep up (tgbench's kept-up rule); the highest sustained rate is the step before it.";

/** Where the latency–throughput curve leaves the floor; null when no step did. */
export function findKnee(
  steps: readonly OpenLoopStep[],
  factor: number,
): { index: number; reason: string } | null {
  const floorUs = steps[0]?.p50Us ?? null;
  for (const [index, step] of steps.entries()) {
    if (!step.keptUp) return { index, reason: "did not keep up" };
    if (floorUs !== null && step.p50Us !== null && index > 0 && step.p50Us > factor * floorUs) {
      return {
        index,
        reason: `p50 ${(step.p50Us / 1000).toFixed(2)} ms > ${factor} × floor ${(floorUs / 1000).toFixed(2)} ms`,
      };
    }
  }
  return null;
}
