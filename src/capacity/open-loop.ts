import { cellKeptUp } from "../results/kept-up.ts";
import { runScenario } from "../runner/run.ts";
import type { ResolvedScenario } from "../runner/scenario.ts";
import { analyseSteps, isHarnessBound, type KneeAnalysis, kneeSettled, type OpenLoopStep } from "./knee.ts";

/** How the open loop steps: the planned rates and the knee's factor. */
export interface OpenLoopPlan {
  ratesPerSecond: readonly number[];
  kneeFactor: number;
  /** At most this many steps, the confirming repeat included. */
  maxSteps: number;
}

/**
 * One open-loop step per planned rate (tgbench's runner: a fresh fake API and bot, the seeded
 * generator on schedule, latency from the intended send time), until the knee is confirmed
 * (src/capacity/knee.ts). When the highest planned rate left the floor and no step is left to
 * confirm it, that rate runs once more.
 */
export async function runOpenLoopSteps(
  scenario: ResolvedScenario,
  plan: OpenLoopPlan,
  options: {
    signal: AbortSignal;
    toolVersion: string;
    onStep: (step: OpenLoopStep) => void;
    /** Runs one step; the runner by default (tests give their own). */
    runStep?: StepRunner;
  },
): Promise<{ steps: OpenLoopStep[]; analysis: KneeAnalysis }> {
  const run = options.runStep ?? runStep;
  const steps: OpenLoopStep[] = [];
  const rates = [...plan.ratesPerSecond];
  let analysis = analyseSteps(steps, plan.kneeFactor, false);
  for (let i = 0; i < rates.length && steps.length < plan.maxSteps; i++) {
    if (options.signal.aborted) break;
    const rate = rates[i] as number;
    const step = await run(scenario, rate, options);
    steps.push(step);
    options.onStep(step);
    const last = i === rates.length - 1;
    analysis = analyseSteps(steps, plan.kneeFactor, last);
    if (kneeSettled(analysis.end)) break;
    // The highest rate left the floor and nothing above it can confirm that: repeat it once.
    if (last && analysis.end.kind === "open" && analysis.marks.at(-1)?.onFloor === false) rates.push(rate);
  }
  return { steps, analysis };
}

/** Runs one open-loop step at a rate. */
export type StepRunner = (
  scenario: ResolvedScenario,
  ratePerSecond: number,
  options: { signal: AbortSignal; toolVersion: string },
) => Promise<OpenLoopStep>;

/** One step through tgbench's runner: a fresh fake API and bot, one trial at the rate. */
export async function runStep(
  scenario: ResolvedScenario,
  ratePerSecond: number,
  options: { signal: AbortSignal; toolVersion: string },
): Promise<OpenLoopStep> {
  const report = await runScenario(
    { ...scenario, ratesPerSecond: [ratePerSecond] },
    { signal: options.signal, toolVersion: options.toolVersion },
  );
  const cell = report.cells[0];
  if (cell === undefined || cell.status !== "ran") {
    throw new Error(
      `open-loop step at ${ratePerSecond}/s: ${cell === undefined ? "no cell" : cell.status === "unsupported" ? cell.reason.message : cell.reasons.map((r) => r.message).join("; ")}`,
    );
  }
  const trial = cell.trials[0];
  const latenessP50Us = trial?.generator.lateness.p50Us ?? null;
  const harnessCpuShare =
    trial === undefined || trial.window.recordedMs <= 0
      ? null
      : trial.cost.harnessCpuMs / trial.window.recordedMs;
  return {
    kind: "open-loop",
    targetPerSecond: ratePerSecond,
    offeredPerSecond: trial?.throughput.offeredPerSecond ?? ratePerSecond,
    answeredPerSecond: trial?.throughput.answeredPerSecond ?? null,
    keptUp: cellKeptUp(cell) === true,
    p50Us: cell.latency?.endToEnd.p50?.us ?? null,
    p99Us: cell.latency?.endToEnd.p99?.us ?? null,
    generatorLatenessP50Us: latenessP50Us,
    harnessCpuShare,
    harnessBound: isHarnessBound(latenessP50Us, harnessCpuShare),
  };
}

/** `x` rounded to two significant digits (rates that read well: 460, 1900, 2800). */
export function roundRate(x: number): number {
  if (x <= 0) return 0;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
  return Math.round(x / magnitude) * magnitude;
}

/**
 * The planned offered rates: `fractions` of the closed-loop capacity, each rounded to two
 * significant digits, raised to `minPerSecond` (enough updates per step for a p50) and capped at
 * `maxPerSecond`, without repeats, in rising order.
 */
export function stepRates(
  closedLoopPerSecond: number,
  fractions: readonly number[],
  minPerSecond: number,
  maxPerSecond: number,
): number[] {
  const rates = new Set<number>();
  for (const f of fractions)
    rates.add(Math.min(maxPerSecond, Math.max(minPerSecond, roundRate(f * closedLoopPerSecond))));
  return [...rates].sort((a, b) => a - b);
}
