import type { BotCounters, FakeApi, FakeApiEventMap } from "../fake-api/index.ts";
import { correlationToken, type UpdateSpec } from "../generator/index.ts";
import { createLatencyHistogram, type LatencySummary } from "../metrics/latency-histogram.ts";
import type { computeLedger } from "../metrics/ledger.ts";
import { clockTicksPerSecond, readProcessStats } from "../metrics/process-sampler.ts";
import type { ReplyMatcher } from "../metrics/reply-matcher.ts";
import type { Timeline, TimelineBucket } from "../metrics/timeline.ts";
import type { TrialOutcome, TrialResult } from "../results/index.ts";
import type { BotProcess } from "../subjects/bot-process.ts";

const EARLY_DELIVERIES_LIMIT = 10_000;

type Listener<K extends keyof FakeApiEventMap> = (...args: FakeApiEventMap[K]) => void;

/** What the trial loop knows at the end and hands to {@link TrialProbe.result}. */
export interface TrialTotals {
  trial: number;
  seed: string;
  startedAt: string;
  measuredMs: number;
  scheduleMs: number;
  generated: number;
  lateness: LatencySummary;
  lateOver1Ms: number;
  backlogAtScheduleEnd: number;
  ratePerSecond: number;
  harnessCpuMs: number;
  botCpuMs: number | null;
  botPeakRssBytes: number | null;
  timeline: TimelineBucket[];
  outcome: TrialOutcome;
  computeLedger: typeof computeLedger;
}

/**
 * The measuring side of a trial: injects updates as the schedule hands them over, listens to the
 * fake API (hand-overs, replies, expiries), matches replies to updates and records latency.
 */
export class TrialProbe {
  readonly matcher: ReplyMatcher;
  readonly bot: BotProcess;
  /** Aborts when the bot process exits, so the schedule stops feeding a dead bot. */
  readonly botGone: AbortSignal;
  readonly #api: FakeApi;
  readonly #token: string;
  readonly #botId: number;
  readonly #endToEnd = createLatencyHistogram();
  readonly #endToEndRaw = createLatencyHistogram();
  readonly #deliveryWait = createLatencyHistogram();
  readonly #botTime = createLatencyHistogram();
  /** The newest bot message per chat: what a simulated button press presses. */
  readonly #lastBotMessage = new Map<number, number>();
  /**
   * Hand-overs reported before the update was tracked: a webhook POST can start synchronously
   * inside the injection, before its update_id is known to the matcher.
   */
  readonly #earlyDeliveries = new Map<number, number>();
  #notInjected = 0;
  #filtered = 0;
  #expired = 0;
  #timeline: Timeline | undefined;
  #previous: BotCounters | undefined;
  readonly #listeners: Array<[keyof FakeApiEventMap, (...args: never[]) => void]> = [];

  constructor(api: FakeApi, token: string, bot: BotProcess, matcher: ReplyMatcher) {
    this.#api = api;
    this.#token = token;
    this.#botId = Number(token.slice(0, token.indexOf(":")));
    this.bot = bot;
    this.matcher = matcher;
    const gone = new AbortController();
    void bot.exited.then(() => gone.abort());
    this.botGone = gone.signal;
  }

