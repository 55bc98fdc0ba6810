/** One open-loop step, as the knee needs it. */
export interface OpenLoopStep {
  kind: "open-loop";
  /** The rate the step asked the generator for, updates/s. */
  targetPerSecond: number;
  /** What the generator offered in the measured window, updates/s. */
  offeredPerSecond: number;
  answeredPerSecond: number | null;
  keptUp: boolean;
  /** End-to-end latency from the intended send time (open model), µs. */
  p50Us: number | null;
  p99Us: number | null;
  /** How late the generator handed updates over (actual − intended), p50, µs. */
  generatorLatenessP50Us: number | null;
  /** The harness process's CPU over the trial, as a share of one core (0 … ~1). */
  harnessCpuShare: number | null;
  /** The harness could not keep its own schedule at this step (see {@link HARNESS_BOUND_DEFINITION}). */
  harnessBound: boolean;
}

/** When a step counts as limited by the harness rather than by the bot. */
export const HARNESS_BOUND_DEFINITION =
  "A step is harness-bound when the generator handed most updates over late (its lateness p50 above " +
  "1 ms) or the harness process used more than 90 % of a core: there tgbench's own schedule slipped " +
  "and the step measures the harness as much as the bot. When the knee's step and the step confirming " +
  "it are both harness-bound, the open loop ends at the harness's ceiling, not at the bot's knee.";

/** Thresholds of {@link HARNESS_BOUND_DEFINITION}. */
export const HARNESS_BOUND_LIMITS = { latenessP50Us: 1_000, cpuShare: 0.9 } as const;

/** Whether a step's figures say the harness, not the bot, was the limit. */
export function isHarnessBound(latenessP50Us: number | null, cpuShare: number | null): boolean {
  return (
    (latenessP50Us !== null && latenessP50Us > HARNESS_BOUND_LIMITS.latenessP50Us) ||
    (cpuShare !== null && cpuShare > HARNESS_BOUND_LIMITS.cpuShare)
  );
}

/** The definition, in words, for the reports. */
export const KNEE_DEFINITION =
  "A step has left the floor when it did not keep up (tgbench's kept-up rule) or its end-to-end p50 " +
  "exceeds k × the floor (the lowest p50 of the steps below it that stayed on the floor). The knee " +
  "is the first step that left the floor and whose next step did too (a repeat at the same rate when " +
  "it was the highest allowed): one step off the floor on a noisy machine is a blip, not a knee. The " +
  "highest sustained rate is the highest step below the knee that stayed on the floor.";

/** What one step was, judged against the floor of the steps below it. */
export interface StepMark {
  onFloor: boolean;
  /** Why it left the floor; null when it did not. */
  reason: string | null;
}

/** How the open loop ended, as data. */
export type OpenLoopEnd =
  /** The bot's knee: step `index` left the floor, confirmed by step `confirmedBy`. */
  | { kind: "knee"; index: number; confirmedBy: number; reason: string }
  /** The knee's step and the one confirming it were harness-bound: tgbench reached its own ceiling first. */
  | { kind: "harness-ceiling"; index: number; confirmedBy: number; reason: string }
  /** The highest allowed rate was reached with no confirmed knee. */
  | { kind: "max-rate"; reason: string }
  /** Still stepping (or cancelled before an end). */
  | { kind: "open"; reason: string };

/** The knee analysis of a list of steps. */
export interface KneeAnalysis {
  floorUs: number | null;
  marks: StepMark[];
  end: OpenLoopEnd;
  highestSustainedPerSecond: number | null;
}

const msText = (us: number) => `${(us / 1000).toFixed(2)} ms`;

/**
 * Judges every step against the floor below it and finds the knee ({@link KNEE_DEFINITION}).
 * `atMaxRate` says the last step ran at the highest allowed rate: then "open" becomes "max-rate"
 * when the last step stayed on the floor.
 */
export function analyseSteps(
  steps: readonly OpenLoopStep[],
  factor: number,
  atMaxRate: boolean,
): KneeAnalysis {
  const marks: StepMark[] = [];
  let floorUs: number | null = null;
  for (const step of steps) {
    const mark = markStep(step, floorUs, factor);
    marks.push(mark);
    if (mark.onFloor && step.p50Us !== null)
      floorUs = floorUs === null ? step.p50Us : Math.min(floorUs, step.p50Us);
  }
  let end: OpenLoopEnd = { kind: "open", reason: "no step has left the floor yet" };
  for (let i = 0; i < steps.length; i++) {
    if (marks[i]?.onFloor !== false) continue;
    const next = marks[i + 1];
    if (next === undefined) {
      end = { kind: "open", reason: `step ${i + 1} left the floor; the next step must confirm it` };
      break;
    }
    if (next.onFloor) continue; // a blip
    const reason = marks[i]?.reason ?? "";
    // A ceiling persists as the rate rises: both steps harness-bound. One harness-bound step (a
    // stall of the machine) followed by a step where the harness kept its schedule is the bot's.
    end =
      steps[i]?.harnessBound && steps[i + 1]?.harnessBound
        ? { kind: "harness-ceiling", index: i, confirmedBy: i + 1, reason }
        : { kind: "knee", index: i, confirmedBy: i + 1, reason };
    break;
  }
  if (end.kind === "open" && atMaxRate && marks.at(-1)?.onFloor === true)
    end = { kind: "max-rate", reason: "every step up to the highest allowed rate stayed on the floor" };
  const below = end.kind === "knee" || end.kind === "harness-ceiling" ? end.index : steps.length;
  let highestSustainedPerSecond: number | null = null;
  for (let i = 0; i < below; i++) {
    const offered = steps[i]?.offeredPerSecond ?? null;
    if (marks[i]?.onFloor && offered !== null)
      highestSustainedPerSecond = Math.max(highestSustainedPerSecond ?? 0, offered);
  }
  return { floorUs, marks, end, highestSustainedPerSecond };
}

function markStep(step: OpenLoopStep, floorUs: number | null, factor: number): StepMark {
  if (!step.keptUp) return { onFloor: false, reason: "did not keep up" };
  if (floorUs !== null && step.p50Us !== null && step.p50Us > factor * floorUs)
    return { onFloor: false, reason: `p50 ${msText(step.p50Us)} > ${factor} × floor ${msText(floorUs)}` };
  return { onFloor: true, reason: null };
}

/** Whether the open loop can stop: the knee (or the harness's ceiling) is confirmed. */
export function kneeSettled(end: OpenLoopEnd): boolean {
  return end.kind === "knee" || end.kind === "harness-ceiling";
}
