// The Python echo bots (bench/bots/python/) as black boxes, like bots.test.ts does for the Node
// ones: a fresh fake API per test, one bot spawned with the venv's Python and only the environment
// contract, driven over real sockets and judged from the fake API's side. Then a short tgbench run
// per bot, through the runner, so the registry, the launch and the ledger are covered too.
//
// The venv is created (or reused) first. Locally a machine without Python 3.10+ skips these tests
// with the reason; in CI (CI set) the Python bots are required, and the tests fail instead.
import assert from "node:assert/strict";
import { basename } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { CallRecord, FakeApi, FakeApiOptions, Message, Update } from "../../src/fake-api/index.ts";
import { formatLedger } from "../../src/metrics/ledger.ts";
import { runScenario } from "../../src/runner/run.ts";
import { resolveScenario } from "../../src/runner/scenario.ts";
import { ensurePythonEnv, pythonRequired } from "../../src/subjects/python-env.ts";
import { BUILT_IN_SUBJECTS, type BuiltInSubject, scriptPath } from "../../src/subjects/registry.ts";
import { registerBench } from "../index.ts";
import { BotProcess, WAIT_TIMEOUT_MS, waitFor } from "./bot-process.ts";
import { pythonRequirementsFile } from "./catalog.ts";
import {
  echoTestSupport,
  expectCleanExit,
  expectForgeriesRejected,
  type Scenario,
  SECRET,
} from "./echo-test-support.ts";

registerBench();

const TOKEN = "123456789:tgbench-python-test";
// Hang guards, far beyond what a test takes on a loaded machine (every wait inside has its own).
const TEST_TIMEOUT_MS = 180_000;
const RUNNER_TIMEOUT_MS = 240_000;
/** How late the first of a series of polls may be seen by the fake API (see the short-poll test). */
const FIRST_POLL_LATENESS_MS = 1_000;

// ---------------------------------------------------------------------------------------------
// The interpreter: set up once for the whole file (pip can take a minute the first time).

const setup = await ensurePythonEnv({ requirementsFile: pythonRequirementsFile() }).then(
  (env) => ({ python: env.python, problem: undefined }),
  (error: unknown) => ({
    python: undefined,
    problem: error instanceof Error ? error.message : String(error),
  }),
);
/** Locally a missing Python skips; in CI nothing is skipped, so the tests below fail on it. */
const skip =
  setup.problem !== undefined && !pythonRequired() ? `no Python for the bots: ${setup.problem}` : false;

function pythonOrFail(): string {
  if (setup.python === undefined) assert.fail(`the Python bots cannot run: ${setup.problem}`);
  return setup.python;
}

const PYTHON_SUBJECTS = (Object.values(BUILT_IN_SUBJECTS) as BuiltInSubject[]).filter(
  (subject) => subject.runtime === "python",
);

test("the registry has both Python bots, in both modes", () => {
  assert.deepEqual(
    PYTHON_SUBJECTS.map((s) => [s.name, Object.keys(s.scripts).sort()]),
    [
      ["aiogram", ["polling", "webhook"]],
      ["ptb", ["polling", "webhook"]],
    ],
  );
});

test("the Python bots' virtual environment is ready", { skip }, () => {
  pythonOrFail();
});

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

/** Starts one of the Python bots with the venv's interpreter; see launchScenario. */
async function startScenario(
  t: TestContext,
  subject: BuiltInSubject,
  mode: "polling" | "webhook",
  extraEnv: Record<string, string> = {},
  apiOptions: FakeApiOptions = {},
): Promise<Scenario> {
  const python = pythonOrFail();
  return launchScenario(t, {
    script: scriptPath(subject, mode)!,
    mode,
    env: extraEnv,
    interpreter: python,
    apiOptions,
  });
}

/** Waits for one sendMessage per update, then checks each echoes its update's chat and text. */
async function expectEchoes(scenario: Scenario, updates: readonly Update[]): Promise<CallRecord[]> {
  const { api, bot } = scenario;
  const sent = await waitForEchoes(
    scenario,
    updates,
    () => `Echoed so far: ${callsTo(api, "sendmessage").length}.`,
  );
  const key = (m: { chat_id: string; text: string }) => `${m.chat_id} ${m.text}`;
  const expected = updates.map((u) => key({ chat_id: String(u.message!.chat.id), text: u.message!.text! }));
  const actual = sent.map((c) => key({ chat_id: c.params.chat_id ?? "", text: c.params.text ?? "" }));
  assert.deepEqual(actual.sort(), expected.sort(), `echoes differ from updates\n${bot.output}`);
  assert.ok(
    sent.every((c) => c.status === 200),
    `a sendMessage failed: ${JSON.stringify(sent.filter((c) => c.status !== 200))}`,
  );
  return sent;
}

