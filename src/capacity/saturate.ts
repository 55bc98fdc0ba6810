import { POPULATION_IDS } from "../generator/defaults.ts";
import { cellsOf, type ResolvedScenario } from "../runner/scenario.ts";
import { startBotSession, warmUpChats } from "./bot-session.ts";
import { type ClosedLoopResult, runClosedLoop } from "./closed-loop.ts";
import { type ConcurrencyVerdict, concurrencyVerdict } from "./concurrency.ts";
import {
  HARNESS_BOUND_DEFINITION,
  KNEE_DEFINITION,
  type OpenLoopEnd,
  type OpenLoopStep,
  type StepMark,
} from "./knee.ts";
import { runOpenLoopSteps, stepRates } from "./open-loop.ts";
import { maxRateFor, type ResolvedSaturateOptions } from "./options.ts";
import { type DrainResult, runPollingDrain } from "./polling-drain.ts";

/** What `tgbench saturate` tells its caller while it runs (only src/cli prints). */
export type SaturateEvent =
  | { type: "phase"; message: string }
  | { type: "closed-loop"; result: ClosedLoopResult | DrainResult }
  | { type: "open-loop-step"; step: OpenLoopStep };

/** The result of `tgbench saturate`, as saturate.json stores it. */
export interface SaturateResult {
  schema: "tgbench/saturate@2";
  startedAt: string;
  bot: string;
  mode: string;
  handlerDelayMs: number;
  options: ResolvedSaturateOptions["echo"];
  /** Closed loop: autocannon on the webhook, or the polling drain of a prefilled queue. */
  closedLoop: ClosedLoopResult | DrainResult;
  /** Open loop: tgbench's generator at rising offered rates, each judged against the floor. */
  openLoop: { plannedPerSecond: number[]; steps: OpenLoopStep[]; marks: StepMark[]; floorUs: number | null };
  knee: {
    definition: string;
    harnessBoundDefinition: string;
    factor: number;
    /** How the open loop ended: the bot's knee, the harness's ceiling, or the max rate. */
    end: OpenLoopEnd;
    /** The knee's offered rate (bot's knee or harness ceiling); null when none was confirmed. */
    atPerSecond: number | null;
    highestSustainedPerSecond: number | null;
  };
  /** How the handler time bounds capacity: 1 / handler time, against the closed-loop figure. */
  concurrency: ConcurrencyVerdict;
}

/** Runs the closed loop, then the open-loop steps planned from its figure, for one bot in one mode. */
export async function saturate(
  scenario: ResolvedScenario,
  options: ResolvedSaturateOptions,
  ctx: { signal: AbortSignal; toolVersion: string; emit: (event: SaturateEvent) => void },
): Promise<SaturateResult> {
  const startedAt = new Date().toISOString();
  const cell = cellsOf(scenario)[0];
  if (cell === undefined) throw new Error("no cell to saturate");
  const closedLoop = await closedLoopOf(scenario, options, ctx);
  ctx.emit({ type: "closed-loop", result: closedLoop });
  const planned = stepRates(
    closedLoop.repliesPerSecond,
    options.stepFractions,
    options.minRatePerSecond,
    maxRateFor(options, closedLoop.repliesPerSecond),
  );
  ctx.emit({
    type: "phase",
    message: `open loop: ${planned.join(", ")} updates/s (until the knee is confirmed), ${options.durationMs} ms each`,
  });
  const { steps, analysis } = await runOpenLoopSteps(
    scenario,
    { ratesPerSecond: planned, kneeFactor: options.kneeFactor, maxSteps: options.maxSteps },
    {
      signal: ctx.signal,
      toolVersion: ctx.toolVersion,
      onStep: (step) => ctx.emit({ type: "open-loop-step", step }),
    },
  );
  const end = analysis.end;
  const kneeIndex = end.kind === "knee" || end.kind === "harness-ceiling" ? end.index : null;
  return {
    schema: "tgbench/saturate@2",
    startedAt,
    bot: cell.subject.name,
    mode: cell.mode,
    handlerDelayMs: scenario.handlerDelayMs,
    options: options.echo,
    closedLoop,
    openLoop: { plannedPerSecond: planned, steps, marks: analysis.marks, floorUs: analysis.floorUs },
    knee: {
      definition: KNEE_DEFINITION,
      harnessBoundDefinition: HARNESS_BOUND_DEFINITION,
      factor: options.kneeFactor,
      end,
      atPerSecond: kneeIndex === null ? null : (steps[kneeIndex]?.offeredPerSecond ?? null),
      highestSustainedPerSecond: analysis.highestSustainedPerSecond,
    },
    concurrency: concurrencyVerdict({
      mode: cell.mode,
      handlerDelayMs: scenario.handlerDelayMs,
      measuredPerSecond: closedLoop.repliesPerSecond,
      connections: closedLoop.kind === "closed-loop" ? closedLoop.connections : null,
    }),
  };
}

/** The closed loop: autocannon on the webhook, or the drain of a prefilled queue when polling. */
async function closedLoopOf(
  scenario: ResolvedScenario,
  options: ResolvedSaturateOptions,
  ctx: { signal: AbortSignal; emit: (event: SaturateEvent) => void },
): Promise<ClosedLoopResult | DrainResult> {
  const cell = cellsOf(scenario)[0];
  if (cell === undefined) throw new Error("no cell to saturate");
  ctx.emit({ type: "phase", message: `starting ${cell.subject.name} (${cell.mode}) for the closed loop` });
  const session = await startBotSession(scenario, cell, ctx.signal);
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
        message: `closed loop: autocannon, ${options.connections} connections for ${options.durationMs} ms`,
      });
      return await runClosedLoop(session, { ...options, seed, signal: ctx.signal });
    }
    ctx.emit({
      type: "phase",
      message: `closed loop: prefilling ${options.prefillUpdates} updates and draining them`,
    });
    return await runPollingDrain(session, {
      count: options.prefillUpdates,
      users: options.users,
      seed,
      drainTimeoutMs: options.drainTimeoutMs,
      signal: ctx.signal,
    });
  } finally {
    await session.close();
  }
}
