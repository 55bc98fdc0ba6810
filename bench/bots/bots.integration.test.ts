// The echo bots as black boxes: each test starts a fresh fake API, spawns one bot with plain
// `node` and only the environment contract (docs/bot-contract.md), drives it over real sockets and
// reads what it did from the fake API's control side. The bots are never asked to cooperate.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { describe, type TestContext, test } from "node:test";
import type { CallRecord, FakeApi, Message, Update } from "../../src/fake-api/index.ts";
import {
  type BotMode,
  BUILT_IN_SUBJECTS,
  type BuiltInSubject,
  scriptPath,
} from "../../src/subjects/registry.ts";
import { registerBench } from "../index.ts";
import {
  CHATS,
  echoTestSupport,
  expectCleanExit,
  expectForgeriesRejected,
  type Scenario,
  SECRET,
} from "./echo-test-support.ts";

registerBench();

const TOKEN = "123456789:tgbench-echo-test";
/** A hang guard, far beyond what a test takes on a loaded machine (every wait inside has its own). */
const TEST_TIMEOUT_MS = 180_000;

/** One bot script in one mode, as the runner's registry lists it. */
interface EchoBot {
  subject: BuiltInSubject;
  mode: BotMode;
  /** Absolute path, as the registry names it. */
  path: string;
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
    return { subject, mode, path, title };
  }),
);
const botsIn = (mode: BotMode): EchoBot[] => ECHO_BOTS.filter((bot) => bot.mode === mode);

// ---------------------------------------------------------------------------------------------
// One scenario: a fresh fake API and one bot

const {
  callsTo,
  launchScenario,
  waitUntilPolling,
  waitUntilWebhookSet,
  injectRoundRobin,
  waitForEchoes,
  expectCounter,
  stopAndExpectOffsetConfirmed,
} = echoTestSupport(TOKEN);

/** Starts one of the registry's Node bots; see launchScenario. A registered bot that is missing fails. */
function startScenario(t: TestContext, spec: EchoBot, env: Record<string, string> = {}): Promise<Scenario> {
  assert.ok(existsSync(spec.path), `the registry names ${spec.path}, which does not exist`);
  return launchScenario(t, { script: spec.path, mode: spec.mode, env });
}

const messageOf = (update: Update): Message => update.message!;

/** Waits until there is one sendMessage per update, then checks each echoes its update's chat and text. */
async function expectEchoes(scenario: Scenario, updates: readonly Update[]): Promise<CallRecord[]> {
  const { api, bot } = scenario;
  const sent = await waitForEchoes(
    scenario,
    updates,
    () => `Not echoed yet: ${JSON.stringify(missingEchoes(api, updates))}.`,
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
  const echoed = new Set(callsTo(api, "sendmessage").map((c) => c.params.text));
  return updates.map((u) => messageOf(u).text!).filter((text) => !echoed.has(text));
}

// ---------------------------------------------------------------------------------------------

for (const spec of botsIn("polling")) {
  const options = { timeout: TEST_TIMEOUT_MS };
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
  const options = { timeout: TEST_TIMEOUT_MS };
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

        await expectForgeriesRejected(url);

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
        assert.equal(callsTo(api, "sendmessage").length, updates.length, "a forged update was echoed");
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
