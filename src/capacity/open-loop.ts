import { cellKeptUp } from "../results/kept-up.ts";
import { runScenario } from "../runner/run.ts";
import type { ResolvedScenario } from "../runner/scenario.ts";
import type { OpenLoopStep } from "./knee.ts";

/**
 * One open-loop step per rate (tgbench's runner: a fresh fake API and bot, the seeded generator on
 * schedule, latency from the intended send time). Stops after the first step that did not keep up.
 */
export async function runOpenLoopSteps(
  scenario: ResolvedScenario,
  rates: readonly number[],
  options: { signal: AbortSignal; toolVersion: string; onStep: (step: OpenLoopStep) => void },
): Promise<OpenLoopStep[]> {
  const steps: OpenLoopStep[] = [];
  for (const ratePerSecond of rates) {
    if (options.signal.aborted) break;
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
    const step: OpenLoopStep = {
      kind: "open-loop",
      offeredPerSecond: trial?.throughput.offeredPerSecond ?? ratePerSecond,
      answeredPerSecond: trial?.throughput.answeredPerSecond ?? null,
      keptUp: cellKeptUp(cell) === true,
      p50Us: cell.latency?.endToEnd.p50?.us ?? null,
      p99Us: cell.latency?.endToEnd.p99?.us ?? null,
    };
    steps.push(step);
    options.onStep(step);
    if (!step.keptUp) break;
  }
  return steps;
}

/** The offered rates: from `first`, times `factor` each step, up to and including `max`. */
export function stepRates(first: number, factor: number, max: number, maxSteps: number): number[] {
  const rates: number[] = [];
  for (let r = first; r < max && rates.length < maxSteps - 1; r *= factor) rates.push(Math.round(r));
  rates.push(max);
  return rates;
}
