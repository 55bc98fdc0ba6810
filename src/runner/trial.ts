import { type FakeApi, startFakeApi } from "../fake-api/index.ts";
import { createUpdateStream, type UpdateSpec } from "../generator/index.ts";
import { clockTicksPerSecond, harnessCpuMs, readProcessStats } from "../metrics/process-sampler.ts";
import { startSecondTimer } from "../metrics/recorder/second-timer.ts";
import { TrialRecorder } from "../metrics/recorder/trial-recorder.ts";
import type { ReplyMatcher } from "../metrics/reply-matcher.ts";
import type { FailureReason, TrialOutcome, TrialResult } from "../results/index.ts";
import { type BotProcess, launchBot, SubjectError } from "../subjects/bot-process.ts";
import { botExited, exitText, startFailure, warmUpFailure } from "./bot-outcomes.ts";
import type { RunnerEventSink } from "./events.ts";
import { type Cell, type ResolvedScenario, trafficFor } from "./scenario.ts";
import { startSchedule } from "./scheduler.ts";
import { subjectLaunchSpec } from "./subject-launch.ts";
import type { NetworkFactory, TrialNetworkRoute } from "./trial-network.ts";
import { UpdateInjector } from "./update-injector.ts";

/** Every bot id is different per trial so no state can leak between trials. */
const BOT_ID_BASE = 7_000_000;
const WARMUP_USER_ID = 99;
const DRAIN_POLL_MS = 20;
const RUNNER_CALL_LOG_CAPACITY = 256;
/** How long a bot may take to exit after SIGTERM before it is killed. */
const BOT_STOP_GRACE_MS = 2_000;
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
  /** Opens the trial's network (src/runner/trial-network.ts; the runner's default is the relay). */
  network: NetworkFactory;
}

/**
 * What became of one attempt at a trial: measured (whatever its outcome), stopped before measuring
 * by a failure (the bot did not start, the warm-up failed), or cancelled before measuring.
 */
export type TrialAttempt =
  | { kind: "measured"; result: TrialResult }
  | { kind: "not-measured"; reason: FailureReason }
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
  });
  const token = `${BOT_ID_BASE + ctx.cellIndex * 1000 + trial}:tgbench-trial-${trial}`;
  let bot: BotProcess | undefined;
  try {
    const spec = subjectLaunchSpec(scenario, cell, token, await network.route(api.apiRoot, "telegram"));
    ctx.emit({ type: "bot-starting", cell, trial });
    try {
      bot = await launchBot(spec, api, ctx.signal);
    } catch (error: unknown) {
      if (ctx.signal.aborted) return { kind: "cancelled" };
      if (error instanceof SubjectError) return { kind: "not-measured", reason: startFailure(trial, error) };
      throw error;
    }
    const warmUpEnd = await warmUp(api, token, bot, ctx);
    if (warmUpEnd !== null) return warmUpEnd;
    return { kind: "measured", result: await measure(ctx, api, token, bot, network) };
  } finally {
    // Stop the bot and close the fake API together: a polling bot's last getUpdates (many
    // frameworks confirm the offset on the way out) would otherwise be held 3 s by Telegram's
    // anti-busy-loop rule, and nothing after the measurement is measured.
    await Promise.all([bot?.stop(BOT_STOP_GRACE_MS), api.close()]);
  }
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
  // Done when every warm-up update is answered and, for webhooks, acknowledged (the 2xx may come
  // after the reply), so no warm-up hand-over lands in the measured counters. A polling bot's
  // confirming offset needs no wait: confirmed updates are never handed over or counted again.
  const webhook = api.control.webhookInfo(token).url !== "";
  const settled = () =>
    api.control.counters(token).messagesSent >= count &&
    (!webhook || api.control.webhookInfo(token).pending_update_count === 0);
  const deadline = performance.now() + scenario.startupTimeoutMs;
  while (!settled()) {
    if (!bot.running) {
      const message = `${bot.label} exited during warm-up (${exitText(bot.exit)})`;
      return { kind: "not-measured", reason: warmUpFailure(trial, bot, message) };
    }
    if (signal.aborted) return { kind: "cancelled" };
    if (performance.now() > deadline) {
      const message = `${bot.label} answered ${api.control.counters(token).messagesSent}/${count} warm-up updates in ${scenario.startupTimeoutMs} ms`;
      return { kind: "not-measured", reason: warmUpFailure(trial, bot, message) };
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
  network: TrialNetworkRoute,
): Promise<TrialResult> {
  const { scenario, cell, trial } = ctx;
  const seed = `${scenario.seed}/${trial}`;
  const stream = createUpdateStream(
    trafficFor(scenario, cell.ratePerSecond, scenario.durationMs, scenario.maxUpdates ?? undefined),
    seed,
  );
  const startedAt = new Date().toISOString();
  const startMs = performance.now() + SCHEDULE_LEAD_MS;
  const recorder = new TrialRecorder({
    botId: Number(token.slice(0, token.indexOf(":"))),
    startMs,
    durationMs: scenario.durationMs,
    ratePerSecond: cell.ratePerSecond,
    readCounters: () => api.control.counters(token),
    readBotProcess: () => (bot.pid === undefined ? undefined : readProcessStats(bot.pid)),
    readHarnessCpuMs: harnessCpuMs,
    botCpuResolutionMs: 1_000 / clockTicksPerSecond(),
  });
  recorder.attach(api.events);
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
    const networkRecord = { profile: cell.network, seed, emulator: network.emulator, stats: network.stats() };
    return recorder.finish({ trial, seed, startedAt, network: networkRecord, outcome });
  } finally {
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
