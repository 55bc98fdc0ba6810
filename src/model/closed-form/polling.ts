/**
 * Closed forms for short and long polling: the poll chain (poll-chain.ts) when the anti-busy-loop
 * rule never holds a short poll, the renewal cycle of short-poll-hold.ts when it does. They are
 * exact when every delay is a constant, arrivals are Poisson, batches stay under `limit`, and the
 * bot's work per batch does not depend on the batch's size (see derived.ts); otherwise the figure
 * is left to the simulation, with a note.
 */
import type { ResolvedModelInput } from "../inputs.ts";
import { TELEGRAM_RULES } from "../protocol.ts";
import { batchWorkMs, constantBatchWorkMs, type Derived, NEGLIGIBLE, replyShiftMs } from "./derived.ts";
import { type PollChainRules, type PollKind, solvePollChain } from "./poll-chain.ts";
import { poissonTailAbove } from "./quadrature.ts";
import { blankFigures, type ClosedFormResult, latencyFrom, shiftLatency } from "./result.ts";
import { type HoldTiming, solveShortPollHold } from "./short-poll-hold.ts";

const HOLD_MS = TELEGRAM_RULES.antiBusyLoopHoldSeconds * 1_000;

/** The pacing interval T (0 for long polling) and the server-side timeout τ, ms. */
function pollParams(input: ResolvedModelInput): { intervalMs: number; timeoutMs: number } {
  const mode = input.mode;
  if (mode.mode === "short-polling") return { intervalMs: mode.intervalMs, timeoutMs: 0 };
  if (mode.mode === "long-polling") return { intervalMs: 0, timeoutMs: mode.timeoutSeconds * 1_000 };
  throw new Error("pollingClosedForm needs a polling mode");
}

/**
 * When the next call reaches Telegram, measured from the previous call's arrival, if that call
 * was answered `answerMs` after it arrived and the bot then worked `workMs` on the batch:
 * - between-starts pacing: the next call starts T after the previous start, or when the bot is
 *   ready, whichever is later (T + the bot's timer latency if it had to sleep);
 * - after-response pacing: T after the answer arrived, or when ready.
 */
export function nextCallAfter(
  input: ResolvedModelInput,
  d: Derived,
  answerMs: number,
  workMs: number,
): number {
  const { intervalMs } = pollParams(input);
  const readyMs = answerMs + d.pollRoundTripMs + workMs;
  if (intervalMs === 0) return readyMs;
  if (input.bot.pacing === "between-starts")
    return intervalMs > readyMs ? intervalMs + d.botTimerMs : readyMs;
  return answerMs + d.pollRoundTripMs + (intervalMs > workMs ? intervalMs + d.botTimerMs : workMs);
}