  attach(timeline: Timeline): void {
    this.#timeline = timeline;
    this.#previous = this.#api.control.counters(this.#token);
    this.#on("delivered", (e) => {
      if (e.botId !== this.#botId) return;
      if (e.via === "getUpdates") for (const id of e.updateIds) this.#delivered(id, e.atMs);
      timeline.add("delivered", e.atMs, e.updateIds.length);
    });
    this.#on("webhookAttempt", (e) => {
      // Handed over = the first POST leaves, whatever its outcome.
      if (e.botId === this.#botId && e.attempt === 1) this.#delivered(e.updateId, e.atMs);
    });
    this.#on("message", (e) => {
      if (e.botId !== this.#botId) return;
      this.#lastBotMessage.set(e.message.chat.id, e.message.message_id);
      const outcome = this.matcher.onBotMessage({
        chatId: e.message.chat.id,
        ...(e.message.text === undefined ? {} : { text: e.message.text }),
        ...(e.message.reply_to_message === undefined
          ? {}
          : { replyToMessageId: e.message.reply_to_message.message_id }),
        atMs: e.atMs,
      });
      this.#recordMatch(outcome);
    });
    this.#on("callbackAnswered", (e) => {
      if (e.botId === this.#botId)
        this.#recordMatch(this.matcher.onCallbackAnswered(e.callbackQueryId, e.atMs));
    });
    this.#on("expired", (e) => {
      if (e.botId !== this.#botId) return;
      if (this.matcher.forget(e.updateId, "expired")) this.#expired++;
    });
  }

  detach(): void {
    for (const [event, listener] of this.#listeners) this.#api.events.off(event, listener as never);
    this.#listeners.length = 0;
  }

  /** Creates the update a spec describes, as its user would, and starts tracking it. */
  inject(spec: UpdateSpec, intendedAtMs: number, nowMs: number): void {
    const control = this.#api.control;
    const actor = { from: spec.from, chat: spec.chat };
    let update: ReturnType<typeof control.injectText>;
    let messageId: number;
    if (spec.kind === "callback") {
      const target = this.#lastBotMessage.get(spec.chat.id);
      if (target === undefined) {
        this.#notInjected++; // nothing to press yet in this chat: counted, not hidden
        return;
      }
      update = control.injectCallback(this.#token, { ...actor, messageId: target, data: spec.data });
      messageId = target;
    } else {
      update =
        spec.kind === "text"
          ? control.injectText(this.#token, { ...actor, text: spec.text })
          : control.injectCommand(this.#token, {
              ...actor,
              command: spec.command,
              ...(spec.args === undefined ? {} : { args: spec.args }),
            });
      messageId = update?.message?.message_id ?? 0;
    }
    if (update === null) {
      this.#filtered++;
      return;
    }
    this.#timeline?.add("injected", nowMs);
    this.matcher.track({
      seq: spec.seq,
      updateId: update.update_id,
      chatId: spec.chat.id,
      kind: spec.kind,
      messageId,
      ...(update.callback_query === undefined ? {} : { callbackQueryId: update.callback_query.id }),
      ...(spec.kind === "callback" ? {} : { correlation: correlationToken(spec.seq) }),
      intendedAtMs,
      injectedAtMs: nowMs,
    });
    const deliveredAtMs = this.#earlyDeliveries.get(update.update_id);
    if (deliveredAtMs !== undefined) {
      this.#earlyDeliveries.delete(update.update_id);
      this.matcher.delivered(update.update_id, deliveredAtMs);
    }
  }

  #delivered(updateId: number, atMs: number): void {
    if (this.matcher.delivered(updateId, atMs)) return;
    // Bounded: ids that are never tracked (filtered, or not ours) must not pile up.
    if (this.#earlyDeliveries.size >= EARLY_DELIVERIES_LIMIT) this.#earlyDeliveries.clear();
    this.#earlyDeliveries.set(updateId, atMs);
  }

  /** One timeline sample: counter deltas since the last one, backlog, bot CPU and memory. */
  sample(timeline: Timeline): void {
    const atMs = performance.now();
    const now = this.#api.control.counters(this.#token);
    const before = this.#previous ?? now;
    timeline.add("getUpdates", atMs, now.getUpdatesCalls - before.getUpdatesCalls);
    timeline.add("emptyGetUpdates", atMs, now.emptyGetUpdates - before.emptyGetUpdates);
    timeline.add("webhookPosts", atMs, now.webhookAttempts - before.webhookAttempts);
    timeline.add("bytesIn", atMs, now.bytesIn - before.bytesIn);
    timeline.add("bytesOut", atMs, now.bytesOut - before.bytesOut);
    this.#previous = now;
    timeline.sample("pending", atMs, this.matcher.undeliveredCount);
    timeline.sample("deliveredUnanswered", atMs, this.matcher.deliveredUnansweredCount);
    const stats = this.bot.pid === undefined ? undefined : readProcessStats(this.bot.pid);
    if (stats !== undefined) {
      timeline.sample("botCpuMs", atMs, stats.cpuUserMs + stats.cpuSystemMs);
      timeline.sample("botRssBytes", atMs, stats.rssBytes);
    }
  }

  result(t: TrialTotals): TrialResult {
    const counters = this.#api.control.counters(this.#token);
    const answered = this.matcher.counts.matched;
    const ledger = t.computeLedger({
      generated: t.generated,
      notInjected: this.#notInjected,
      filtered: this.#filtered,
      answered,
      deliveredUnanswered: this.matcher.deliveredUnansweredCount,
      pending: this.matcher.undeliveredCount,
      expired: this.#expired,
    });
    const botRequests =
      Object.values(counters.requestsByMethod).reduce((sum, n) => sum + n, 0) - counters.webhookReplies;
    const requests = botRequests + counters.webhookAttempts;
    const bytes = counters.bytesIn + counters.bytesOut + counters.webhookBytesOut + counters.webhookBytesIn;
    const seconds = t.measuredMs / 1000;
    const perHour = (n: number) => (seconds > 0 ? (n / seconds) * 3600 : 0);
    const perAnswered = (n: number) => (answered > 0 ? n / answered : 0);
    return {
      trial: t.trial,
      seed: t.seed,
      startedAt: t.startedAt,
      measuredMs: t.measuredMs,
      scheduleMs: t.scheduleMs,
      ledger,
      latency: {
        endToEnd: this.#endToEnd.summary(),
        endToEndRaw: this.#endToEndRaw.summary(),
        deliveryWait: this.#deliveryWait.summary(),
        botTime: this.#botTime.summary(),
      },
      generator: { lateness: t.lateness, lateOver1Ms: t.lateOver1Ms },
      requests: {
        total: requests,
        getUpdates: counters.getUpdatesCalls,
        emptyGetUpdates: counters.emptyGetUpdates,
        emptyShare: counters.getUpdatesCalls > 0 ? counters.emptyGetUpdates / counters.getUpdatesCalls : 0,
        webhookPosts: counters.webhookAttempts,
        perAnsweredUpdate: {
          requests: perAnswered(requests),
          emptyRequests: perAnswered(counters.emptyGetUpdates),
          bytes: perAnswered(bytes),
        },
        perHour: {
          requests: perHour(requests),
          emptyRequests: perHour(counters.emptyGetUpdates),
          bytes: perHour(bytes),
        },
        bytesIn: counters.bytesIn,
        bytesOut: counters.bytesOut,
      },
      throughput: {
        offeredPerSecond: t.scheduleMs > 0 ? t.generated / (t.scheduleMs / 1000) : 0,
        answeredPerSecond: seconds > 0 ? answered / seconds : 0,
        backlogAtScheduleEnd: t.backlogAtScheduleEnd,
        sustained:
          t.outcome.kind === "completed" &&
          this.matcher.unansweredCount === 0 &&
          t.backlogAtScheduleEnd <= Math.max(10, t.ratePerSecond),
      },
      cost: {
        botCpuMs: t.botCpuMs,
        botCpuResolutionMs: 1000 / clockTicksPerSecond(),
        botCpuUsPerUpdate: t.botCpuMs === null || answered === 0 ? null : (t.botCpuMs * 1000) / answered,
        botPeakRssBytes: t.botPeakRssBytes,
        tcpConnectionsOpened: counters.connectionsOpened,
        webhookConnectionsOpened: counters.webhookConnectionsOpened,
        harnessCpuMs: t.harnessCpuMs,
        harnessCpuUsPerUpdate: t.generated === 0 ? null : (t.harnessCpuMs * 1000) / t.generated,
      },
      matching: this.matcher.counts,
      webhook: {
        attempts: counters.webhookAttempts,
        retries: counters.webhookRetries,
        failures: counters.webhookFailures,
      },
      counters,
      timeline: t.timeline,
      outcome: t.outcome,
    };
  }

  #recordMatch(outcome: ReturnType<ReplyMatcher["onBotMessage"]>): void {
    if (outcome.kind !== "matched") return;
    const { update, atMs, deliveredAtMs } = outcome;
    const endToEndUs = (atMs - update.intendedAtMs) * 1000;
    this.#endToEnd.recordUs(endToEndUs);
    this.#endToEndRaw.recordUs((atMs - update.injectedAtMs) * 1000);
    if (deliveredAtMs !== undefined) {
      this.#deliveryWait.recordUs((deliveredAtMs - update.intendedAtMs) * 1000);
      this.#botTime.recordUs((atMs - deliveredAtMs) * 1000);
    }
    this.#timeline?.add("answered", atMs);
    this.#timeline?.recordLatencyUs(atMs, endToEndUs);
  }

  #on<K extends keyof FakeApiEventMap>(event: K, listener: Listener<K>): void {
    this.#api.events.on(event, listener as never);
    this.#listeners.push([event, listener as never]);
  }
}
