/**
 * One floor step of `npm run bench:harness-cost`, in a process of its own (run.ts starts it, the
 * same way as a harness step): the least any harness must do per update at the same offered rate.
 * This process plays Telegram with nothing but
 * - a timer that sleeps until the next update is due and then sends every update that is due,
 * - one webhook POST per update (a Telegram-shaped JSON update, the secret header) with a bare
 *   undici Pool of `max_connections` keep-alive connections, like the fake API's dispatcher,
 * - a bare fastify route (default JSON parser and serialiser) taking the bot's one JSON request
 *   per update (sendMessage) and answering a message of Telegram's shape;
 * no queue, no per-chat ordering, no reply matching, no histograms. `--hand-over precise` also
 * sends what is due whenever the bot's request or a webhook answer arrives, as the runner's pokes do
 * (src/runner/scheduler.ts): not the floor, but the same pacing precision as the harness,
 * to tell how much of the ratio that precision costs. The bot is the same reference
 * bot as in the harness step, launched from the same scenario (same command, same environment),
 * in a child process; its CPU is not counted on either side. Prints a {@link StepResult} as its
 * last stdout line; CPU is process.cpuUsage() of this process over the measured window (schedule +
 * drain), per generated update, exactly as the runner counts the harness's.
 *
 *   node --import tsx bench/harness-cost/floor-step.ts --rate 1000 [--duration-ms 5000 …] [--hand-over precise]
 */
import Fastify from "fastify";
import { Pool } from "undici";
import { readProcessStats } from "../../src/metrics/process-sampler.ts";
import { cellsOf } from "../../src/runner/scenario.ts";
import { subjectLaunchSpec } from "../../src/runner/subject-launch.ts";
import { BotProcess } from "../../src/subjects/bot-process.ts";
import {
  argumentsOrExit,
  hrtimeUs,
  keptUp,
  mainThreadShare,
  parseStepArgs,
  printStepResult,
  type StepResult,
  stepScenario,
  threadCpuMs,
} from "./step.ts";

const TOKEN = "7999001:tgbench-floor";
const BOT_ID = 7_999_001;
const FIRST_USER_ID = 100_000_001;
const FIRST_UPDATE_ID = 500_000_000;
/** Like the runner: the schedule starts this long after it is set up. */
const START_DELAY_MS = 5;
/** As the runner gives its warm-up: at most 2 s of sending. */
const WARMUP_SEND_MAX_MS = 2_000;
const BOT_STOP_GRACE_MS = 2_000;

const settings = argumentsOrExit(() => parseStepArgs(process.argv.slice(2)));
const handOver = argumentsOrExit(() => handOverArg(process.argv.slice(2)));
/** Sends whatever is due now; only `--hand-over precise` calls it from the route and the POSTs. */
let poke: () => void = () => {};
const floorSide = handOver === "precise" ? "precise-floor" : "floor";
const scenario = stepScenario(settings);
const users = scenario.users;

// --- Telegram's side: a bare fastify route -------------------------------------------------------
let answered = 0;
let waitingFor: { count: number; resolve: () => void } | undefined;
let webhook: { url: URL; secret: string | undefined; maxConnections: number } | undefined;
let webhookSet: () => void = () => {};
const webhookReady = new Promise<void>((resolve) => {
  webhookSet = resolve;
});
const botUser = { id: BOT_ID, is_bot: true, first_name: "tgbench floor", username: "tgbench_floor_bot" };

const app = Fastify({ logger: false });
app.post("/*", async (req) => {
  const method = req.url.slice(req.url.lastIndexOf("/") + 1);
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (method === "sendMessage") {
    poke();
    answered++;
    if (waitingFor !== undefined && answered >= waitingFor.count) {
      const { resolve } = waitingFor;
      waitingFor = undefined;
      resolve();
    }
    const chatId = Number(body.chat_id);
    return {
      ok: true,
      result: {
        message_id: answered,
        from: botUser,
        chat: { id: chatId, type: "private" },
        date: Math.floor(Date.now() / 1000),
        text: body.text,
      },
    };
  }
  if (method === "setWebhook") {
    webhook = {
      url: new URL(String(body.url)),
      secret: body.secret_token === undefined ? undefined : String(body.secret_token),
      maxConnections: Number(body.max_connections ?? 40),
    };
    webhookSet();
    return { ok: true, result: true, description: "Webhook was set" };
  }
  return { ok: true, result: true };
});
await app.listen({ host: "127.0.0.1", port: 0 });
const port = (app.server.address() as { port: number }).port;

