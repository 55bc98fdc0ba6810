import { type FakeApi, startFakeApi } from "../fake-api/index.ts";
import { createUpdateStream, type UpdateSpec } from "../generator/index.ts";
import { createLatencyHistogram } from "../metrics/latency-histogram.ts";
import { computeLedger } from "../metrics/ledger.ts";
import { harnessCpuMs, readProcessStats } from "../metrics/process-sampler.ts";
import { ReplyMatcher } from "../metrics/reply-matcher.ts";
import { Timeline } from "../metrics/timeline.ts";
import {
  type FailureReason,
  formatCallsByMethod,
  type TrialOutcome,
  type TrialResult,
  type UnsupportedReason,
} from "../results/index.ts";
import {
  type BotProcess,
  launchBot,
  START_PROGRESS_INTERVAL_MS,
  SubjectError,
} from "../subjects/bot-process.ts";
import { BotActivityRecorder } from "./bot-activity.ts";
import { botExited, exitText, startFailure, warmUpFailure } from "./bot-outcomes.ts";
import { botStop } from "./bot-stop.ts";
import { SCENARIO_DEFAULTS } from "./defaults.ts";
import type { RunnerEventSink } from "./events.ts";
import { type Cell, type ResolvedScenario, trafficFor } from "./scenario.ts";
import { startSchedule } from "./scheduler.ts";
import { refusedMode, subjectLaunchSpec, WEBHOOK_PATH } from "./subject-launch.ts";
import { TrialProbe } from "./trial-probe.ts";
import { TrialWatch } from "./trial-watch.ts";
import { setUpWebhookFront, type WebhookFrontSetup } from "./webhook-front.ts";

/** Every bot id is different per trial so no state can leak between trials. */
const BOT_ID_BASE = 7_000_000;
const WARMUP_USER_ID = 99;
const DRAIN_POLL_MS = 20;
const RUNNER_CALL_LOG_CAPACITY = 256;
const RUNNER_MESSAGES_KEPT_PER_CHAT = 16;

export interface TrialContext {
  scenario: ResolvedScenario;
  cell: Cell;
  cellIndex: number;
  trial: number;
  signal: AbortSignal;
  emit: RunnerEventSink;
}

/**
 * What became of one attempt at a trial: measured (whatever its outcome), stopped before measuring
 * by a failure (the bot did not start, the warm-up failed), refused by the bot (a custom bot that
 * exits 2 at start for the mode), or cancelled before measuring.
 */
export type TrialAttempt =
  | { kind: "measured"; result: TrialResult }
  | { kind: "not-measured"; reason: FailureReason }
  | { kind: "unsupported"; reason: UnsupportedReason }
  | { kind: "cancelled" };

/**
 * One trial of one cell: a fresh fake API, the bot started against it, a warm-up that is not
 * measured, the open-model schedule, a drain, and the figures. What the bot does is an outcome
 * (data in the attempt), not an exception; only a fault of the harness itself throws.
 */
export async function runTrial(ctx: TrialContext): Promise<TrialAttempt> {
  const { scenario, cell, trial } = ctx;
  const api = await startFakeApi({
    antiBusyLoop: scenario.antiBusyLoop,
    // The runner reads counters and events, not the call log; a short log and a few messages per
    // chat keep the harness's heap small, so its GC pauses stay short under load.
    callLogCapacity: RUNNER_CALL_LOG_CAPACITY,
    messagesKeptPerChat: RUNNER_MESSAGES_KEPT_PER_CHAT,
  });
  const token = `${BOT_ID_BASE + ctx.cellIndex * 1000 + trial}:tgbench-trial-${trial}`;
  // What the fake API sees the bot do from its start, for the account of a failure.
  const lifetime = new BotActivityRecorder(api, token);
  let bot: BotProcess | undefined;
  let front: WebhookFrontSetup | undefined;
  // Stop the bot, then close the fake API: a bot whose last calls fail because the API is gone
  // would exit 1 through no fault of its own. Telegram's anti-busy-loop hold is switched off
  // first, so the confirming getUpdates many frameworks send on the way out is answered at once
  // (it would be held 3 s); nothing after the measurement is measured.
  let closing: Promise<unknown> | undefined;
  const stopGraceMs = scenario.stopGraceMs ?? SCENARIO_DEFAULTS.stopGraceMs;
  const shutDown = () => {
    closing ??= (async () => {
      api.control.setAntiBusyLoop(false);
      await bot?.stop(stopGraceMs);
      await Promise.all([api.close(), front?.stop()]);
    })();
    return closing;
  };
  try {
    front = await setUpWebhookFront(scenario, cell, WEBHOOK_PATH);
    const spec = subjectLaunchSpec(scenario, cell, token, api.apiRoot, front.env);
    ctx.emit({ type: "bot-starting", cell, trial });
    try {
      bot = await launchBot(spec, api, {
        signal: ctx.signal,
        onWaiting: (waitedMs, waitingFor) => waiting(ctx, waitedMs, waitingFor, lifetime),
      });
    } catch (error: unknown) {
      if (ctx.signal.aborted) return { kind: "cancelled" };
      if (!(error instanceof SubjectError)) throw error;
      const refused = refusedMode(cell, error);
      if (refused !== null) return { kind: "unsupported", reason: refused };
      return { kind: "not-measured", reason: startFailure(trial, error, lifetime.snapshot(), front.front) };
    }
    const warmUpEnd = await warmUp(api, token, bot, ctx, lifetime);
    if (warmUpEnd !== null) return warmUpEnd;
    lifetime.stop(); // the measured window has an activity recorder of its own
    const result = await measure(ctx, api, token, bot, front);
    const wasRunning = bot.running;
    await shutDown();
    if (result.behaviour !== undefined && wasRunning) result.behaviour.stop = botStop(bot, stopGraceMs);
    return { kind: "measured", result };
  } finally {
    lifetime.stop();
    await shutDown();
  }
}

