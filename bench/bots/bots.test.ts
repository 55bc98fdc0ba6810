// The echo bots as black boxes: each test starts a fresh fake API, spawns one bot with plain
// `node` and only the environment contract (docs/bot-contract.md), drives it over real sockets and
// reads what it did from the fake API's control side. The bots are never asked to cooperate.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { request } from "undici";
import {
  type Actor,
  type CallRecord,
  type FakeApi,
  type Message,
  startFakeApi,
  type Update,
} from "../../src/fake-api/index.ts";
import {
  type BotMode,
  BUILT_IN_SUBJECTS,
  type BuiltInSubject,
  scriptPath,
} from "../../src/subjects/registry.ts";
import { BotProcess, waitFor } from "./bot-process.ts";

const TOKEN = "123456789:tgbench-echo-test";
const SECRET = "tgbench_Secret-42";
const SECRET_HEADER = "x-telegram-bot-api-secret-token";
const TEST_TIMEOUT_MS = 40_000;

/** Three chats with distinct users: two private chats and a group. */
const CHATS: readonly Required<Actor>[] = [
  { from: { id: 1001 }, chat: { id: 1001 } },
  { from: { id: 1002 }, chat: { id: 1002 } },
  { from: { id: 1003 }, chat: { id: -4_000_123, type: "group", title: "Echo group" } },
];

/** One bot script in one mode, as the runner's registry lists it. */
interface EchoBot {
  subject: BuiltInSubject;
  mode: BotMode;
  /** Absolute path, or undefined when the registry names a script that does not exist yet. */
  path: string | undefined;
  title: string;
}

// The Node bots; the Python bots (another interpreter, a venv) have python-bots.test.ts.
const NODE_SUBJECTS: readonly BuiltInSubject[] = Object.values(BUILT_IN_SUBJECTS).filter(
  (subject: BuiltInSubject) => subject.runtime === "node",
);
const ECHO_BOTS: readonly EchoBot[] = NODE_SUBJECTS.flatMap((subject) =>
  (Object.keys(subject.scripts) as BotMode[]).map((mode) => {
    const path = scriptPath(subject, mode)!;
    const title = `${subject.name} in ${mode} mode (${basename(path)})`;
    return { subject, mode, path: existsSync(path) ? path : undefined, title };
  }),
);
const botsIn = (mode: BotMode): EchoBot[] => ECHO_BOTS.filter((bot) => bot.mode === mode);
/** Skips a bot whose script is registered but not written yet, saying so. */
const skipIfMissing = (bot: EchoBot) => (bot.path === undefined ? `${bot.title} does not exist yet` : false);

// ---------------------------------------------------------------------------------------------
// One scenario: a fresh fake API and one bot

interface Scenario {
  api: FakeApi;
  bot: BotProcess;
}

/** Starts the fake API first (grammY's start-up retry sleeps ~100 s), then the bot; both are cleaned up after the test. */
async function startScenario(t: TestContext, spec: EchoBot, extraEnv: Record<string, string> = {}) {
  const api = await startFakeApi({ webhookRetryTimeScale: 0.001 });
  const bot = new BotProcess(spec.path!, {
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    BOT_MODE: spec.mode,
    ...extraEnv,
  });
  t.after(async () => {
    await bot.stop();
    await api.close();
  });
  return { api, bot } satisfies Scenario;
}

/**
 * Polling readiness: the bot's first getUpdates has arrived. Read from the counters, not
 * `calls()`: the call log records a call when it is answered, and a parked long poll is not.
 */
async function waitUntilPolling({ api, bot }: Scenario): Promise<void> {
  await waitFor("the first getUpdates", () => pollsReceived(api) > 0, { bot });
}

const pollsReceived = (api: FakeApi): number => api.control.counters(TOKEN).requestsByMethod.getupdates ?? 0;

/** Webhook readiness: the bot's setWebhook succeeded (the fake API connected to it first). */
async function waitUntilWebhookSet({ api, bot }: Scenario): Promise<string> {
  return waitFor("setWebhook", () => api.control.webhookInfo(TOKEN).url || undefined, { bot });
}