const untilAnswered = (count: number, timeoutMs: number): Promise<boolean> => {
  if (answered >= count) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waitingFor = undefined;
      resolve(false);
    }, timeoutMs);
    waitingFor = {
      count,
      resolve: () => {
        clearTimeout(timer);
        resolve(true);
      },
    };
  });
};

// --- the bot ----------------------------------------------------------------------------------------
const [cell] = cellsOf(scenario);
const bot = new BotProcess(subjectLaunchSpec(scenario, cell!, TOKEN, `http://127.0.0.1:${port}`));
let stopped: Promise<void> | undefined;
const stopAll = (): Promise<void> => {
  stopped ??= Promise.all([bot.stop(BOT_STOP_GRACE_MS), app.close()]).then(() => {});
  return stopped;
};
// Ctrl-C reaches this process twice (from the terminal and from run.ts): stop once, exit after.
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));
process.on("SIGTERM", () => void stopAll().then(() => process.exit(143)));

let result: StepResult;
try {
  const started = await Promise.race([
    webhookReady.then(() => true),
    bot.exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), scenario.startupTimeoutMs).unref()),
  ]);
  if (!started || webhook === undefined) throw new Error(`the bot did not set its webhook: ${bot.output}`);
  result = await measure(webhook);
} catch (error: unknown) {
  result = failed(error instanceof Error ? error.message : String(error));
} finally {
  await stopAll();
}
printStepResult(result);

// --- the floor's work per update ------------------------------------------------------------------
async function measure(hook: NonNullable<typeof webhook>): Promise<StepResult> {
  const pool = new Pool(hook.url.origin, { connections: hook.maxConnections, pipelining: 1 });
  const path = hook.url.pathname + hook.url.search;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (hook.secret !== undefined) headers["x-telegram-bot-api-secret-token"] = hook.secret;
  let failedPosts = 0;
  let seq = 0;
  const post = () => {
    const n = seq++;
    const userId = FIRST_USER_ID + (n % users);
    const user = { id: userId, is_bot: false, first_name: `User ${userId}`, username: `user${userId}` };
    const update = {
      update_id: FIRST_UPDATE_ID + n,
      message: {
        message_id: n + 1,
        from: user,
        chat: { id: userId, type: "private", first_name: user.first_name, username: user.username },
        date: Math.floor(Date.now() / 1000),
        text: `#${n} hello there, how are you`,
      },
    };
    pool.request({ path, method: "POST", headers, body: JSON.stringify(update) }).then(
      (response) => {
        poke();
        if (response.statusCode !== 200) failedPosts++;
        return response.body.dump();
      },
      () => {
        failedPosts++;
      },
    );
  };
  try {
    // Warm-up: the same count and spacing as the runner's, answered before anything is measured.
    const warmup = settings.warmupUpdates;
    if (warmup > 0) {
      const spacingMs = Math.min(1000 / settings.ratePerSecond, WARMUP_SEND_MAX_MS / warmup);
      await pace(warmup, spacingMs, performance.now(), () => post());
      if (!(await untilAnswered(warmup, scenario.startupTimeoutMs))) {
        throw new Error(`the bot answered ${answered}/${warmup} warm-up updates`);
      }
    }
    const answeredBefore = answered;
    const count = Math.ceil((settings.ratePerSecond * settings.durationMs) / 1000);
    const lateness = new Float64Array(count);
    const botStart = bot.pid === undefined ? undefined : readProcessStats(bot.pid);
    const threadsStart = threadCpuMs();
    const cpuStart = process.cpuUsage();
    const startUs = hrtimeUs();
    const startMs = performance.now() + START_DELAY_MS;
    await pace(count, 1000 / settings.ratePerSecond, startMs, (i, intendedMs, nowMs) => {
      lateness[i] = (nowMs - intendedMs) * 1000;
      post();
    });
    const backlog = count - (answered - answeredBefore);
    const allAnswered = await untilAnswered(answeredBefore + count, settings.drainTimeoutMs);
    const cpu = process.cpuUsage(cpuStart);
    const threadShare = mainThreadShare(threadsStart, threadCpuMs());
    const endMs = performance.now();
    const botEnd = bot.pid === undefined ? undefined : readProcessStats(bot.pid);
    const got = answered - answeredBefore;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const botCpuMs =
      botStart && botEnd
        ? botEnd.cpuUserMs + botEnd.cpuSystemMs - botStart.cpuUserMs - botStart.cpuSystemMs
        : null;
    const sorted = lateness.sort();
    return {
      side: floorSide,
      ratePerSecond: settings.ratePerSecond,
      generated: count,
      answered: got,
      answeredPerSecond: got / ((endMs - startMs) / 1000),
      backlogAtScheduleEnd: backlog,
      sustained: keptUp(settings.ratePerSecond, backlog, allAnswered && failedPosts === 0),
      measuredMs: endMs - startMs,
      cpuMs,
      cpuUsPerUpdate: (cpuMs * 1000) / count,
      mainThreadShare: threadShare,
      latenessP99Us: sorted[Math.min(count - 1, Math.floor(count * 0.99))] ?? 0,
      lateOver1Ms: sorted.filter((us) => us > 1000).length,
      botCpuUsPerUpdate: botCpuMs === null || got === 0 ? null : (botCpuMs * 1000) / got,
      endToEndP50Us: null,
      endToEndP99Us: null,
      window: { startUs, endUs: hrtimeUs() },
      ...(failedPosts > 0 ? { failure: `${failedPosts} webhook POSTs failed` } : {}),
    };
  } finally {
    await pool.close();
  }
}