/** A start-up or warm-up still waiting: what for, and what the fake API has seen the bot do. */
function waiting(
  ctx: TrialContext,
  waitedMs: number,
  waitingFor: string,
  lifetime: BotActivityRecorder,
): void {
  const seen = lifetime.snapshot();
  ctx.emit({
    type: "bot-waiting",
    cell: ctx.cell,
    trial: ctx.trial,
    waitedMs,
    waitingFor,
    seen: formatCallsByMethod(seen.callsByMethod),
    errors: seen.errors,
  });
}

/** Longest a warm-up may take to send its updates (ms); slower cells send them closer together. */
const WARMUP_SEND_MAX_MS = 2_000;

/**
 * Sends the warm-up updates at the cell's rate (so connections are open and code is hot at the
 * load that follows) and waits for their replies; none of it is measured.
 */
async function warmUp(
  api: FakeApi,
  token: string,
  bot: BotProcess,
  ctx: TrialContext,
  lifetime: BotActivityRecorder,
): Promise<Exclude<TrialAttempt, { kind: "measured" }> | null> {
  const { scenario, signal, trial } = ctx;
  const ratePerSecond = ctx.cell.ratePerSecond;
  const count = scenario.warmupUpdates;
  if (count > 0) {
    const spacingMs = Math.min(1000 / ratePerSecond, WARMUP_SEND_MAX_MS / count);
    const items = Array.from({ length: count }, (_, i) => ({ item: i, offsetMs: i * spacingMs }));
    await startSchedule(
      items,
      performance.now(),
      (i) =>
        api.control.injectText(token, { text: `warm-up ${i}`, from: { id: WARMUP_USER_ID + (i % 100) } }),
      signal,
    ).done;
  }
  // Done when every warm-up update is answered and, for webhooks, acknowledged with a 2xx (which
  // may come after the reply), so no warm-up hand-over lands in the measured counters; for
  // webhooks, that first acknowledged delivery is also the last piece of readiness. A polling
  // bot's confirming offset needs no wait: confirmed updates are never handed over again.
  const webhook = api.control.webhookInfo(token).url !== "";
  const answered = () => api.control.counters(token).messagesSent;
  const acknowledged = () => api.control.counters(token).updatesDeliveredByWebhook;
  const settled = () =>
    answered() >= count &&
    (!webhook || (acknowledged() >= count && api.control.webhookInfo(token).pending_update_count === 0));
  const startMs = performance.now();
  const deadline = startMs + scenario.startupTimeoutMs;
  let nextProgressMs = startMs + START_PROGRESS_INTERVAL_MS;
  const progress = () =>
    `${answered()}/${count} warm-up updates answered` +
    (webhook ? `, ${acknowledged()}/${count} webhook deliveries acknowledged` : "");
  while (!settled()) {
    if (!bot.running) {
      const message = `${bot.label} exited during warm-up (${exitText(bot.exit)}); ${progress()}`;
      return { kind: "not-measured", reason: warmUpFailure(trial, bot, message, lifetime.snapshot()) };
    }
    if (signal.aborted) return { kind: "cancelled" };
    const nowMs = performance.now();
    if (nowMs > deadline) {
      const message = `${bot.label}: ${progress()} in ${scenario.startupTimeoutMs} ms`;
      return { kind: "not-measured", reason: warmUpFailure(trial, bot, message, lifetime.snapshot()) };
    }
    if (nowMs >= nextProgressMs) {
      nextProgressMs += START_PROGRESS_INTERVAL_MS;
      waiting(ctx, nowMs - startMs, `the warm-up (${progress()})`, lifetime);
    }
    await sleep(DRAIN_POLL_MS);
  }
  api.control.reset(token);
  return null;
}