export function pollingClosedForm(input: ResolvedModelInput, d: Derived): ClosedFormResult {
  const figures = blankFigures();
  const notes: string[] = [];
  const { intervalMs, timeoutMs } = pollParams(input);
  if (!d.constant) {
    notes.push("delays, handler time or timer latencies vary: polling figures come from the simulation");
    return { figures, notes };
  }
  const lam = d.ratePerMs;
  // The window after a non-empty answer depends on the bot's work on the batch, which must not
  // depend on the batch's size; try the work for one update and check the batch sizes it implies.
  const afterNonEmpty = nextCallAfter(input, d, 0, batchWorkMs(input, d, 1));
  const afterEmpty = nextCallAfter(input, d, 0, 0);
  const maxWindowMs = Math.max(afterNonEmpty, afterEmpty, d.windowMs);
  const work = constantBatchWorkMs(input, d, maxWindowMs);
  if (work === null) {
    notes.push(
      "the bot's time per batch depends on the batch size (updates handled one at a time): polling figures come from the simulation",
    );
    return { figures, notes };
  }
  if (poissonTailAbove(lam * maxWindowMs, input.limit - 1) > NEGLIGIBLE) {
    notes.push("batches can reach the getUpdates limit: polling figures come from the simulation");
    return { figures, notes };
  }
  const holdApplies =
    input.antiBusyLoop && timeoutMs < HOLD_MS && afterEmpty < TELEGRAM_RULES.antiBusyLoopWindowMs;
  const limitOne = holdApplies && afterEmpty < TELEGRAM_RULES.antiBusyLoopLimitOneWindowMs;

  if (lam === 0) return idleClosedForm(input, d, holdApplies && timeoutMs === 0, figures, notes);
  if (input.arrivals === "constant") {
    return constantArrivals(input, d, { afterEmpty, afterNonEmpty, work, holdApplies }, figures, notes);
  }

  let emptyShare: number;
  let meanCycleMs: number;
  let meanWaitMs: number;
  let quantile: ((q: number) => number) | null = null;
  if (timeoutMs === 0 && holdApplies) {
    const timing: HoldTiming = {
      afterEmptyMs: afterEmpty,
      afterNonEmptyMs: afterNonEmpty,
      nextCallMs: (answerMs, nonEmpty) => nextCallAfter(input, d, answerMs, nonEmpty ? work : 0),
      windowMs: d.windowMs,
      serverTimerMs: d.serverTimerMs,
      breakpointsMs:
        input.bot.pacing === "between-starts" ? [intervalMs - d.windowMs - d.pollRoundTripMs - work] : [],
    };
    const hold = solveShortPollHold(lam, timing, limitOne);
    ({ emptyShare, meanCycleMs, meanWaitMs } = hold);
    notes.push(
      "short polling under the anti-busy-loop hold: delivery-wait percentiles come from the simulation",
    );
  } else {
    const rules = chainRules(input, d, timeoutMs, afterEmpty, afterNonEmpty);
    const chain = solvePollChain(lam, rules);
    ({ emptyShare, meanCycleMs, meanWaitMs } = chain);
    quantile = chain.waitQuantileMs;
  }
  const pollsPerHour = 3_600_000 / meanCycleMs;
  figures.emptyShare = emptyShare;
  figures.pollsPerHour = pollsPerHour;
  figures.emptyRequestsPerHour = pollsPerHour * emptyShare;
  // One reply per update (the echo bots): requests = getUpdates + replies.
  figures.requestsPerHour = pollsPerHour + input.ratePerSecond * 3_600;
  figures.requestsPerAnsweredUpdate = 1 / (lam * meanCycleMs) + 1;
  figures.deliveryWaitMs = latencyFrom(meanWaitMs, quantile, d.injectionMs);
  const shift = replyShiftMs(input, d, maxWindowMs);
  if (shift === null)
    notes.push("handlers queue inside the bot: end-to-end latency comes from the simulation");
  figures.endToEndMs = shiftLatency(figures.deliveryWaitMs, shift, shift);
  return { figures, notes };
}

/** The chain of call kinds for long polling, or short polling that is never held. */
function chainRules(
  input: ResolvedModelInput,
  d: Derived,
  timeoutMs: number,
  afterEmpty: number,
  afterNonEmpty: number,
): PollChainRules {
  const nextTimeout = (previous: PollKind): number => {
    if (!input.antiBusyLoop || timeoutMs >= HOLD_MS) return timeoutMs;
    // Same offset after an empty answer: held 3 s if it comes within 3 s of the previous start
    // (an empty answer of a parked call comes at its timeout, plus the timer's latency).
    const answeredAfterMs = previous.timeoutMs > 0 ? previous.timeoutMs + d.serverTimerMs : 0;
    const sinceMs = answeredAfterMs + afterEmpty;
    return sinceMs < TELEGRAM_RULES.antiBusyLoopWindowMs ? HOLD_MS : timeoutMs;
  };
  return {
    first: { windowMs: afterNonEmpty, timeoutMs },
    next: (kind, empty) =>
      empty ? { windowMs: afterEmpty, timeoutMs: nextTimeout(kind) } : { windowMs: afterNonEmpty, timeoutMs },
    windowMs: d.windowMs,
    serverTimerMs: d.serverTimerMs,
  };
}

