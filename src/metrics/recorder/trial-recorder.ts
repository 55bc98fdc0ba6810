/**
 * The trial recorder: the one place a trial is measured. It owns the trial's clock, its measured
 * window, its HDR histograms, its counts and its per-second timeline, and turns them into the
 * trial's result. The runner only orchestrates (starts the fake API and the bot, warms up, runs
 * the schedule, drains, stops) and hands the recorder what happens; the fake API's events reach
 * it directly ({@link TrialRecorder.attach}).
 *
 * ## How latency is measured, from intended time to reply
 *
 * Every time below is on one clock: monotonic milliseconds (performance.now()) in the harness's
 * own process, where the generator, the scheduler and the fake API all run.
 *
 * 1. **Intended time.** The generator gives each update an offset from the schedule's start
 *    (src/generator/arrivals.ts: Poisson, constant, burst …). The scheduler
 *    (src/runner/scheduler.ts) calls back at or after `startMs + offset` with both the intended
 *    time and the time it actually got round to it; the runner passes both to {@link offered},
 *    creates the update in the fake API and reports it with {@link injected}.
 * 2. **Hand-over.** The fake API announces when the bot got the update: in a getUpdates answer
 *    (`delivered`, src/fake-api/methods/updates.ts) or when the first webhook POST leaves
 *    (`webhookAttempt`, src/fake-api/webhook-dispatcher.ts).
 * 3. **Reply.** When the bot's sendMessage (or copyMessage, sendPhoto …) is stored, the fake API
 *    emits `message` with the time it arrived (src/fake-api/methods/common.ts, storeBotMessage);
 *    a button press is answered by `callbackAnswered`. The reply matcher (../reply-matcher.ts)
 *    finds the update the reply belongs to: by reply_to, by the `#seq` token, else FIFO per chat.
 * 4. **Latency** = reply time − intended time, recorded in µs in an HDR histogram (`endToEnd`).
 *    Because the clock starts at the *intended* time, a generator that falls behind makes the
 *    latency larger instead of hiding it (no coordinated omission). The same reply also gives
 *    `fromActualSend` (reply − actual hand-over to the fake API, i.e. end to end minus the
 *    generator's lateness), `deliveryWait` (intended → hand-over) and `botTime` (hand-over →
 *    reply).
 *
 * ## The window and the timeline
 *
 * The measured window starts at the schedule's start and ends at the scenario's duration, whatever
 * the arrivals; {@link closeWindow} ends it earlier only when an update-count run reached its count
 * or the trial stopped early. Rates and per-hour figures count the events inside it and divide by
 * its length. Every event is also added to the timeline in the second it happened (the intended
 * second for `offered`); gauges (backlog, bot CPU and memory) are sampled once per second into
 * that second ({@link sampleGauges}). {@link finish} checks that each series adds up to its total.
 */

import type { BotCounters, FakeApiEventMap, FakeApiEvents } from "../../fake-api/index.ts";
import type { TrialResult } from "../../results/trial-result.ts";
import { DEFAULT_CLOCK_TICKS_PER_SECOND } from "../defaults.ts";
import { createLatencyHistogram, type LatencyHistogram } from "../latency-histogram.ts";
import type { ProcessStats } from "../process-sampler.ts";
import { ReplyMatcher } from "../reply-matcher.ts";
import type { BotReply, MatchOutcome, TrackedUpdate } from "../reply-matcher-types.ts";
import { Timeline, type TimelineCounter } from "../timeline.ts";
import { type MonotonicClock, PERFORMANCE_CLOCK } from "./clock.ts";
import { buildTrialResult, type TrialEnd, type WindowEnd } from "./trial-figures.ts";

/** How many hand-overs of not-yet-tracked updates are remembered (see {@link TrialRecorder.injected}). */
const EARLY_DELIVERIES_LIMIT = 10_000;

/** The series whose in-window counts rates and per-hour figures are made of. */
export type WindowSeries = Extract<
  TimelineCounter,
  "offered" | "answered" | "requests" | "emptyGetUpdates" | "bytesIn" | "bytesOut"
>;
const WINDOW_SERIES: ReadonlySet<TimelineCounter> = new Set<WindowSeries>([
  "offered",
  "answered",
  "requests",
  "emptyGetUpdates",
  "bytesIn",
  "bytesOut",
]);