/** A user who presses a button on a group message. */
const GROUP_MEMBER_ID = 1001;

/** Presses a button on one of the bot's messages and waits for the answerCallbackQuery. */
async function expectButtonAnswered({ api, bot }: Scenario, botMessage: Message): Promise<Update> {
  // The first of the bot's messages may be in a group (whose id is negative) when the chats' echoes
  // arrive in another order: a group's button is pressed by one of its members.
  const presser = botMessage.chat.id > 0 ? botMessage.chat.id : GROUP_MEMBER_ID;
  const update = api.control.injectCallback(TOKEN, {
    from: { id: presser },
    chat: { id: botMessage.chat.id },
    messageId: botMessage.message_id,
    data: "pressed",
  });
  const id = update?.callback_query?.id;
  assert.ok(id !== undefined, "the fake API filtered the button press");
  const answer = await waitFor(
    "answerCallbackQuery",
    () => callsTo(api, "answercallbackquery").find((c) => c.params.callback_query_id === id),
    { bot },
  );
  assert.equal(answer.status, 200, answer.description);
  return update!;
}

/** The bot's messages as the fake API stored them (to press their buttons). */
function recordBotMessages(t: TestContext, api: FakeApi): Message[] {
  const messages: Message[] = [];
  const onMessage = (e: { message: Message }) => messages.push(e.message);
  api.events.on("message", onMessage);
  t.after(() => api.events.off("message", onMessage));
  return messages;
}

// ---------------------------------------------------------------------------------------------

