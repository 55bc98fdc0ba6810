/**
 * Short polling under Telegram's anti-busy-loop rule (Client.cpp `process_get_updates_query`): a
 * call with the same offset less than 3 s after the previous one started is held as if
 * `timeout = 3` (and gets `limit = 1` within 0.5 s). A short-polling bot repeats its offset after
 * every empty answer, so the rule turns every second call into a 3 s long poll.
 *
 * Renewal–reward over cycles that start at an empty call answered at once (the queue is then
 * empty and the bot idle: a regeneration point). With G_e the window after an empty answer and
 * G_n after a non-empty one (pacing and round trips, see `windowAfter`), the next call H is held:
 * - I (probability 1 − e^{−λG_e}): updates arrived in G_e, H answers at once with one (limit 1)
 *   or all of them; the leftovers and the next G_n go to the following call;
 * - IIa (e^{−λG_e}·(1 − e^{−3λ})): H is parked; the first arrival X wakes it and it answers W
 *   later; the next call comes m(X) after H, collecting ℓ(X) = m(X) − X − W;
 * - IIb (e^{−λG_e}·e^{−3λ}): H times out empty after 3 s; the next call S is not held (3 s have
 *   passed) and collects ℓ_S.
 * After H, calls with a new offset follow every G_n until one is empty (a geometric run, each
 * empty with probability a_n = e^{−λG_n}): that empty call ends the cycle. Every cycle has exactly
 * one empty call besides an empty H, so empty share = (1 + P(IIb)) / E[calls per cycle].
 * Expectations over X are closed forms of a truncated exponential, integrated by quadrature.
 */
import { TELEGRAM_RULES } from "../protocol.ts";
import { expectExponential, oneMinusExp } from "./quadrature.ts";

/** The timing of the calls around a held one, ms (means; constants for an exact result). */
export interface HoldTiming {
  /** Window of the call after an empty immediate answer (G_e) and after a non-empty one (G_n). */
  afterEmptyMs: number;
  afterNonEmptyMs: number;
  /** Call H arrives 0; answered at `answerMs` (X + W, or 3 s + ε); the next call arrives `nextCallMs(answerMs, nonEmpty)` after H. */
  nextCallMs(answerMs: number, nonEmpty: boolean): number;
  /** W and ε. */
  windowMs: number;
  serverTimerMs: number;
  /** Points where `nextCallMs(X + W, true)` changes formula, as values of X (for piecewise quadrature). */
  breakpointsMs: number[];
}

export interface HoldFigures {
  emptyShare: number;
  /** Mean time between calls, ms. */
  meanCycleMs: number;
  /** Mean delivery wait after injection, ms. */
  meanWaitMs: number;
  /** Share of calls the rule holds, and that it limits to one update. */
  heldShare: number;
}

/** Solves the cycle for arrivals at `ratePerMs` > 0. `limitOne`: the hold comes with `limit = 1` (G_e < 0.5 s). */
export function solveShortPollHold(ratePerMs: number, timing: HoldTiming, limitOne: boolean): HoldFigures {
  const lam = ratePerMs;
  const holdMs = TELEGRAM_RULES.antiBusyLoopHoldSeconds * 1_000;
  const Ge = timing.afterEmptyMs;
  const Gn = timing.afterNonEmptyMs;
  const W = timing.windowMs;
  const an = Math.exp(-lam * Gn);
  // A run of calls with a new offset after a non-empty one: E[calls] = 1/a_n, E[waits] = λG_n²/(2a_n).
  const runCalls = 1 / an;
  const runWait = (lam * Gn * Gn) / (2 * an);

  // I: updates arrived in G_e (J ~ Poisson(λG_e), J ≥ 1).
  const pI = oneMinusExp(lam * Ge);
  const pJ1 = pI > 0 ? (lam * Ge * Math.exp(-lam * Ge)) / pI : 1;
  const qI = (limitOne ? pJ1 : 1) * an;
  const leftovers = limitOne ? lam * Ge - pI : 0; // E[(J − 1)⁺]
  const callsI = pI * (2 + (1 - qI) * runCalls);
  const durationI = pI * (Ge + Gn * (1 + (1 - qI) * runCalls));
  const waitI = (lam * Ge * Ge) / 2 + leftovers * Gn + pI * ((lam * Gn * Gn) / 2 + (1 - qI) * runWait);

  // II: nothing arrived in G_e; H is parked at its arrival (time 0 here).
  const pII = Math.exp(-lam * Ge);
  const keepAll = limitOne ? Math.exp(-lam * W) : 1; // no leftover from the batching window
  const next = (x: number) => timing.nextCallMs(x + W, true);
  const ell = (x: number) => next(x) - x - W;
  const q = (x: number) => keepAll * Math.exp(-lam * ell(x));
  const pieces = [0, ...timing.breakpointsMs.filter((b) => b > 0 && b < holdMs), holdMs];
  const over = (g: (x: number) => number): number => {
    let total = 0;
    for (let i = 0; i + 1 < pieces.length; i++)
      total += expectExponential(g, lam, pieces[i]!, pieces[i + 1]!);
    return total;
  };
  const windowLeftoverWait = (x: number) => (limitOne ? lam * W * (ell(x) + W / 2) : (lam * W * W) / 2);
  const callsIIa = pII * over((x) => 2 + (1 - q(x)) * runCalls);
  const durationIIa = pII * over((x) => Ge + next(x) + Gn * (1 - q(x)) * runCalls);
  const waitIIa =
    pII * over((x) => W + windowLeftoverWait(x) + (lam * ell(x) * ell(x)) / 2 + (1 - q(x)) * runWait);

  // IIb: H times out; S comes after it, not held.
  const pIIb = pII * Math.exp(-lam * holdMs);
  const timedOutAt = holdMs + timing.serverTimerMs;
  const nextS = timing.nextCallMs(timedOutAt, false);
  const ellS = nextS - timedOutAt;
  const qS = Math.exp(-lam * ellS);
  const callsIIb = pIIb * (2 + (1 - qS) * runCalls);
  const durationIIb = pIIb * (Ge + nextS + Gn * (1 - qS) * runCalls);
  const waitIIb = pIIb * ((lam * ellS * ellS) / 2 + (1 - qS) * runWait);

  const calls = callsI + callsIIa + callsIIb;
  const duration = durationI + durationIIa + durationIIb;
  return {
    emptyShare: (1 + pIIb) / calls,
    meanCycleMs: duration / calls,
    meanWaitMs: (waitI + waitIIa + waitIIb) / (lam * duration),
    heldShare: 1 / calls,
  };
}