/** Injects `count` text updates round-robin over the chats; the texts are unique. */
function injectRoundRobin(api: FakeApi, count: number, chats: readonly Required<Actor>[] = CHATS): Update[] {
  return Array.from({ length: count }, (_, i) => {
    const actor = chats[i % chats.length]!;
    const update = api.control.injectText(TOKEN, { ...actor, text: `echo #${i} to ${actor.chat.id} ✓` });
    assert.ok(update !== null, "the fake API filtered a text message");
    return update;
  });
}

const messageOf = (update: Update): Message => update.message!;
const sentMessages = (api: FakeApi): CallRecord[] =>
  api.control.calls(TOKEN).filter((call) => call.method === "sendmessage");

/** Waits until there is one sendMessage per update, then checks each echoes its update's chat and text. */
async function expectEchoes({ api, bot }: Scenario, updates: readonly Update[]): Promise<CallRecord[]> {
  const sent = await waitFor(
    `${updates.length} echoes`,
    () => {
      const calls = sentMessages(api);
      return calls.length >= updates.length && calls;
    },
    { bot, describe: () => `Not echoed yet: ${JSON.stringify(missingEchoes(api, updates))}.` },
  );
  const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text);
  const expected = updates.map((u) => ({
    chat_id: String(messageOf(u).chat.id),
    text: messageOf(u).text!,
    status: 200,
  }));
  const actual = sent.map((c) => ({
    chat_id: c.params.chat_id,
    text: c.params.text ?? "",
    status: c.status,
  }));
  assert.deepEqual(actual.sort(byText), expected.sort(byText), `echoes differ from updates\n${bot.output}`);
  return sent;
}

function missingEchoes(api: FakeApi, updates: readonly Update[]): string[] {
  const echoed = new Set(sentMessages(api).map((c) => c.params.text));
  return updates.map((u) => messageOf(u).text!).filter((text) => !echoed.has(text));
}

/** Waits for a counter to reach `expected`, then checks it did not overshoot. */
async function expectCounter(
  { api, bot }: Scenario,
  name: "updatesDeliveredByPolling" | "updatesDeliveredByWebhook" | "webhookReplies",
  expected: number,
): Promise<void> {
  await waitFor(`${name} = ${expected}`, () => api.control.counters(TOKEN)[name] >= expected, {
    bot,
    describe: () => `It is ${api.control.counters(TOKEN)[name]}.`,
  });
  assert.equal(api.control.counters(TOKEN)[name], expected, name);
}

async function expectCleanExit(bot: BotProcess): Promise<void> {
  const exit = await bot.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, `the bot did not exit 0 on SIGTERM\n${bot.output}`);
}

/**
 * After its last batch a polling bot asks for `expectedOffset` (last update_id + 1), which confirms
 * the batch. That poll parks, and the call log only shows answered calls, so: wait until it is in
 * flight, stop the bot (which cancels it; grammY and telegraf then confirm once more), and read the
 * log. The last getUpdates sent before SIGTERM must carry the offset, and none may go beyond it.
 * Returns the getUpdates calls sent before SIGTERM.
 */
