/**
 * Polling as a Markov chain over "kinds" of getUpdates call, for the cases without a pacing/hold
 * interplay: long polling (any τ, the anti-busy-loop hold of τ < 3 included) and short polling
 * that the anti-busy-loop rule never holds. A kind is (window, timeout): the window is the time
 * since the previous answer in which updates collected; the timeout is what the server holds an
 * empty call for (Client.cpp `process_get_updates_query`, `do_get_updates`).
 *
 * For Poisson arrivals at rate λ, a call of kind (g, t):
 * - is answered empty with probability e^{−λ(g+t)};
 * - is parked when its window was empty (e^{−λg}) and t > 0; a parked call is answered W after the
 *   first arrival X ~ Exp(λ) if X < t (W: the batching window, `long_poll_wakeup`), else at t;
 * - so holds on average e^{−λg}·[(1 − e^{−λt})(1/λ + W) + e^{−λt}·ε], ε the server's timer latency.
 * Each update arriving in a window waits until the call arrives (uniform over the window: total
 * λg²/2 per window); the one that wakes a parked call waits W. By renewal–reward (PASTA),
 * mean wait = Σπ·(waits per call) / Σπ·(arrivals per call), polls per hour = 3.6e6 / Σπ·(cycle),
 * empty share = Σπ·P(empty), with π the chain's stationary distribution.
 */
import { oneMinusExp } from "./quadrature.ts";

/** One kind of call: its window and timeout, ms. */
export interface PollKind {
  windowMs: number;
  timeoutMs: number;
}

/** How the next call looks after an answer of `kind` (empty or not). */
export interface PollChainRules {
  first: PollKind;
  next(kind: PollKind, empty: boolean): PollKind;
  /** Batching window W and the server's timer latency ε, ms. */
  windowMs: number;
  serverTimerMs: number;
}

/** What the chain gives. */
export interface PollChainFigures {
  emptyShare: number;
  /** Mean time between two calls reaching the server, ms. */
  meanCycleMs: number;
  /** Mean delivery wait after injection, ms. */
  meanWaitMs: number;
  /** q-quantile of the delivery wait after injection, ms. */
  waitQuantileMs(q: number): number;
}

const MAX_KINDS = 16;

/** Solves the chain for arrivals at `ratePerMs` (> 0). */
export function solvePollChain(ratePerMs: number, rules: PollChainRules): PollChainFigures {
  const kinds: PollKind[] = [];
  const key = (k: PollKind) => `${k.windowMs}|${k.timeoutMs}`;
  const index = new Map<string, number>();
  const add = (k: PollKind): number => {
    const existing = index.get(key(k));
    if (existing !== undefined) return existing;
    if (kinds.length >= MAX_KINDS) throw new Error("poll chain: too many kinds of call");
    index.set(key(k), kinds.length);
    kinds.push(k);
    return kinds.length - 1;
  };
  add(rules.first);
  const nextOf: Array<[number, number]> = [];
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i]!;
    nextOf[i] = [add(rules.next(k, false)), add(rules.next(k, true))];
  }
  const n = kinds.length;
  const pEmpty = kinds.map((k) => Math.exp(-ratePerMs * (k.windowMs + k.timeoutMs)));
  // Stationary distribution: π = πP, Σπ = 1 (tiny system, Gaussian elimination).
  const transition = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const [nonEmpty, empty] = nextOf[i]!;
    transition[i]![nonEmpty]! += 1 - pEmpty[i]!;
    transition[i]![empty]! += pEmpty[i]!;
  }
  const pi = stationary(transition);

  let calls = 0;
  let emptyShare = 0;
  let cycle = 0;
  let waitTotal = 0;
  let arrivals = 0;
  const gapWeights: Array<{ windowMs: number; weight: number }> = [];
  let parkedWeight = 0;
  const W = rules.windowMs;
  for (let i = 0; i < n; i++) {
    const k = kinds[i]!;
    const p = pi[i]!;
    const parked = k.timeoutMs > 0 ? Math.exp(-ratePerMs * k.windowMs) : 0;
    const woken = parked * oneMinusExp(ratePerMs * k.timeoutMs);
    const holdMs =
      k.timeoutMs > 0
        ? parked *
          ((oneMinusExp(ratePerMs * k.timeoutMs) / ratePerMs) * 1 +
            oneMinusExp(ratePerMs * k.timeoutMs) * W +
            Math.exp(-ratePerMs * k.timeoutMs) * rules.serverTimerMs)
        : 0;
    const [nonEmpty, empty] = nextOf[i]!;
    const nextWindow = (1 - pEmpty[i]!) * kinds[nonEmpty]!.windowMs + pEmpty[i]! * kinds[empty]!.windowMs;
    calls += p;
    emptyShare += p * pEmpty[i]!;
    cycle += p * (holdMs + nextWindow);
    // Arrivals in the window wait out the rest of it; the first while parked waits W, those in the
    // batching window after it about W/2 (a term of order λW, kept).
    waitTotal += p * ((ratePerMs * k.windowMs * k.windowMs) / 2 + woken * (W + (ratePerMs * W * W) / 2));
    arrivals += p * ratePerMs * (k.windowMs + holdMs);
    gapWeights.push({ windowMs: k.windowMs, weight: p * ratePerMs * k.windowMs });
    parkedWeight += p * woken;
  }
  const totalWeight = gapWeights.reduce((s, g) => s + g.weight, 0) + parkedWeight;
  const cdf = (x: number): number => {
    let f = x >= W ? parkedWeight : 0;
    for (const g of gapWeights) f += g.windowMs === 0 ? g.weight : g.weight * Math.min(1, x / g.windowMs);
    return f / totalWeight;
  };
  const maxWait = Math.max(W, ...gapWeights.map((g) => g.windowMs));
  return {
    emptyShare: emptyShare / calls,
    meanCycleMs: cycle / calls,
    meanWaitMs: waitTotal / arrivals,
    waitQuantileMs: (q) => invert(cdf, q, maxWait),
  };
}

/** The smallest x in [0, hi] with cdf(x) ≥ q (bisection; cdf non-decreasing). */
export function invert(cdf: (x: number) => number, q: number, hi: number): number {
  if (cdf(0) >= q) return 0;
  let lo = 0;
  let top = hi;
  for (let i = 0; i < 200 && top - lo > 1e-9 * Math.max(1, top); i++) {
    const mid = (lo + top) / 2;
    if (cdf(mid) >= q) top = mid;
    else lo = mid;
  }
  return top;
}

/** Stationary distribution of a small stochastic matrix (rows sum to 1). */
function stationary(p: number[][]): number[] {
  const n = p.length;
  // Solve (Pᵀ − I)π = 0 with the last equation replaced by Σπ = 1.
  const a = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: n }, (_, j) => p[j]![i]! - (i === j ? 1 : 0)),
    0,
  ]);
  a[n - 1] = [...new Array<number>(n).fill(1), 1];
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++)
      if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const div = a[col]![col]!;
    for (let j = col; j <= n; j++) a[col]![j]! /= div;
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const factor = a[row]![col]!;
      if (factor === 0) continue;
      for (let j = col; j <= n; j++) a[row]![j]! -= factor * a[col]![j]!;
    }
  }
  return a.map((row) => row[n]!);
}