async function measure(
  ctx: TrialContext,
  api: FakeApi,
  token: string,
  bot: BotProcess,
  front: WebhookFrontSetup,
): Promise<TrialResult> {
  const { scenario, cell, trial } = ctx;
  const seed = `${scenario.seed}/${trial}`;
  const stream = createUpdateStream(
    trafficFor(scenario, cell.ratePerSecond, scenario.durationMs, scenario.maxUpdates ?? undefined),
    seed,
  );
  const probe = new TrialProbe(api, token, bot, new ReplyMatcher());
  const lateness = createLatencyHistogram();
  let lateOver1Ms = 0;
  let generated = 0;
  const startedAt = new Date().toISOString();
  const cpuStartMs = harnessCpuMs();
  const botStart = bot.pid === undefined ? undefined : readProcessStats(bot.pid);
  const startMs = performance.now() + 5;
  const timeline = new Timeline(startMs);
  probe.attach(timeline);
  const watch = new TrialWatch(api, token, startMs, () => probe.matcher.answeredCount);
  front.startMeasuring();
  let second = 0;
  const sampler = setInterval(() => {
    probe.sample(timeline);
    second++;
    ctx.emit({
      type: "trial-progress",
      cell,
      trial,
      second,
      offered: generated,
      answered: probe.matcher.counts.matched,
      pending: probe.matcher.unansweredCount,
    });
  }, 1_000);
  let outcome: TrialOutcome = { kind: "completed" };
  // Stop feeding the bot on Ctrl-C or when it dies. (Not AbortSignal.any: it would leave a
  // listener on the run's signal for every trial.)
  const stopSchedule = new AbortController();
  const onStop = () => stopSchedule.abort();
  ctx.signal.addEventListener("abort", onStop, { once: true });
  probe.botGone.addEventListener("abort", onStop, { once: true });
  try {
    const items = mapIterable(stream, (spec: UpdateSpec) => ({ item: spec, offsetMs: spec.intendedAtMs }));
    const running = startSchedule(
      items,
      startMs,
      (spec, intendedAtMs, nowMs) => {
        generated++;
        const lateMs = nowMs - intendedAtMs;
        lateness.recordUs(Math.max(1, lateMs * 1000));
        if (lateMs > 1) lateOver1Ms++;
        timeline.add("offered", nowMs);
        probe.inject(spec, intendedAtMs, nowMs);
      },
      stopSchedule.signal,
    );
    // Every call the bot makes wakes the schedule too: sub-millisecond hand-over under load, no spinning.
    const poke = () => running.poke();
    const wakers = ["request", "delivered", "message"] as const;
    for (const event of wakers) api.events.on(event, poke);
    const schedule = await running.done.finally(() => {
      for (const event of wakers) api.events.off(event, poke);
    });
    const scheduleEndMs = performance.now();
    const backlogAtScheduleEnd = probe.matcher.unansweredCount;
    if (schedule.aborted) outcome = ctx.signal.aborted ? { kind: "cancelled" } : botExited(bot);
    else outcome = await drain(probe, scenario.drainTimeoutMs, ctx.signal);
    probe.sample(timeline);
    const endMs = performance.now();
    const botEnd = bot.pid === undefined ? undefined : readProcessStats(bot.pid);
    const behaviour = watch.finish();
    behaviour.webhookFront = await front.cost();
    if (outcome.kind === "bot-exited") outcome = { ...outcome, activity: behaviour.activity };
    const result = probe.result({
      trial,
      seed,
      startedAt,
      measuredMs: endMs - startMs,
      scheduleMs: scheduleEndMs - startMs,
      generated,
      lateness: lateness.summary(),
      lateOver1Ms,
      backlogAtScheduleEnd,
      ratePerSecond: cell.ratePerSecond,
      harnessCpuMs: harnessCpuMs() - cpuStartMs,
      botCpuMs:
        botStart && botEnd
          ? botEnd.cpuUserMs + botEnd.cpuSystemMs - botStart.cpuUserMs - botStart.cpuSystemMs
          : null,
      botPeakRssBytes: botEnd?.peakRssBytes ?? botStart?.peakRssBytes ?? null,
      timeline: timeline.toJSON(),
      outcome,
      computeLedger,
    });
    return { ...result, behaviour };
  } finally {
    watch.stop();
    ctx.signal.removeEventListener("abort", onStop);
    probe.botGone.removeEventListener("abort", onStop);
    clearInterval(sampler);
    probe.detach();
  }
}

/** Waits until every update is answered, the drain timeout passes, or the bot is gone. */
async function drain(probe: TrialProbe, timeoutMs: number, signal: AbortSignal): Promise<TrialOutcome> {
  const deadline = performance.now() + timeoutMs;
  while (probe.matcher.unansweredCount > 0) {
    if (signal.aborted) return { kind: "cancelled" };
    if (!probe.bot.running) return botExited(probe.bot);
    if (performance.now() >= deadline) break;
    await sleep(DRAIN_POLL_MS);
  }
  return { kind: "completed" };
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Iterable<U> {
  for (const item of items) yield map(item);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