/** What a recorder needs to know about its trial; readers are injected so tests can fake them. */
export interface TrialRecorderOptions {
  /** The bot under test: only the fake API's events for this bot id are recorded. */
  botId: number;
  /** The schedule's start (intended time 0), on the clock, ms. */
  startMs: number;
  /** The scenario's duration: the window ends at startMs + durationMs unless closed earlier. */
  durationMs: number;
  /** The cell's arrival rate, per second (what "one second of traffic" is for `sustained`). */
  ratePerSecond: number;
  /** The fake API's counters for the bot now (read when the trial finishes). */
  readCounters: () => BotCounters;
  /** The bot process's CPU time and memory now; undefined when they cannot be read. Default: none. */
  readBotProcess?: () => ProcessStats | undefined;
  /** The harness's own CPU time so far, ms. Default: none (0). */
  readHarnessCpuMs?: () => number;
  /**
   * Resolution of the bot's CPU time, ms: one kernel clock tick (`1000 / clockTicksPerSecond()`).
   * Default: the usual tick, {@link DEFAULT_CLOCK_TICKS_PER_SECOND} per second.
   */
  botCpuResolutionMs?: number;
  /** Default: performance.now(). */
  clock?: MonotonicClock;
}

/** Records one trial; see the file's comment for what it measures and how. */
export class TrialRecorder {
  readonly matcher = new ReplyMatcher();
  readonly #options: TrialRecorderOptions;
  readonly #clock: MonotonicClock;
  readonly #timeline: Timeline;
  readonly #histograms = {
    endToEnd: createLatencyHistogram(),
    fromActualSend: createLatencyHistogram(),
    deliveryWait: createLatencyHistogram(),
    botTime: createLatencyHistogram(),
    lateness: createLatencyHistogram(),
  } satisfies Record<string, LatencyHistogram>;
  readonly #inWindow: Record<WindowSeries, number> = {
    offered: 0,
    answered: 0,
    requests: 0,
    emptyGetUpdates: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
  /** Hand-overs announced before their update was tracked (a webhook POST can start inside the injection). */
  readonly #earlyDeliveries = new Map<number, number>();
  readonly #listeners: Array<[keyof FakeApiEventMap, (...args: never[]) => void]> = [];
  #events: FakeApiEvents | undefined;
  #generated = 0;
  #lateOver1Ms = 0;
  #notInjected = 0;
  #filtered = 0;
  #expired = 0;
  #windowEndMs: number;
  #windowMs: number;
  #windowEnd: WindowEnd | undefined;
  #botStart: ProcessStats | undefined;
  #harnessStartMs = 0;

  constructor(options: TrialRecorderOptions) {
    this.#options = options;
    this.#clock = options.clock ?? PERFORMANCE_CLOCK;
    this.#timeline = new Timeline(options.startMs);
    this.#windowEndMs = options.startMs + options.durationMs;
    this.#windowMs = options.durationMs;
  }

  /** The window's end so far (startMs + duration until {@link closeWindow} moves it earlier), ms. */
  get windowEndMs(): number {
    return this.#windowEndMs;
  }

  /** Updates offered so far. */
  get generated(): number {
    return this.#generated;
  }

  /**
   * Starts recording: reads the CPU baselines and listens to the fake API's events. Call it right
   * after the fake API's counters were reset, before the schedule starts.
   */
  attach(events: FakeApiEvents): void {
    this.#events = events;
    this.#botStart = this.#options.readBotProcess?.();
    this.#harnessStartMs = this.#options.readHarnessCpuMs?.() ?? 0;
    const ours = this.#options.botId;
    this.#on("request", (e) => {
      if (e.botId !== ours) return;
      if (e.via === "http") this.#count("requests", e.atMs);
      if (e.method === "getupdates") this.#count("getUpdates", e.atMs);
    });
    this.#on("counted", (e) => {
      if (e.botId !== ours) return;
      const series = COUNTED_SERIES[e.counter];
      this.#count(series, e.atMs, e.amount);
    });
    this.#on("delivered", (e) => {
      if (e.botId !== ours || e.via !== "getUpdates") return; // a webhook's hand-over is its first POST
      for (const id of e.updateIds) this.#handedOver(id, e.atMs);
      this.#count("delivered", e.atMs, e.updateIds.length);
    });
    this.#on("webhookAttempt", (e) => {
      if (e.botId !== ours) return;
      this.#count("requests", e.atMs);
      this.#count("webhookPosts", e.atMs);
      if (e.attempt === 1) {
        this.#handedOver(e.updateId, e.atMs);
        this.#count("delivered", e.atMs);
      }
    });
    this.#on("webhookFailure", (e) => {
      if (e.botId === ours) this.#count("webhookFailures", e.atMs);
    });
    this.#on("message", (e) => {
      if (e.botId !== ours) return;
      const { chat, text, reply_to_message: replyTo } = e.message;
      // One object of one shape per reply (this runs once per answered update).
      const reply: BotReply = { chatId: chat.id, text, replyToMessageId: replyTo?.message_id, atMs: e.atMs };
      this.#replied(this.matcher.onBotMessage(reply), e.atMs);
    });
    this.#on("callbackAnswered", (e) => {
      if (e.botId === ours) this.#replied(this.matcher.onCallbackAnswered(e.callbackQueryId, e.atMs), e.atMs);
    });
    this.#on("expired", (e) => {
      if (e.botId !== ours) return;
      this.#count("expired", e.atMs);
      if (this.matcher.forget(e.updateId, "expired")) this.#expired++;
    });
  }

  /** Stops listening to the fake API (also done by {@link finish}). */
  detach(): void {
    for (const [event, listener] of this.#listeners) this.#events?.off(event, listener as never);
    this.#listeners.length = 0;
  }

  /** The schedule handed an update over: meant for `intendedAtMs`, handed over at `sentAtMs`. */
  offered(intendedAtMs: number, sentAtMs: number): void {
    this.#generated++;
    const lateMs = sentAtMs - intendedAtMs;
    this.#histograms.lateness.recordUs(Math.max(1, lateMs * 1000));
    if (lateMs > 1) this.#lateOver1Ms++;
    this.#count("offered", intendedAtMs);
  }

  /** The offered update was created in the fake API; its latency is timed from `update.intendedAtMs`. */
  injected(update: TrackedUpdate): void {
    this.#timeline.add("injected", update.injectedAtMs);
    this.matcher.track(update);
    const deliveredAtMs = this.#earlyDeliveries.get(update.updateId);
    if (deliveredAtMs !== undefined) {
      this.#earlyDeliveries.delete(update.updateId);
      this.matcher.delivered(update.updateId, deliveredAtMs);
    }
  }

  /** The offered update could not be created (a button press in a chat with nothing to press yet). */
  notInjected(): void {
    this.#notInjected++;
  }

  /** The offered update was created but filtered out by the bot's allowed_updates. */
  filtered(): void {
    this.#filtered++;
  }

  /**
   * The window is over: at the scenario's duration (`duration`, the window's end stays where it
   * was), or now, because an update-count run handed over its last update (`update-count`) or the
   * trial stopped feeding the bot (`stopped-early`). The backlog is taken now. Only the first call counts.
   */
  closeWindow(endedBy: WindowEnd["endedBy"]): void {
    if (this.#windowEnd !== undefined) return;
    const nowMs = this.#clock.nowMs();
    if (endedBy !== "duration" && nowMs < this.#windowEndMs) {
      this.#windowEndMs = nowMs;
      this.#windowMs = Math.max(0, nowMs - this.#options.startMs);
    }
    this.#windowEnd = { endedBy, backlog: this.matcher.unansweredCount };
  }

  /** Samples the gauges (backlog, bot CPU and memory, harness CPU) into second `second`. */
  sampleGauges(second: number): void {
    const t = this.#timeline;
    t.sampleSecond("pending", second, this.matcher.undeliveredCount);
    t.sampleSecond("deliveredUnanswered", second, this.matcher.deliveredUnansweredCount);
    const harness = this.#options.readHarnessCpuMs?.();
    if (harness !== undefined) t.sampleSecond("harnessCpuMs", second, harness);
    const bot = this.#options.readBotProcess?.();
    if (bot !== undefined) {
      t.sampleSecond("botCpuMs", second, bot.cpuUserMs + bot.cpuSystemMs);
      t.sampleSecond("botRssBytes", second, bot.rssBytes);
    }
  }

  /**
   * Ends the recording (after the drain): samples the gauges into the last second, stops
   * listening, and returns the trial's result with its timeline check.
   */
  finish(end: TrialEnd): TrialResult {
    const endMs = this.#clock.nowMs();
    this.closeWindow("stopped-early"); // a no-op unless the runner never closed it
    this.sampleGauges(Math.max(0, Math.floor((endMs - this.#options.startMs) / 1000)));
    // Read the counters while still listening: reading them hands over bytes still on open sockets
    // (the webhook dispatcher's meter), and their `counted` events must land in the timeline too.
    const counters = this.#options.readCounters();
    this.detach();
    const botEnd = this.#options.readBotProcess?.();
    const botStart = this.#botStart;
    return buildTrialResult({
      end,
      startMs: this.#options.startMs,
      endMs,
      windowMs: this.#windowMs,
      windowEnd: this.#windowEnd!,
      ratePerSecond: this.#options.ratePerSecond,
      counters,
      matcher: this.matcher,
      histograms: this.#histograms,
      inWindow: { ...this.#inWindow },
      ledgerInput: {
        generated: this.#generated,
        notInjected: this.#notInjected,
        filtered: this.#filtered,
        answered: this.matcher.counts.matched,
        deliveredUnanswered: this.matcher.deliveredUnansweredCount,
        pending: this.matcher.undeliveredCount,
        expired: this.#expired,
      },
      lateOver1Ms: this.#lateOver1Ms,
      timeline: this.#timeline,
      botCpuMs:
        botStart && botEnd
          ? botEnd.cpuUserMs + botEnd.cpuSystemMs - botStart.cpuUserMs - botStart.cpuSystemMs
          : null,
      botPeakRssBytes: botEnd?.peakRssBytes ?? botStart?.peakRssBytes ?? null,
      harnessCpuMs: (this.#options.readHarnessCpuMs?.() ?? 0) - this.#harnessStartMs,
      botCpuResolutionMs: this.#options.botCpuResolutionMs ?? 1_000 / DEFAULT_CLOCK_TICKS_PER_SECOND,
    });
  }

  #count(series: TimelineCounter, atMs: number, amount = 1): void {
    this.#timeline.add(series, atMs, amount);
    if (atMs < this.#windowEndMs && WINDOW_SERIES.has(series))
      this.#inWindow[series as WindowSeries] += amount;
  }

  #handedOver(updateId: number, atMs: number): void {
    if (this.matcher.delivered(updateId, atMs)) return;
    // Bounded: ids that are never tracked (filtered, or already answered) must not pile up.
    if (this.#earlyDeliveries.size >= EARLY_DELIVERIES_LIMIT) this.#earlyDeliveries.clear();
    this.#earlyDeliveries.set(updateId, atMs);
  }

  #replied(outcome: MatchOutcome, atMs: number): void {
    if (outcome.kind === "duplicate") this.#count("duplicates", atMs);
    if (outcome.kind === "unmatched") this.#count("unmatched", atMs);
    if (outcome.kind !== "matched") return;
    const { update, deliveredAtMs } = outcome;
    const endToEndUs = (atMs - update.intendedAtMs) * 1000;
    const h = this.#histograms;
    h.endToEnd.recordUs(endToEndUs);
    h.fromActualSend.recordUs((atMs - update.injectedAtMs) * 1000);
    if (deliveredAtMs !== undefined) {
      h.deliveryWait.recordUs((deliveredAtMs - update.intendedAtMs) * 1000);
      h.botTime.recordUs((atMs - deliveredAtMs) * 1000);
    }
    this.#count("answered", atMs);
    this.#timeline.recordLatencyUs(atMs, endToEndUs);
  }

  #on<K extends keyof FakeApiEventMap>(event: K, listener: (...args: FakeApiEventMap[K]) => void): void {
    this.#events?.on(event, listener as never);
    this.#listeners.push([event, listener as never]);
  }
}

/** The timeline series each counted traffic adds to. */
const COUNTED_SERIES = {
  emptyGetUpdates: "emptyGetUpdates",
  bytesIn: "bytesIn",
  webhookBytesIn: "bytesIn",
  bytesOut: "bytesOut",
  webhookBytesOut: "bytesOut",
} as const satisfies Record<FakeApiEventMap["counted"][0]["counter"], TimelineCounter>;
