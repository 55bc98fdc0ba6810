// Test support shared by the echo-bot tests (bots.integration.test.ts for the Node bots,
// python-bots.integration.test.ts for the Python ones): a scenario of a fresh fake API and one bot, and the checks that drive the bot
// and judge it from the fake API's control side. Every helper works on one bot token.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { request } from "undici";
import {
  type Actor,
  type CallRecord,
  type FakeApi,
  type FakeApiOptions,
  startFakeApi,
  type Update,
} from "../../src/fake-api/index.ts";
import type { BotMode } from "../../src/subjects/registry.ts";
import { BotProcess, waitFor } from "./bot-process.ts";

/** The WEBHOOK_SECRET the webhook tests give the bots. */
export const SECRET = "tgbench_Secret-42";
const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** Three chats with distinct users: two private chats and a group. */
export const CHATS: readonly Required<Actor>[] = [
  { from: { id: 1001 }, chat: { id: 1001 } },
  { from: { id: 1002 }, chat: { id: 1002 } },
  { from: { id: 1003 }, chat: { id: -4_000_123, type: "group", title: "Echo group" } },
];

/** One scenario: a fresh fake API and one bot. */
export interface Scenario {
  api: FakeApi;
  bot: BotProcess;
}

/** How to start a scenario's bot. */
export interface ScenarioLaunch {
  script: string;
  mode: BotMode;
  /** Added to the environment contract's BOT_TOKEN, TELEGRAM_API_ROOT and BOT_MODE. */
  env?: Record<string, string>;
  /** The bot's interpreter; `node` by default. */
  interpreter?: string;
  apiOptions?: FakeApiOptions;
}

/** A webhook POST from someone other than Telegram; resolves with the HTTP status. */
async function forgedPost(url: string, headers: Record<string, string>): Promise<number> {
  const update = {
    update_id: 1,
    message: { message_id: 1, date: 0, chat: { id: 1001, type: "private" }, text: "forged" },
  };
  const response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(update),
    reset: true,
  });
  await response.body.dump();
  return response.statusCode;
}

/** POSTs without the secret token and with a wrong one: the bot must refuse both (401 or 403). */
export async function expectForgeriesRejected(url: string): Promise<void> {
  const forgeries: Record<string, string>[] = [{}, { [SECRET_HEADER]: "not-the-secret" }];
  for (const headers of forgeries) {
    const status = await forgedPost(url, headers);
    assert.ok(status === 401 || status === 403, `a POST with ${JSON.stringify(headers)} got ${status}`);
  }
}

/** Stops the bot with SIGTERM and checks it exited 0. */
export async function expectCleanExit(bot: BotProcess): Promise<void> {
  const exit = await bot.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, `the bot did not exit 0 on SIGTERM\n${bot.output}`);
}