for (const subject of PYTHON_SUBJECTS) {
  const script = basename(scriptPath(subject, "polling")!);
  const options = { timeout: TEST_TIMEOUT_MS, skip };

  describe(`${subject.name} in polling mode (${script})`, () => {
    test(
      "echoes text from three chats, answers a button press, confirms the offset and exits 0 on SIGTERM",
      options,
      async (t) => {
        const scenario = await startScenario(t, subject, "polling", { POLL_TIMEOUT: "20" });
        const { api } = scenario;
        const botMessages = recordBotMessages(t, api);
        await waitUntilPolling(scenario);
        const updates = injectRoundRobin(api, 6);
        await expectEchoes(scenario, updates);
        const press = await expectButtonAnswered(scenario, botMessages[0]!);
        await expectCounter(scenario, "updatesDeliveredByPolling", updates.length + 1);
        const polls = await stopAndExpectOffsetConfirmed(scenario, press.update_id + 1);
        assert.deepEqual(
          polls.map((c) => c.params.timeout),
          polls.map(() => "20"),
          "getUpdates timeout with POLL_TIMEOUT=20",
        );
      },
    );

    test(
      "short-polls: timeout 0 and at least POLL_INTERVAL_MS between the starts of two getUpdates",
      options,
      async (t) => {
        const intervalMs = 250;
        // Without Telegram's anti-busy-loop hold, so the interval alone paces the polls.
        const scenario = await startScenario(
          t,
          subject,
          "polling",
          { POLL_TIMEOUT: "0", POLL_INTERVAL_MS: String(intervalMs) },
          { antiBusyLoop: false },
        );
        const { api, bot } = scenario;
        await waitFor("10 getUpdates", () => callsTo(api, "getupdates").length >= 10, { bot });
        const updates = injectRoundRobin(api, 3);
        await expectEchoes(scenario, updates);
        const polls = callsTo(api, "getupdates");
        assert.deepEqual(
          polls.map((c) => c.params.timeout),
          polls.map(() => "0"),
        );
        // The fake API sees when a poll arrives, not when the bot sent it: one that arrives late
        // (either process busy) makes the next gap look short by as much, so single gaps prove
        // nothing on a loaded machine. A paced bot's i-th poll after the first arrives at least i
        // intervals after it, less however late the first was seen (up to a second allowed here);
        // a bot polling in a loop would be i round trips (a few ms each) after it.
        const firstMs = polls[0]!.receivedAtMs;
        const aheadMs = polls.map((c, i) => Math.round(i * intervalMs - (c.receivedAtMs - firstMs)));
        assert.ok(
          aheadMs.every((ms) => ms <= FIRST_POLL_LATENESS_MS),
          `getUpdates ahead of one per ${intervalMs} ms by ${aheadMs.join(", ")} ms`,
        );
        await expectCleanExit(bot);
      },
    );
  });

  describe(`${subject.name} in webhook mode (${script})`, () => {
    test(
      "echoes text from three chats when Telegram sends the secret, rejects POSTs without it, answers a button press and exits 0 on SIGTERM",
      options,
      async (t) => {
        const scenario = await startScenario(t, subject, "webhook", {
          WEBHOOK_SECRET: SECRET,
          WEBHOOK_MAX_CONNECTIONS: "7",
        });
        const { api, bot } = scenario;
        const botMessages = recordBotMessages(t, api);
        const url = await waitUntilWebhookSet(scenario);
        assert.match(
          url,
          /^http:\/\/127\.0\.0\.1:\d+\/webhook$/,
          "the default WEBHOOK_URL, with the bound port",
        );
        assert.equal(api.control.webhookInfo(TOKEN).max_connections, 7, "WEBHOOK_MAX_CONNECTIONS");
        await expectForgeriesRejected(url);
        const updates = injectRoundRobin(api, 6);
        const sent = await expectEchoes(scenario, updates);
        assert.ok(
          sent.every((c) => c.via === "http"),
          "without WEBHOOK_REPLY the echo is a request of its own",
        );
        await expectButtonAnswered(scenario, botMessages[0]!);
        await expectCounter(scenario, "updatesDeliveredByWebhook", updates.length + 1);
        assert.equal(
          api.control.counters(TOKEN).webhookFailures,
          0,
          api.control.webhookInfo(TOKEN).last_error_message,
        );
        await expectCleanExit(bot);
        assert.equal(callsTo(api, "sendmessage").length, updates.length, "a forged update was echoed");
      },
    );

    const replies = subject.webhookReply;
    test(
      replies
        ? "sends each echo and button answer in the webhook response body when WEBHOOK_REPLY=1"
        : "warns and still sends each echo as a request of its own when WEBHOOK_REPLY=1, as the registry says",
      options,
      async (t) => {
        const scenario = await startScenario(t, subject, "webhook", {
          WEBHOOK_REPLY: "1",
          HANDLER_DELAY_MS: "5",
        });
        const { api, bot } = scenario;
        const botMessages = recordBotMessages(t, api);
        await waitUntilWebhookSet(scenario);
        const updates = injectRoundRobin(api, 6);
        const sent = await expectEchoes(scenario, updates);
        const via = replies ? "webhook-reply" : "http";
        assert.deepEqual(
          sent.map((c) => c.via),
          updates.map(() => via),
        );
        await expectButtonAnswered(scenario, botMessages[0]!);
        assert.equal(callsTo(api, "answercallbackquery")[0]!.via, via);
        await expectCounter(scenario, "webhookReplies", replies ? updates.length + 1 : 0);
        await expectCounter(scenario, "updatesDeliveredByWebhook", updates.length + 1);
        await expectCleanExit(bot);
        if (!replies) assert.match(bot.stderr.toString(), /WEBHOOK_REPLY=1 has no effect/);
      },
    );
  });

  test(
    `${script} exits with code 2 and one stderr line when BOT_MODE is unset or unknown`,
    options,
    async (t) => {
      const python = pythonOrFail();
      const runs = [undefined, "sideways"].map(async (mode) => {
        const bot = new BotProcess(
          scriptPath(subject, "polling")!,
          {
            BOT_TOKEN: TOKEN,
            // Port 9 (discard): nothing must be sent anywhere before the environment is checked.
            TELEGRAM_API_ROOT: "http://127.0.0.1:9",
            ...(mode === undefined ? {} : { BOT_MODE: mode }),
          },
          python,
        );
        t.after(() => bot.kill());
        const exit = await bot.waitForExit(WAIT_TIMEOUT_MS);
        const label = `BOT_MODE=${mode ?? "(unset)"}`;
        assert.deepEqual(exit, { code: 2, signal: null }, `${label}\n${bot.output}`);
        const name = script.replace(/\.py$/, "");
        assert.match(bot.output, new RegExp(`^${name}: BOT_MODE [^\\n]+$`), `${label}: one line on stderr`);
      });
      await Promise.all(runs);
    },
  );

  test(`a short tgbench run of ${subject.name} in every mode answers every update and balances the ledger`, {
    timeout: RUNNER_TIMEOUT_MS,
    skip,
  }, async () => {
    pythonOrFail();
    const scenario = resolveScenario({
      bots: [subject.name],
      modes: ["short-polling", "long-polling", "webhook"],
      arrival: "constant",
      ratesPerSecond: [20],
      durationMs: 1_000,
      warmupUpdates: 2,
      pollIntervalMs: 200,
      // They end as soon as the bot is done: generous, so a loaded machine cannot fail the test.
      drainTimeoutMs: 60_000,
      startupTimeoutMs: 60_000,
      users: 20,
      groups: 2,
    });
    const report = await runScenario(scenario, { toolVersion: "test", requireRuntimes: true });
    assert.equal(report.cells.length, 3);
    for (const cell of report.cells) {
      const label = `${cell.bot} ${cell.mode}`;
      assert.equal(cell.status, "ran", `${label}: ${JSON.stringify(cell)}`);
      const trial = cell.trials[0]!;
      assert.equal(trial.outcome.kind, "completed", `${label}: ${JSON.stringify(trial.outcome)}`);
      assert.ok(trial.ledger.balanced, `${label}: ${formatLedger(trial.ledger)}`);
      assert.equal(trial.ledger.generated, 20, `${label}: 1 s at a constant 20/s`);
      assert.equal(trial.ledger.answered, trial.ledger.generated, `${label}: ${formatLedger(trial.ledger)}`);
      assert.equal(trial.matching.unmatched + trial.matching.duplicates, 0, label);
    }
  });
}