async function stopAndExpectOffsetConfirmed(
  { api, bot }: Scenario,
  expectedOffset: number,
): Promise<CallRecord[]> {
  const polls = () =>
    api.control
      .calls(TOKEN)
      .filter((c) => c.method === "getupdates")
      .sort((a, b) => a.receivedAtMs - b.receivedAtMs);
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

// ---------------------------------------------------------------------------------------------

for (const spec of botsIn("polling")) {
  const options = { timeout: TEST_TIMEOUT_MS, skip: skipIfMissing(spec) };
  describe(spec.title, () => {
    test(
      "echoes text from three chats, confirms the offset with its next getUpdates and exits 0 on SIGTERM",
      options,
      async (t) => {
        const scenario = await startScenario(t, spec, { POLL_TIMEOUT: "20" });
        const { api } = scenario;
        await waitUntilPolling(scenario);
        const updates = injectRoundRobin(api, 6);
        await expectEchoes(scenario, updates);
        await expectCounter(scenario, "updatesDeliveredByPolling", updates.length);
        const polls = await stopAndExpectOffsetConfirmed(scenario, updates.at(-1)!.update_id + 1);

        const { pollTimeoutConfigurable, defaultPollTimeoutSeconds } = spec.subject;
        const expectedTimeout = pollTimeoutConfigurable ? "20" : String(defaultPollTimeoutSeconds);
        assert.deepEqual(
          polls.map((c) => c.params.timeout),
          polls.map(() => expectedTimeout),
          `getUpdates timeout with POLL_TIMEOUT=20 (the registry says configurable: ${pollTimeoutConfigurable})`,
        );
      },
    );
  });
}

for (const spec of botsIn("webhook")) {
  const options = { timeout: TEST_TIMEOUT_MS, skip: skipIfMissing(spec) };
  describe(spec.title, () => {
    test(
      "echoes text from three chats when Telegram sends the secret token, rejects POSTs without it and exits 0 on SIGTERM",
      options,
      async (t) => {
        const scenario = await startScenario(t, spec, {
          WEBHOOK_SECRET: SECRET,
          WEBHOOK_MAX_CONNECTIONS: "7",
        });
        const { api, bot } = scenario;
        const url = await waitUntilWebhookSet(scenario);
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/webhook$/, "the default WEBHOOK_URL");
        assert.equal(api.control.webhookInfo(TOKEN).max_connections, 7, "WEBHOOK_MAX_CONNECTIONS");

        const forgeries: Record<string, string>[] = [{}, { [SECRET_HEADER]: "not-the-secret" }];
        for (const headers of forgeries) {
          const status = await forgedPost(url, headers);
          assert.ok(status === 401 || status === 403, `a POST with ${JSON.stringify(headers)} got ${status}`);
        }

        const updates = injectRoundRobin(api, 6);
        const sent = await expectEchoes(scenario, updates);
        assert.ok(
          sent.every((c) => c.via === "http"),
          "without WEBHOOK_REPLY the echo is a request of its own",
        );
        await expectCounter(scenario, "updatesDeliveredByWebhook", updates.length);
        const counters = api.control.counters(TOKEN);
        assert.equal(
          counters.webhookFailures,
          0,
          `failed deliveries: ${api.control.webhookInfo(TOKEN).last_error_message}`,
        );
        await expectCleanExit(bot);
        assert.equal(sentMessages(api).length, updates.length, "a forged update was echoed");
      },
    );

    test(
      "echoes each chat's messages in the order they were sent while two chats are served in parallel",
      options,
      async (t) => {
        const scenario = await startScenario(t, spec, { HANDLER_DELAY_MS: "20" });
        const { api, bot } = scenario;
        await waitUntilWebhookSet(scenario);
        // 10 messages to each chat, alternating, injected at once: deliveries overlap across chats.
        const updates = injectRoundRobin(api, 20, CHATS.slice(0, 2));
        const sent = await expectEchoes(scenario, updates);
        for (const { chat } of CHATS.slice(0, 2)) {
          const injected = updates.map(messageOf).filter((m) => m.chat.id === chat.id);
          const echoed = sent.filter((c) => c.params.chat_id === String(chat.id)).map((c) => c.params.text);
          assert.deepEqual(
            echoed,
            injected.map((m) => m.text),
            `echo order in chat ${chat.id}`,
          );
        }
        const chatOrder = sent.map((c) => c.params.chat_id);
        const switches = chatOrder.filter((id, i) => i > 0 && id !== chatOrder[i - 1]).length;
        assert.ok(switches >= 2, `the two chats were not served in parallel: ${chatOrder.join(" ")}`);
        await expectCounter(scenario, "updatesDeliveredByWebhook", updates.length);
        await expectCleanExit(bot);
      },
    );

    const replies = spec.subject.webhookReply;
    test(
      replies
        ? "sends each echo in the webhook response body when WEBHOOK_REPLY=1"
        : "still sends each echo as a request of its own when WEBHOOK_REPLY=1, as the registry says",
      options,
      async (t) => {
        const scenario = await startScenario(t, spec, { WEBHOOK_REPLY: "1" });
        const { api, bot } = scenario;
        await waitUntilWebhookSet(scenario);
        const updates = injectRoundRobin(api, 6);
        const sent = await expectEchoes(scenario, updates);
        const via = replies ? "webhook-reply" : "http";
        assert.deepEqual(
          sent.map((c) => c.via),
          updates.map(() => via),
        );
        await expectCounter(scenario, "webhookReplies", replies ? updates.length : 0);
        await expectCounter(scenario, "updatesDeliveredByWebhook", updates.length);
        await expectCleanExit(bot);
      },
    );
  });
}
