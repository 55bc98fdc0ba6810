import { POPULATION_IDS } from "../generator/defaults.ts";
import { cellsOf, type ResolvedScenario } from "../runner/scenario.ts";
import { startBotSession, warmUpChats } from "./bot-session.ts";
import { type ClosedLoopResult, runClosedLoop } from "./closed-loop.ts";
import { findKnee, KNEE_DEFINITION, type OpenLoopStep } from "./knee.ts";
import { runOpenLoopSteps, stepRates } from "./open-loop.ts";
import type { ResolvedSaturateOptions } from "./options.ts";
import { type DrainResult, runPollingDrain } from "./polling-drain.ts";

/** What `tgbench saturate` tells its caller while it runs (only src/cli prints). */
export type SaturateEvent =
  | { type: "phase"; message: string }
  | { type: "closed-loop"; result: ClosedLoopResult | DrainResult }
  | { type: "open-loop-step"; step: OpenLoopStep };

/** The result of `tgbench saturate`, as saturate.json stores it. */
export interface SaturateResult {
  schema: "tgbench/saturate@1";
  startedAt: string;
  bot: string;
  mode: string;
  handlerDelayMs: number;
  options: ResolvedSaturateOptions["echo"];
  /** Closed loop: autocannon on the webhook, or the polling drain of a prefilled queue. */
  closedLoop: ClosedLoopResult | DrainResult;
  /** Open loop: tgbench's generator at rising offered rates. */
  openLoop: OpenLoopStep[];
  knee: {
    definition: string;
    factor: number;
    atPerSecond: number | null;
    reason: string | null;
    highestSustainedPerSecond: number | null;
  };
  /** How the handler time bounds capacity: 1 / handler time, against the closed-loop figure. */
  concurrency: { oneAtATimePerSecond: number | null; measuredPerSecond: number; verdict: string };
}

/** Runs the closed loop and the open-loop steps for one bot in one mode. */
export async function saturate(
  scenario: ResolvedScenario,
  options: ResolvedSaturateOptions,
  ctx: { signal: AbortSignal; toolVersion: string; emit: (event: SaturateEvent) => void },
): Promise<SaturateResult> {
  const startedAt = new Date().toISOString();
  const cell = cellsOf(scenario)[0];
  if (cell === undefined) throw new Error("no cell to saturate");
  ctx.emit({ type: "phase", message: `starting ${cell.subject.name} (${cell.mode}) for the closed loop` });
  const session = await startBotSession(scenario, cell, ctx.signal);
  let closedLoop: ClosedLoopResult | DrainResult;
  try {
    await warmUpChats(
      session,
      options.users,
      POPULATION_IDS.firstUserId,
      scenario.startupTimeoutMs,
      ctx.signal,
    );
    const seed = `${scenario.seed}/saturate`;
    if (cell.mode === "webhook") {
      ctx.emit({
        type: "phase",
        message: `autocannon: ${options.connections} connections for ${options.durationMs} ms`,
      });
      closedLoop = await runClosedLoop(session, { ...options, seed, signal: ctx.signal });
    } else {
      ctx.emit({ type: "phase", message: `prefilling ${options.prefillUpdates} updates and draining them` });
      closedLoop = await runPollingDrain(session, {
        count: options.prefillUpdates,
        users: options.users,
        seed,
        drainTimeoutMs: options.drainTimeoutMs,
        signal: ctx.signal,
      });
    }
  } finally {
    await session.close();
  }
  ctx.emit({ type: "closed-loop", result: closedLoop });
  const rates = stepRates(
    options.firstRatePerSecond,
    options.rateStepFactor,
    options.maxRatePerSecond,
    options.maxSteps,
  );
  ctx.emit({
    type: "phase",
    message: `open loop: ${rates.join(", ")} updates/s, ${options.durationMs} ms each`,
  });
  const openLoop = await runOpenLoopSteps(scenario, rates, {
    signal: ctx.signal,
    toolVersion: ctx.toolVersion,
    onStep: (step) => ctx.emit({ type: "open-loop-step", step }),
  });
  const knee = findKnee(openLoop, options.kneeFactor);
  const sustained = openLoop.slice(0, knee === null ? openLoop.length : knee.index).filter((s) => s.keptUp);
  return {
    schema: "tgbench/saturate@1",
    startedAt,
    bot: cell.subject.name,
    mode: cell.mode,
    handlerDelayMs: scenario.handlerDelayMs,
    options: options.echo,
    closedLoop,
    openLoop,
    knee: {
      definition: KNEE_DEFINITION,
      factor: options.kneeFactor,
      atPerSecond: knee === null ? null : (openLoop[knee.index]?.offeredPerSecond ?? null),
      reason: knee?.reason ?? null,
      highestSustainedPerSecond: sustained.at(-1)?.offeredPerSecond ?? null,
    },
    concurrency: concurrencyVerdict(scenario.handlerDelayMs, closedLoop.repliesPerSecond),
  };
}

/**
 * A bot that handles one update at a time cannot answer more than 1 / handler time per second; one
 * that handles updates concurrently can. The closed-loop figure against that bound says which.
 */
export function concurrencyVerdict(
  handlerDelayMs: number,
  measuredPerSecond: number,
): SaturateResult["concurrency"] {
  if (handlerDelayMs === 0) {
    return {
      oneAtATimePerSecond: null,
      measuredPerSecond,
      verdict:
        "No handler delay: the knee is set by the framework's and the harness's per-update cost, not by a handler's wait.",
    };
  }
  const bound = 1000 / handlerDelayMs;
  const ratio = measuredPerSecond / bound;
  const verdict =
    ratio > 1.5
      ? `The bot answered ${measuredPerSecond.toFixed(1)}/s, ${ratio.toFixed(1)}× the ${bound.toFixed(1)}/s that one update at a time allows with a ${handlerDelayMs} ms handler: it handles updates concurrently, so the knee is set by its concurrency limit and CPU, not by the handler time.`
      : `The bot answered ${measuredPerSecond.toFixed(1)}/s, about the ${bound.toFixed(1)}/s (1 / ${handlerDelayMs} ms) that one update at a time allows: it handles updates one at a time, so the handler time sets the knee.`;
  return { oneAtATimePerSecond: bound, measuredPerSecond, verdict };
}
