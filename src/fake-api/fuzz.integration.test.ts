/**
 * Property-based fuzzing of the fake API through inject() (issue 9): at least 50,000 generated
 * requests per run (fuzz-requests.ts says what they are made of), each answer checked against
 * telegram-bot-api's shapes, then the server's health: no unhandled rejection, a bounded heap,
 * and the webhook dispatcher still delivering to a healthy bot. Seeded: the seed is printed, and
 * `FUZZ_SEED=<seed> node scripts/run-tests.mjs fuzz.test` replays a run; fast-check's failure
 * report names the seed and the shrunk counterexample.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import type { BotState } from "./bot-state.ts";
import { assertTelegramAnswer, type FuzzRequest, fuzzRequest } from "./fuzz-requests.ts";
import { FakeApi, parseBotPath } from "./index.ts";
import { closedPortUrl, Receiver, waitFor } from "./socket-test-helpers.ts";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const BASE_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PARTS = 5;
const RUNS_PER_PART = 2_000;
const REQUESTS_PER_RUN = { minLength: 5, maxLength: 8 };
/** A part that takes this long is a hang, not a slow machine (typically it takes seconds). */
const PART_TIME_LIMIT_MS = 100_000;

/** A run whose answers are not all in after this long has a request that hangs. */
const RUN_HANG_MS = 15_000;

/** Placeholders in generated requests, replaced by each run's fresh tokens. */
const PLACEHOLDERS = ["900000001:T0", "900000002:T1", "900000003:T2"];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on("unhandledRejection", onUnhandled);
after(() => process.off("unhandledRejection", onUnhandled));

const api = new FakeApi({
  antiBusyLoop: false,
  webhookRetryTimeScale: 0.001,
  webhookDeliveryTimeoutMs: 500,
  webhookProbeTimeoutMs: 1_000,
});
after(() => api.close());

let sentRequests = 0;
let runSeq = 0;

/** Sends one request through inject() and checks its answer. */
async function sendAndCheck(request: FuzzRequest): Promise<void> {
  const response = await api.app.inject({
    method: request.verb as "GET",
    url: request.url,
    headers: request.headers,
    ...(request.body === undefined ? {} : { payload: request.body }),
  });
  sentRequests++;
  assertTelegramAnswer(
    request,
    response.statusCode,
    response.headers["content-type"] as string | undefined,
    response.body,
  );
}

/** The bot of a token, or undefined for a malformed one. */
function botOf(token: string): BotState | undefined {
  try {
    return api.telegram.bot(token);
  } catch {
    return undefined;
  }
}

/**
 * One run: its own bots, its requests at once (so they meet in the same state), long polls and
 * delayed 409s released as soon as they park (time is not what is fuzzed here), webhooks removed.
 */
async function runOnce(requests: FuzzRequest[]): Promise<void> {
  const tokens = PLACEHOLDERS.map((_, i) => `${1_000_000 + runSeq * 3 + i}:fuzz`);
  runSeq++;
  const personalise = (request: FuzzRequest): FuzzRequest => {
    let url = request.url;
    PLACEHOLDERS.forEach((placeholder, i) => {
      url = url.replaceAll(placeholder, tokens[i]!);
    });
    return { ...request, url };
  };
  const pending = new Set<FuzzRequest>();
  // Every bot the run touches, mangled tokens included: their long polls are released below.
  const touched = new Set<string>();
  const all = Promise.all(
    requests.map((request) => {
      const personal = personalise(request);
      const route = parseBotPath(personal.url);
      if (route !== undefined) touched.add(route.token);
      pending.add(personal);
      return sendAndCheck(personal).finally(() => pending.delete(personal));
    }),
  );
  // Every answer is due at once (polls released below); one that never comes is a hang to report.
  const deadlineMs = performance.now() + RUN_HANG_MS;
  while (pending.size > 0) {
    await Promise.race([all.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1))]);
    for (const token of touched) botOf(token)?.poller.close();
    if (performance.now() > deadlineMs) {
      const stuck = [...pending].map(
        (r) => `${r.verb} ${r.url.slice(0, 120)} ${JSON.stringify(r.headers)} ${r.body?.length ?? 0} bytes`,
      );
      throw new Error(`no answer within ${RUN_HANG_MS} ms to:\n${stuck.join("\n")}`);
    }
  }
  await all;
  for (const token of touched) {
    const bot = botOf(token);
    if (bot !== undefined && (bot.webhook !== null || bot.settingWebhook)) {
      await waitFor(() => !bot.settingWebhook, "setWebhook's probe");
      await api.app.inject({ method: "POST", url: `/bot${encodeURIComponent(token)}/deleteWebhook` });
    }
  }
}

describe("fuzz: generated requests through inject()", () => {
  let receiver: Receiver;
  const cleanups: Array<() => Promise<void>> = [];
  after(() => Promise.all(cleanups.map((cleanUp) => cleanUp())));
  before(async () => {
    receiver = await Receiver.start({ after: (fn) => cleanups.push(fn) }, (_u, res) => res.end());
  });

  for (let part = 0; part < PARTS; part++) {
    const seed = (BASE_SEED + part) % 2 ** 31;
    test(`part ${part + 1}/${PARTS}: ${RUNS_PER_PART} runs of ${REQUESTS_PER_RUN.minLength}-${REQUESTS_PER_RUN.maxLength} requests get Telegram's answers (seed ${seed})`, async (t) => {
      t.diagnostic(`fast-check seed ${seed}; replay the whole suite with FUZZ_SEED=${BASE_SEED}`);
      const setting = { tokens: PLACEHOLDERS, webhookUrls: [receiver.url(), await closedPortUrl()] };
      await fc.assert(fc.asyncProperty(fc.array(fuzzRequest(setting), REQUESTS_PER_RUN), runOnce), {
        seed,
        numRuns: RUNS_PER_PART,
        interruptAfterTimeLimit: PART_TIME_LIMIT_MS,
        markInterruptAsFailure: true,
        includeErrorInReport: true,
      });
    });
  }

  test("afterwards: at least 50,000 requests were sent, nothing was left unhandled, and the heap is bounded", (t) => {
    t.diagnostic(`${sentRequests} requests sent`);
    assert.ok(sentRequests >= 50_000, `only ${sentRequests} requests`);
    assert.deepEqual(unhandled, []);
    for (let i = 0; i < 3; i++) collectGarbage();
    const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
    assert.ok(heapMiB < 512, `heap after GC: ${heapMiB.toFixed(0)} MiB`);
  });

  test("afterwards: the webhook dispatcher still delivers to a healthy bot", async (t) => {
    const healthy = await Receiver.start(t, (_u, res) => res.writeHead(200).end());
    const token = "999999:healthy";
    const set = await api.app.inject({
      method: "POST",
      url: `/bot${token}/setWebhook?url=${encodeURIComponent(healthy.url())}`,
    });
    assert.equal(set.statusCode, 200, set.body);
    for (let i = 0; i < 5; i++) api.control.injectText(token, { text: `after ${i}`, from: { id: 10 + i } });
    await waitFor(() => api.control.counters(token).updatesDeliveredByWebhook === 5, "five deliveries");
    assert.equal(healthy.deliveries.length, 5);
  });
});