/** λ = 0: every call is empty; only the rhythm of the calls is left. */
function idleClosedForm(
  input: ResolvedModelInput,
  d: Derived,
  shortHeld: boolean,
  figures: ClosedFormResult["figures"],
  notes: string[],
): ClosedFormResult {
  const { timeoutMs } = pollParams(input);
  let cycleMs: number;
  if (shortHeld) {
    // H held 3 s and timed out, then S (not held); two calls per G_e + next(S).
    const afterEmpty = nextCallAfter(input, d, 0, 0);
    cycleMs = (afterEmpty + nextCallAfter(input, d, HOLD_MS + d.serverTimerMs, 0)) / 2;
  } else if (timeoutMs === 0) {
    cycleMs = nextCallAfter(input, d, 0, 0);
  } else {
    const rules = chainRules(input, d, timeoutMs, d.pollRoundTripMs, d.pollRoundTripMs);
    // Walk the (periodic) sequence of timeouts.
    let kind = rules.first;
    let total = 0;
    const steps = 4;
    for (let i = 0; i < steps; i++) {
      kind = rules.next(kind, true);
      total += kind.timeoutMs + d.serverTimerMs + d.pollRoundTripMs;
    }
    cycleMs = total / steps;
  }
  const pollsPerHour = 3_600_000 / cycleMs;
  figures.emptyShare = 1;
  figures.pollsPerHour = pollsPerHour;
  figures.emptyRequestsPerHour = pollsPerHour;
  figures.requestsPerHour = pollsPerHour;
  figures.requestsPerAnsweredUpdate = Number.POSITIVE_INFINITY;
  notes.push("no arrivals: no latency to predict");
  return { figures, notes };
}

/**
 * Constant arrivals, spacing Δ = 1/λ (what holds for them; otherwise the simulation):
 * - short polling with windows of one length G (the bot never stretches them) and no hold (the
 *   rule off, or λG ≥ 1 so that no call repeats its offset): windows tile time, each holds
 *   ⌊λG⌋ or ⌈λG⌉ updates, so the empty share is max(0, 1 − λG) whatever the phase;
 * - long polling with τ ≥ 3 s (or the rule off) and Δ ≥ W + g₁: each update finds a parked call
 *   or a gap, and E = ⌊(Δ − W − g₁ + g₀)/(τ + ε + g₀)⌋ calls time out between two updates; when
 *   E = 0 each update wakes a parked call and waits exactly W.
 * Waits otherwise depend on the phase between arrivals and calls, which the closed forms leave to
 * the simulation.
 */
function constantArrivals(
  input: ResolvedModelInput,
  d: Derived,
  t: { afterEmpty: number; afterNonEmpty: number; work: number; holdApplies: boolean },
  figures: ClosedFormResult["figures"],
  notes: string[],
): ClosedFormResult {
  const { timeoutMs } = pollParams(input);
  const lam = d.ratePerMs;
  const spacingMs = 1 / lam;
  let emptyShare: number | null = null;
  let pollsPerUpdate: number | null = null;
  let waitMs: number | null = null;
  if (timeoutMs === 0 && t.afterEmpty === t.afterNonEmpty && (!t.holdApplies || lam * t.afterEmpty >= 1)) {
    const g = t.afterEmpty;
    emptyShare = Math.max(0, 1 - lam * g);
    pollsPerUpdate = spacingMs / g;
  } else if (timeoutMs > 0 && (!input.antiBusyLoop || timeoutMs >= HOLD_MS)) {
    const g1 = t.afterNonEmpty;
    const g0 = t.afterEmpty;
    const slack = spacingMs - d.windowMs - g1;
    if (slack >= 0) {
      const empties = Math.floor((slack + g0) / (timeoutMs + d.serverTimerMs + g0));
      emptyShare = empties / (1 + empties);
      pollsPerUpdate = 1 + empties;
      if (empties === 0) waitMs = d.windowMs;
    }
  }
  if (emptyShare === null || pollsPerUpdate === null) {
    notes.push("constant arrivals in this configuration: polling figures come from the simulation");
    return { figures, notes };
  }
  const pollsPerHour = pollsPerUpdate * input.ratePerSecond * 3_600;
  figures.emptyShare = emptyShare;
  figures.pollsPerHour = pollsPerHour;
  figures.emptyRequestsPerHour = pollsPerHour * emptyShare;
  figures.requestsPerHour = pollsPerHour + input.ratePerSecond * 3_600;
  figures.requestsPerAnsweredUpdate = pollsPerUpdate + 1;
  if (waitMs !== null) {
    figures.deliveryWaitMs = latencyFrom(waitMs, () => waitMs, d.injectionMs);
    const shift = replyShiftMs(input, d, d.windowMs);
    figures.endToEndMs = shiftLatency(figures.deliveryWaitMs, shift, shift);
  } else {
    notes.push("constant arrivals: delivery waits depend on the phase and come from the simulation");
  }
  return { figures, notes };
}