/** The helpers that talk to the fake API as the bot with this token. */
export function echoTestSupport(token: string) {
  /** The calls of `method` (lower case) the fake API has answered, in the order it answered them. */
  const callsTo = (api: FakeApi, method: string): CallRecord[] =>
    api.control.calls(token).filter((call) => call.method === method);

  /** getUpdates received so far, answered or still parked. */
  const pollsReceived = (api: FakeApi): number =>
    api.control.counters(token).requestsByMethod.getupdates ?? 0;

  return {
    callsTo,

    /** Starts the fake API first (grammY's start-up retry sleeps ~100 s), then the bot; both are cleaned up after the test. */
    async launchScenario(t: TestContext, launch: ScenarioLaunch): Promise<Scenario> {
      const api = await startFakeApi({ webhookRetryTimeScale: 0.001, ...launch.apiOptions });
      const bot = new BotProcess(
        launch.script,
        { BOT_TOKEN: token, TELEGRAM_API_ROOT: api.apiRoot, BOT_MODE: launch.mode, ...launch.env },
        launch.interpreter,
      );
      t.after(async () => {
        await bot.stop();
        await api.close();
      });
      return { api, bot };
    },

    /**
     * Polling readiness: the bot's first getUpdates has arrived. Read from the counters, not
     * `calls()`: the call log records a call when it is answered, and a parked long poll is not.
     */
    async waitUntilPolling({ api, bot }: Scenario): Promise<void> {
      await waitFor("the first getUpdates", () => pollsReceived(api) > 0, { bot });
    },

    /** Webhook readiness: the bot's setWebhook succeeded (the fake API connected to it first). */
    async waitUntilWebhookSet({ api, bot }: Scenario): Promise<string> {
      return waitFor("setWebhook", () => api.control.webhookInfo(token).url || undefined, { bot });
    },

    /** Injects `count` text updates round-robin over the chats; the texts are unique. */
    injectRoundRobin(api: FakeApi, count: number, chats: readonly Required<Actor>[] = CHATS): Update[] {
      return Array.from({ length: count }, (_, i) => {
        const actor = chats[i % chats.length]!;
        const update = api.control.injectText(token, { ...actor, text: `echo #${i} to ${actor.chat.id} ✓` });
        assert.ok(update !== null, "the fake API filtered a text message");
        return update;
      });
    },

    /** Waits until there is one sendMessage per update and returns them; `describe` explains a failure. */
    waitForEchoes(
      { api, bot }: Scenario,
      updates: readonly Update[],
      describe: () => string,
    ): Promise<CallRecord[]> {
      return waitFor(
        `${updates.length} echoes`,
        () => {
          const calls = callsTo(api, "sendmessage");
          return calls.length >= updates.length && calls;
        },
        { bot, describe },
      );
    },

    /** Waits for a counter to reach `expected`, then checks it did not overshoot. */
    async expectCounter(
      { api, bot }: Scenario,
      name: "updatesDeliveredByPolling" | "updatesDeliveredByWebhook" | "webhookReplies",
      expected: number,
    ): Promise<void> {
      await waitFor(`${name} = ${expected}`, () => api.control.counters(token)[name] >= expected, {
        bot,
        describe: () => `It is ${api.control.counters(token)[name]}.`,
      });
      assert.equal(api.control.counters(token)[name], expected, name);
    },

    /**
     * After its last batch a polling bot asks for `expectedOffset` (last update_id + 1), which confirms
     * the batch. That poll parks, and the call log only shows answered calls, so: wait until it is in
     * flight, stop the bot (which cancels it; some frameworks then confirm once more), and read the
     * log. The last getUpdates sent before SIGTERM must carry the offset, and none may go beyond it.
     * Returns the getUpdates calls sent before SIGTERM.
     */
    async stopAndExpectOffsetConfirmed(
      { api, bot }: Scenario,
      expectedOffset: number,
    ): Promise<CallRecord[]> {
      const polls = () => callsTo(api, "getupdates").sort((a, b) => a.receivedAtMs - b.receivedAtMs);
      await waitFor("a getUpdates in flight after the echoes", () => pollsReceived(api) > polls().length, {
        bot,
      });
      const stopAtMs = performance.now();
      await expectCleanExit(bot);
      const offsets = () =>
        polls().map((c) => `${c.params.offset ?? "(none)"}${c.receivedAtMs < stopAtMs ? "" : " (on stop)"}`);
      await waitFor(
        `the last getUpdates before SIGTERM to have offset ${expectedOffset}`,
        () => polls().findLast((c) => c.receivedAtMs < stopAtMs)?.params.offset === String(expectedOffset),
        { describe: () => `getUpdates offsets: ${offsets().join(", ")}` },
      );
      for (const poll of polls()) {
        assert.ok(
          Number(poll.params.offset ?? 0) <= expectedOffset,
          `getUpdates offsets: ${offsets().join(", ")}`,
        );
      }
      return polls().filter((c) => c.receivedAtMs < stopAtMs);
    },
  };
}
