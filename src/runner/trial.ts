import { type FakeApi, startFakeApi } from "../fake-api/index.ts";
import { createUpdateStream, type UpdateSpec } from "../generator/index.ts";
import { clockTicksPerSecond, harnessCpuMs, readProcessStats } from "../metrics/process-sampler.ts";
import { startSecondTimer } from "../metrics/recorder/second-timer.ts";
import { TrialRecorder } from "../metrics/recorder/trial-recorder.ts";
import type { ReplyMatcher } from "../metrics/reply-matcher.ts";
import {
  cellDurationMs,
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
import type { NetworkFactory, TrialNetworkRoute } from "./trial-network.ts";
import { TrialWatch } from "./trial-watch.ts";
import { UpdateInjector } from "./update-injector.ts";
import { setUpWebhookFront, type WebhookFrontSetup } from "./webhook-front.ts";

/** Every bot id is different per trial so no state can leak between trials. */
const BOT_ID_BASE = 7_000_000;
const WARMUP_USER_ID = 99;
const DRAIN_POLL_MS = 20;
const RUNNER_CALL_LOG_CAPACITY = 256;
const RUNNER_MESSAGES_KEPT_PER_CHAT = 16;
/** The schedule starts this long after it is set up, so its first update is not late by construction. */
const SCHEDULE_LEAD_MS = 5;

export interface TrialContext {
  scenario: ResolvedScenario;
  cell: Cell;
  cellIndex: number;
  trial: number;
  signal: AbortSignal;
  emit: RunnerEventSink;
  /** The fake API's control token (RunOptions.controlToken); default: a new random one. */
  controlToken?: string | undefined;
  /** Opens the trial's network (src/runner/trial-network.ts; the runner's default is the relay). */
  network: NetworkFactory;
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
  // The network sits between the bot and the fake API: the bot's API root and the webhook
  // dispatcher's POSTs go through it. Closed last, after the bot and the fake API.
  const network = ctx.network(ctx.cell.network, `${ctx.scenario.seed}/${ctx.trial}`);
  try {
    return await runTrialAcross(ctx, network);
  } finally {
    await network.close();
  }
}

async function runTrialAcross(ctx: TrialContext, network: TrialNetworkRoute): Promise<TrialAttempt> {
  const { scenario, cell, trial } = ctx;
  const api = await startFakeApi({
    antiBusyLoop: scenario.antiBusyLoop,
    // The runner reads counters and events, not the call log; a short log and a few messages per
    // chat keep the harness's heap small, so its GC pauses stay short under load.
    callLogCapacity: RUNNER_CALL_LOG_CAPACITY,
    messagesKeptPerChat: RUNNER_MESSAGES_KEPT_PER_CHAT,
    webhookRoute: (url) => network.route(url, "bot"),
    ...(ctx.controlToken === undefined ? {} : { controlToken: ctx.controlToken }),
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
    const apiRoot = await network.route(api.apiRoot, "telegram");
    const spec = subjectLaunchSpec(scenario, cell, token, apiRoot, front.env);
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
    const result = await measure(ctx, api, token, bot, front, network);
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

/**
 * The measured part of a trial: the schedule, the rest of the window, the drain. The recorder
 * measures; this function only drives the schedule and hands the recorder what happens.
 */
async function measure(
  ctx: TrialContext,
  api: FakeApi,
  token: string,
  bot: BotProcess,
  front: WebhookFrontSetup,
  network: TrialNetworkRoute,
): Promise<TrialResult> {
  const { scenario, cell, trial } = ctx;
  const seed = `${scenario.seed}/${trial}`;
  const durationMs = cellDurationMs(scenario, cell.ratePerSecond);
  const stream = createUpdateStream(
    trafficFor(scenario, cell.ratePerSecond, durationMs, scenario.maxUpdates ?? undefined),
    seed,
  );
  const startedAt = new Date().toISOString();
  const startMs = performance.now() + SCHEDULE_LEAD_MS;
  const recorder = new TrialRecorder({
    botId: Number(token.slice(0, token.indexOf(":"))),
    startMs,
    durationMs,
    ratePerSecond: cell.ratePerSecond,
    readCounters: () => api.control.counters(token),
    readBotProcess: () => (bot.pid === undefined ? undefined : readProcessStats(bot.pid)),
    readHarnessCpuMs: harnessCpuMs,
    botCpuResolutionMs: 1_000 / clockTicksPerSecond(),
  });
  recorder.attach(api.events);
  // The checks' watcher (mode used, API activity, last answer) starts after the recorder attached.
  const watch = new TrialWatch(api, token, startMs, () => recorder.matcher.answeredCount);
  front.startMeasuring();
  const injector = new UpdateInjector(api, token);
  const seconds = startSecondTimer(startMs, (second) => {
    recorder.sampleGauges(second);
    ctx.emit({
      type: "trial-progress",
      cell,
      trial,
      second: second + 1,
      offered: recorder.generated,
      answered: recorder.matcher.counts.matched,
      pending: recorder.matcher.unansweredCount,
    });
  });
  // Stop feeding the bot on Ctrl-C or when it dies. (Not AbortSignal.any: it would leave a
  // listener on the run's signal for every trial.)
  const stopSchedule = new AbortController();
  const onStop = () => stopSchedule.abort();
  const botGone = new AbortController();
  void bot.exited.then(() => botGone.abort());
  ctx.signal.addEventListener("abort", onStop, { once: true });
  botGone.signal.addEventListener("abort", onStop, { once: true });
  try {
    const items = mapIterable(stream, (spec: UpdateSpec) => ({ item: spec, offsetMs: spec.intendedAtMs }));
    const running = startSchedule(
      items,
      startMs,
      (spec, intendedAtMs, nowMs) => {
        recorder.offered(intendedAtMs, nowMs);
        const injection = injector.inject(spec, intendedAtMs, nowMs);
        if (injection.kind === "injected") recorder.injected(injection.update);
        else if (injection.kind === "filtered") recorder.filtered();
        else recorder.notInjected();
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
    const countReached = scenario.maxUpdates !== null && schedule.emitted >= scenario.maxUpdates;
    // The window runs to the scenario's duration whatever the arrivals (quiet seconds are measured too).
    if (!schedule.aborted && !countReached) await sleepUntil(recorder.windowEndMs, stopSchedule.signal);
    const stopped = stopSchedule.signal.aborted;
    recorder.closeWindow(stopped ? "stopped-early" : countReached ? "update-count" : "duration");
    let outcome: TrialOutcome;
    if (stopped) outcome = ctx.signal.aborted ? { kind: "cancelled" } : botExited(bot);
    else outcome = await drain(recorder.matcher, bot, scenario.drainTimeoutMs, ctx.signal);
    const behaviour = watch.finish();
    behaviour.webhookFront = await front.cost();
    if (outcome.kind === "bot-exited") outcome = { ...outcome, activity: behaviour.activity };
    const networkRecord = { profile: cell.network, seed, emulator: network.emulator, stats: network.stats() };
    return { ...recorder.finish({ trial, seed, startedAt, network: networkRecord, outcome }), behaviour };
  } finally {
    watch.stop();
    ctx.signal.removeEventListener("abort", onStop);
    botGone.signal.removeEventListener("abort", onStop);
    seconds.stop();
    injector.close();
    recorder.detach();
  }
}

/** Waits until every update is answered, the drain timeout passes, or the bot is gone. */
async function drain(
  matcher: ReplyMatcher,
  bot: BotProcess,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<TrialOutcome> {
  const deadline = performance.now() + timeoutMs;
  while (matcher.unansweredCount > 0) {
    if (signal.aborted) return { kind: "cancelled" };
    if (!bot.running) return botExited(bot);
    if (performance.now() >= deadline) break;
    await sleep(DRAIN_POLL_MS);
  }
  return { kind: "completed" };
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Iterable<U> {
  for (const item of items) yield map(item);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sleeps until `atMs` (performance.now() ms), or until `signal` aborts. */
function sleepUntil(atMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    // Timers may fire up to a millisecond early on Node's ms clock: wait again until truly due.
    const wait = () => {
      const leftMs = atMs - performance.now();
      if (leftMs <= 0) done();
      else timer = setTimeout(wait, Math.ceil(leftMs));
    };
    let timer: NodeJS.Timeout | undefined;
    signal.addEventListener("abort", done, { once: true });
    wait();
  });
}
