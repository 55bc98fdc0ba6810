import type { FakeApi, FakeApiEventMap } from "../fake-api/index.ts";
import type { ModeName, ObservedMode } from "../results/index.ts";

/** Poll start times kept to compute the median interval; a busy-looping bot must not grow memory without bound. */
const POLL_TIMES_KEPT = 100_000;

type Listener<K extends keyof FakeApiEventMap> = (...args: FakeApiEventMap[K]) => void;

/**
 * Watches, from the fake API's side, how one bot takes its updates: the getUpdates it makes (the
 * `timeout` each asks for, when each starts) and the webhook POSTs sent to it. The mode is
 * observed, never assumed: src/runner/cell-checks.ts compares it with what the cell asked for.
 */
export class ModeObserver {
  readonly #api: FakeApi;
  readonly #botId: number;
  readonly #timeouts = new Map<number, number>();
  readonly #pollTimesMs: number[] = [];
  #polls = 0;
  #webhookPosts = 0;
  readonly #listeners: Array<[keyof FakeApiEventMap, (...args: never[]) => void]> = [];

  constructor(api: FakeApi, token: string) {
    this.#api = api;
    this.#botId = Number(token.slice(0, token.indexOf(":")));
    this.#on("poll", (e) => {
      if (e.botId !== this.#botId) return;
      this.#polls++;
      this.#timeouts.set(e.timeoutSeconds, (this.#timeouts.get(e.timeoutSeconds) ?? 0) + 1);
      if (this.#pollTimesMs.length < POLL_TIMES_KEPT) this.#pollTimesMs.push(e.atMs);
    });
    this.#on("webhookAttempt", (e) => {
      if (e.botId === this.#botId) this.#webhookPosts++;
    });
  }

  stop(): void {
    for (const [event, listener] of this.#listeners) this.#api.events.off(event, listener as never);
    this.#listeners.length = 0;
  }

  /** What was seen so far. */
  observed(): ObservedMode {
    return observedMode(this.#polls, this.#timeouts, medianInterval(this.#pollTimesMs), this.#webhookPosts);
  }

  #on<K extends keyof FakeApiEventMap>(event: K, listener: Listener<K>): void {
    this.#api.events.on(event, listener as never);
    this.#listeners.push([event, listener as never]);
  }
}

/** The observed mode from counts: pure, so that the rules can be tested without a bot. */
export function observedMode(
  polls: number,
  timeouts: ReadonlyMap<number, number>,
  medianPollIntervalMs: number | null,
  webhookPosts: number,
): ObservedMode {
  let pollTimeoutSeconds: number | null = null;
  let most = 0;
  for (const [timeout, count] of timeouts) {
    if (count > most || (count === most && pollTimeoutSeconds !== null && timeout < pollTimeoutSeconds)) {
      pollTimeoutSeconds = timeout;
      most = count;
    }
  }
  const pollMode: ModeName | null =
    pollTimeoutSeconds === null ? null : pollTimeoutSeconds === 0 ? "short-polling" : "long-polling";
  const mode = webhookPosts > polls ? "webhook" : (pollMode ?? (webhookPosts > 0 ? "webhook" : null));
  const pollTimeoutShare = polls > 0 ? most / polls : 0;
  return {
    mode,
    getUpdates: polls,
    pollTimeoutSeconds,
    pollTimeoutShare,
    medianPollIntervalMs,
    webhookPosts,
    summary: summaryOf(polls, pollTimeoutSeconds, pollTimeoutShare, medianPollIntervalMs, webhookPosts),
  };
}

function summaryOf(
  polls: number,
  timeoutSeconds: number | null,
  share: number,
  intervalMs: number | null,
  webhookPosts: number,
): string {
  const parts: string[] = [];
  if (polls > 0) {
    const which = share === 1 ? "" : ` in ${Math.round(share * 100)}% of them`;
    const apart = intervalMs === null ? "" : `, a median ${formatMs(intervalMs)} apart`;
    parts.push(`getUpdates with timeout ${timeoutSeconds}${which} (${count(polls, "call")}${apart})`);
  }
  if (webhookPosts > 0) parts.push(count(webhookPosts, "webhook POST"));
  return parts.length === 0 ? "no getUpdates and no webhook POST" : parts.join(" and ");
}

function medianInterval(timesMs: readonly number[]): number | null {
  if (timesMs.length < 2) return null;
  const gaps = timesMs
    .slice(1)
    .map((t, i) => t - timesMs[i]!)
    .sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}

const formatMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
