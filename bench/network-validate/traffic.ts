/**
 * Bot ↔ API traffic for comparing two network emulators, without the runner: a minimal "Telegram"
 * (getUpdates with long polling, sendMessage, and a webhook dispatcher) and a minimal bot (a long
 * poll loop that answers each update with sendMessage, or a webhook server that does the same
 * before it answers the POST). Updates arrive as a seeded Poisson process; latency runs from an
 * update's intended time to its sendMessage reaching "Telegram", as tgbench times it.
 */
import { Agent, createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRng } from "../../src/generator/rng.ts";
import { postJson, readJson } from "./http-json.ts";

export type TrafficMode = "long-polling" | "webhook";

export interface TrafficOptions {
  mode: TrafficMode;
  /** Measured updates. */
  updates: number;
  /** Sent at once before measuring, to open the connections (not measured). */
  warmupUpdates: number;
  ratePerSecond: number;
  seed: string;
  /** Long polling: the bot's getUpdates timeout; Telegram's limit per answer is 100. */
  pollTimeoutSeconds: number;
  /** Webhook: connections the dispatcher may use at once (Telegram's max_connections). */
  webhookMaxConnections: number;
  /** After the last intended time, wait at most this long for the last replies. */
  drainTimeoutMs: number;
}

/** Where the emulator under test puts itself: URLs in, URLs to use out. */
export interface TrafficNetwork {
  /** The API root the bot uses, given the real one. */
  apiRoot(realRoot: string): Promise<string>;
  /** The URL the dispatcher POSTs to, given the bot's real webhook URL. */
  webhookUrl(realUrl: string): Promise<string>;
}

export interface TrafficResult {
  mode: TrafficMode;
  /** Measured updates whose reply arrived. */
  answered: number;
  /** Requests seen by "Telegram" and by the bot during the measured part. */
  getUpdates: number;
  sendMessage: number;
  webhookPosts: number;
  errors: number;
  /** Intended time → sendMessage arrival, ms, for every answered measured update. */
  latenciesMs: number[];
}

const LIMIT = 100;

interface PendingUpdate {
  id: number;
  intendedMs: number;
}