/**
 * Open-loop pacing: calls `onDue` for items 0 … count−1 at `startMs + i · spacingMs` or as soon
 * after as the event loop allows, sleeping on a timer until the next one is due.
 */
function pace(
  count: number,
  spacingMs: number,
  startMs: number,
  onDue: (i: number, intendedMs: number, nowMs: number) => void,
): Promise<void> {
  return new Promise((resolve) => {
    let i = 0;
    const tick = () => {
      let nowMs = performance.now();
      while (i < count && startMs + i * spacingMs <= nowMs) {
        onDue(i, startMs + i * spacingMs, nowMs);
        i++;
        nowMs = performance.now();
      }
      if (i >= count) {
        clearTimeout(timer);
        resolve();
      } else if (timer === undefined) {
        timer = setTimeout(
          () => {
            timer = undefined;
            tick();
          },
          Math.max(0, startMs + i * spacingMs - nowMs),
        );
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const precise = () => {
      if (i < count && startMs + i * spacingMs <= performance.now()) tick();
    };
    if (handOver === "precise") poke = precise;
    tick();
  });
}

function handOverArg(argv: readonly string[]): "timer" | "precise" {
  const at = argv.indexOf("--hand-over");
  if (at === -1) return "timer";
  const value = argv[at + 1];
  if (value !== "timer" && value !== "precise") throw new Error("--hand-over must be timer or precise");
  return value;
}

function failed(why: string): StepResult {
  return {
    side: floorSide,
    ratePerSecond: settings.ratePerSecond,
    generated: 0,
    answered: 0,
    answeredPerSecond: 0,
    backlogAtScheduleEnd: 0,
    sustained: false,
    measuredMs: 0,
    cpuMs: 0,
    cpuUsPerUpdate: null,
    mainThreadShare: null,
    latenessP99Us: 0,
    lateOver1Ms: 0,
    botCpuUsPerUpdate: null,
    endToEndP50Us: null,
    endToEndP99Us: null,
    window: null,
    failure: why,
  };
}