test("a short tgbench run of aiogram with webhook replies answers every update in the response", {
  timeout: RUNNER_TIMEOUT_MS,
  skip,
}, async () => {
  pythonOrFail();
  const scenario = resolveScenario({
    bots: ["aiogram"],
    modes: ["webhook"],
    webhookReply: true,
    arrival: "constant",
    ratesPerSecond: [20],
    durationMs: 1_000,
    warmupUpdates: 2,
    drainTimeoutMs: 60_000,
    startupTimeoutMs: 60_000,
    users: 20,
    groups: 2,
  });
  const report = await runScenario(scenario, { toolVersion: "test", requireRuntimes: true });
  const trial = report.cells[0]!.trials[0]!;
  assert.ok(trial.ledger.balanced, formatLedger(trial.ledger));
  assert.equal(trial.ledger.answered, trial.ledger.generated);
  assert.equal(trial.counters.webhookReplies, trial.ledger.answered, "every echo in a webhook response");
  assert.equal(
    trial.requests.total,
    trial.counters.webhookAttempts,
    "the webhook POSTs are the only requests: no sendMessage of its own",
  );
});

test("python-telegram-bot's own run_webhook, unmodified, fails direct (naming the proxy) and runs behind the proxy", {
  timeout: RUNNER_TIMEOUT_MS,
  skip,
}, async () => {
  // run_webhook calls setWebhook before its server listens: Telegram's check of the URL (a first
  // TCP connection) is refused unless a reverse proxy takes it, as nginx does in production.
  const python = pythonOrFail();
  const script = fileURLToPath(new URL("./fixtures/ptb_run_webhook.py", import.meta.url));
  const run = (webhookFront: string) =>
    runScenario(
      resolveScenario({
        bots: [],
        botCommands: [`ptb-plain:webhook=${python} ${script}`],
        modes: ["webhook"],
        webhookFront,
        arrival: "constant",
        ratesPerSecond: [20],
        durationMs: 1_000,
        warmupUpdates: 2,
        drainTimeoutMs: 8_000,
        users: 20,
        groups: 2,
      }),
      { toolVersion: "test" },
    );
  const direct = (await run("direct")).cells[0]!;
  const [refused] = direct.status === "failed" ? direct.reasons : [];
  assert.equal(refused?.kind, "bot-failed-to-start", JSON.stringify(direct));
  assert.match(refused?.message ?? "", /bad webhook: Connection refused.*--webhook-front proxy/);

  const proxied = (await run("proxy")).cells[0]!;
  assert.equal(
    proxied.status,
    "ran",
    JSON.stringify(proxied.status === "failed" ? proxied.reasons : proxied),
  );
  const trial = proxied.trials[0]!;
  assert.ok(trial.ledger.balanced, formatLedger(trial.ledger));
  assert.equal(trial.ledger.answered, trial.ledger.generated);
  assert.equal(trial.behaviour?.observedMode.mode, "webhook");
  assert.equal(trial.behaviour?.webhookFront?.requests, trial.counters.webhookAttempts);
});