/** Runs one cell of traffic through `network`; every server and agent it opens is closed before it returns. */
export async function runTraffic(options: TrafficOptions, network: TrafficNetwork): Promise<TrafficResult> {
  const closers: Array<() => void | Promise<void>> = [];
  try {
    return await run(options, network, closers);
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

async function run(
  options: TrafficOptions,
  network: TrafficNetwork,
  closers: Array<() => void | Promise<void>>,
): Promise<TrafficResult> {
  const total = options.warmupUpdates + options.updates;
  const intended = new Map<number, number>();
  const repliedAt = new Map<number, number>();
  const counts = { getUpdates: 0, sendMessage: 0, webhookPosts: 0, errors: 0 };
  let measuring = false;
  let allReplied: () => void = () => {};
  const repliedAll = new Promise<void>((resolve) => {
    allReplied = resolve;
  });

  // ----- "Telegram" ------------------------------------------------------------------------
  let queue: PendingUpdate[] = [];
  let parked: { res: ServerResponse; timer: NodeJS.Timeout } | null = null;
  const answerPoll = (res: ServerResponse, batch: PendingUpdate[]) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true, result: batch.map((u) => ({ update_id: u.id })) }));
  };
  const api = createServer(async (req, res) => {
    const body = await readJson(req);
    if (req.url?.endsWith("/getUpdates")) {
      if (measuring) counts.getUpdates++;
      const offset = Number(body.offset ?? 0);
      queue = queue.filter((u) => u.id >= offset);
      if (queue.length > 0) return answerPoll(res, queue.slice(0, LIMIT));
      if (parked !== null) answerPoll(parked.res, []);
      const timer = setTimeout(
        () => {
          if (parked?.res === res) parked = null;
          answerPoll(res, []);
        },
        Number(body.timeout ?? 0) * 1000,
      );
      parked = { res, timer };
      return;
    }
    if (req.url?.endsWith("/sendMessage")) {
      const id = Number(body.update_id);
      if (measuring && id >= options.warmupUpdates) counts.sendMessage++;
      if (!repliedAt.has(id)) repliedAt.set(id, performance.now());
      if (repliedAt.size === total) allReplied();
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, result: { message_id: id } }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const apiRoot = `http://127.0.0.1:${await listen(api, closers)}`;

  // ----- the bot ---------------------------------------------------------------------------
  const botAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pollAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  closers.push(() => {
    botAgent.destroy();
    pollAgent.destroy();
  });
  const botApiRoot = await network.apiRoot(apiRoot);
  const sendMessage = async (updateId: number) => {
    try {
      await postJson(botAgent, `${botApiRoot}/bot1:x/sendMessage`, {
        chat_id: 1,
        text: "hi",
        update_id: updateId,
      });
    } catch {
      counts.errors++;
    }
  };
  let stopped = false;

  // ----- delivery: long polling or webhook ------------------------------------------------
  let deliver: (update: PendingUpdate) => void;
  if (options.mode === "long-polling") {
    deliver = (update) => {
      queue.push(update);
      if (parked !== null) {
        clearTimeout(parked.timer);
        const { res } = parked;
        parked = null;
        answerPoll(res, queue.slice(0, LIMIT));
      }
    };
    void pollLoop(pollAgent, botApiRoot, options.pollTimeoutSeconds, sendMessage, () => stopped, counts);
  } else {
    const hook = createServer(async (req, res) => {
      const body = await readJson(req);
      await sendMessage(Number(body.update_id));
      res.end();
    });
    const hookUrl = await network.webhookUrl(`http://127.0.0.1:${await listen(hook, closers)}/hook`);
    const dispatchAgent = new Agent({ keepAlive: true, maxSockets: options.webhookMaxConnections });
    closers.push(() => dispatchAgent.destroy());
    deliver = (update) => {
      if (measuring) counts.webhookPosts++;
      postJson(dispatchAgent, hookUrl, { update_id: update.id }).catch(() => {
        counts.errors++;
      });
    };
  }
  closers.push(() => {
    if (parked !== null) {
      clearTimeout(parked.timer);
      parked.res.destroy();
    }
  });
  // Runs first on the way out (closers run in reverse): the poll loop stops before its sockets go.
  closers.push(() => {
    stopped = true;
  });

  // ----- warm-up, then the measured schedule ---------------------------------------------
  const warmupDone = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (repliedAt.size >= options.warmupUpdates || stopped) {
        clearInterval(check);
        resolve();
      }
    }, 5);
    closers.push(() => clearInterval(check));
  });
  for (let id = 0; id < options.warmupUpdates; id++) {
    intended.set(id, performance.now());
    deliver({ id, intendedMs: performance.now() });
  }
  await warmupDone;
  measuring = true;
  const rng = createRng(options.seed).fork("arrivals");
  const startMs = performance.now() + 50;
  let atMs = startMs;
  for (let id = options.warmupUpdates; id < total; id++) {
    atMs += rng.exponential(options.ratePerSecond) * 1000;
    intended.set(id, atMs);
  }
  await sendOnSchedule(options.warmupUpdates, total, intended, deliver, closers);
  const drainTimer = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, options.drainTimeoutMs);
    closers.push(() => clearTimeout(timer));
  });
  await Promise.race([repliedAll, drainTimer]);
  measuring = false;

  const latenciesMs: number[] = [];
  for (let id = options.warmupUpdates; id < total; id++) {
    const replyMs = repliedAt.get(id);
    if (replyMs !== undefined) latenciesMs.push(replyMs - intended.get(id)!);
  }
  return { mode: options.mode, answered: latenciesMs.length, ...counts, latenciesMs };
}

/** Hands each update to `deliver` at its intended time (one timer at a time; late ones at once). */
function sendOnSchedule(
  fromId: number,
  toId: number,
  intended: Map<number, number>,
  deliver: (update: PendingUpdate) => void,
  closers: Array<() => void>,
): Promise<void> {
  return new Promise((resolve) => {
    let next = fromId;
    let timer: NodeJS.Timeout | undefined;
    closers.push(() => clearTimeout(timer));
    const tick = () => {
      while (next < toId && intended.get(next)! <= performance.now()) {
        deliver({ id: next, intendedMs: intended.get(next)! });
        next++;
      }
      if (next >= toId) return resolve();
      timer = setTimeout(tick, Math.max(0, intended.get(next)! - performance.now()));
    };
    tick();
  });
}

/** The bot's long-poll loop: getUpdates, answer each update in turn with sendMessage, confirm, repeat. */
async function pollLoop(
  agent: Agent,
  apiRoot: string,
  timeoutSeconds: number,
  sendMessage: (updateId: number) => Promise<void>,
  stopped: () => boolean,
  counts: { errors: number },
): Promise<void> {
  let offset = 0;
  while (!stopped()) {
    try {
      const answer = await postJson(agent, `${apiRoot}/bot1:x/getUpdates`, {
        offset,
        timeout: timeoutSeconds,
      });
      const updates = (answer.body as { result: Array<{ update_id: number }> }).result;
      for (const update of updates) {
        await sendMessage(update.update_id);
        offset = update.update_id + 1;
      }
    } catch {
      if (stopped()) return;
      counts.errors++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function listen(server: Server, closers: Array<() => void | Promise<void>>): Promise<number> {
  // Keep idle keep-alive connections open for the whole cell (Node closes them after 5 s).
  server.keepAliveTimeout = 600_000;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
