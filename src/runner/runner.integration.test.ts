import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { formatLedger } from "../metrics/ledger.ts";
import type { TrialResult } from "../results/index.ts";
import { registerBuiltInSubjects } from "../subjects/registry.ts";
import type { RunnerEventSink } from "./events.ts";
import { runScenario } from "./run.ts";
import { resolveScenario, type ScenarioOptions } from "./scenario.ts";

const REFERENCE_BOT = fileURLToPath(new URL("../../bench/bots/reference.mjs", import.meta.url));
// The reference bot as the one built-in bot of these tests (bin/tgbench.mjs registers bench/'s catalog).
registerBuiltInSubjects(
  [
    {
      name: "reference",
      description: "the reference echo bot",
      framework: "undici",
      scripts: { polling: basename(REFERENCE_BOT), webhook: basename(REFERENCE_BOT) },
      defaultPollTimeoutSeconds: 30,
      pollTimeoutConfigurable: true,
      webhookReply: true,
      runtime: "node",
    },
  ],
  dirname(REFERENCE_BOT),
);

async function runOne(options: ScenarioOptions, emit?: RunnerEventSink): Promise<TrialResult> {
  const scenario = resolveScenario({
    bots: ["reference"],
    arrival: "constant",
    ratesPerSecond: [40],
    durationMs: 1_000,
    warmupUpdates: 2,
    // Generous on purpose: the drain and the start-up end as soon as the bot is done, and a
    // loaded machine must not turn a slow bot into a failed test.
    drainTimeoutMs: 60_000,
    startupTimeoutMs: 60_000,
    users: 20,
    groups: 2,
    ...options,
  });
  const report = await runScenario(scenario, {
    toolVersion: "test",
    ...(emit === undefined ? {} : { emit }),
  });
  assert.equal(report.cells.length, 1);
  const cell = report.cells[0]!;
  assert.notEqual(cell.status, "unsupported");
  assert.equal(cell.trials.length, 1);
  return cell.trials[0]!;
}

describe("a short run per mode with the reference bot", () => {
  for (const mode of ["short-polling", "long-polling", "webhook"] as const) {
    test(`${mode}: every update is answered, the ledger balances and the counters agree`, async () => {
      const t = await runOne({ modes: [mode], pollIntervalMs: 200 });
      assert.equal(t.outcome.kind, "completed");
      assert.ok(t.ledger.balanced, formatLedger(t.ledger));
      assert.equal(t.ledger.generated, 40, "1 s at a constant 40/s");
      assert.equal(t.ledger.answered, t.ledger.generated);
      assert.equal(t.ledger.pending + t.ledger.deliveredUnanswered + t.ledger.expired, 0);
      assert.equal(t.counters.messagesSent, t.ledger.answered, "one echo per update, no more");
      assert.equal(
        t.matching.byReplyTo,
        t.ledger.answered,
        "the reference bot quotes the message it answers",
      );
      assert.equal(t.matching.unmatched + t.matching.duplicates, 0);
      assert.equal(t.latency.endToEnd.count, t.ledger.answered);
      assert.ok(
        t.latency.endToEnd.p50Us >= t.latency.endToEndRaw.p50Us,
        "timed from the intended time, never later",
      );
      if (mode === "webhook") {
        assert.equal(t.counters.updatesDeliveredByWebhook, t.ledger.generated);
        assert.equal(t.counters.getUpdatesCalls, 0);
        assert.equal(t.requests.webhookPosts, t.counters.webhookAttempts);
        assert.equal(t.requests.total, t.counters.webhookAttempts + t.counters.requestsByMethod.sendmessage!);
      } else {
        assert.equal(t.counters.updatesDeliveredByPolling, t.ledger.generated);
        assert.equal(t.counters.webhookAttempts, 0);
        assert.equal(t.requests.getUpdates, t.counters.getUpdatesCalls);
        assert.ok(t.requests.emptyGetUpdates <= t.requests.getUpdates);
      }
      if (mode === "short-polling") {
        // The bot waits 200 ms between polls: it polls again and again, never more often than that
        // (on a loaded machine less often, so no lower bound beyond "more than once").
        const polls = t.counters.getUpdatesCalls;
        assert.ok(polls >= 2 && polls <= t.measuredMs / 200 + 2, `${polls} polls in ${t.measuredMs} ms`);
        assert.ok(t.latency.deliveryWait.p50Us > 20_000, "updates wait for the next poll");
      }
      assert.ok(t.timeline.length >= 1);
    });
  }
});

describe("a bot killed in the middle of a run", () => {
  test("ends the trial with an error and a ledger that still balances", async (t) => {
    // The bot's process is a shell that starts the reference bot, writes its pid to a file and
    // waits for it. The test kill -9s the bot at the first progress report of the measured run,
    // while it is still working through updates it was handed (each takes 300 ms).
    const dir = await mkdtemp(join(tmpdir(), "tgbench-killed-bot-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const pidFile = join(dir, "bot.pid");
    const command = `sh -c 'node ${REFERENCE_BOT} & pid=$!; echo $pid > ${pidFile}; wait $pid; exit 0'`;
    let killed: Promise<void> | undefined;
    const onEvent: RunnerEventSink = (event) => {
      if (event.type !== "trial-progress" || killed !== undefined) return;
      killed = readFile(pidFile, "utf8").then((pid) => {
        process.kill(Number(pid), "SIGKILL");
      });
    };
    const trial = await runOne(
      {
        bots: [],
        botCommands: [`killed:webhook=${command}`],
        modes: ["webhook"],
        ratesPerSecond: [40],
        durationMs: 4_000,
        handlerDelayMs: 300,
      },
      onEvent,
    );
    await killed;
    assert.ok(killed !== undefined, "the measured run reported progress");
    assert.equal(trial.outcome.kind, "bot-exited");
    assert.deepEqual(trial.outcome.kind === "bot-exited" ? trial.outcome.exit : null, {
      code: 0,
      signal: null,
    });
    assert.ok(trial.ledger.balanced, formatLedger(trial.ledger));
    assert.ok(trial.ledger.generated < 160, "the schedule stopped feeding a dead bot");
    assert.ok(trial.ledger.deliveredUnanswered > 0, `in flight when killed: ${formatLedger(trial.ledger)}`);
    assert.equal(
      trial.ledger.generated,
      trial.ledger.answered +
        trial.ledger.deliveredUnanswered +
        trial.ledger.pending +
        trial.ledger.expired +
        trial.ledger.notInjected +
        trial.ledger.filtered,
    );
  });
});

describe("bots that cannot start", () => {
  test("a bot that exits at once is reported with its stderr, and the run goes on", async () => {
    const scenario = resolveScenario({
      botCommands: [`sh -c 'echo "no token for you" >&2; exit 3'`],
      modes: ["long-polling"],
      durationMs: 500,
      startupTimeoutMs: 60_000,
    });
    const report = await runScenario(scenario, { toolVersion: "test" });
    const cell = report.cells[0]!;
    assert.equal(cell.trials.length, 0);
    assert.equal(cell.status, "failed");
    const [reason] = cell.status === "failed" ? cell.reasons : [];
    assert.equal(reason?.kind, "bot-failed-to-start");
    assert.equal(reason?.trial, 1);
    assert.match(reason?.message ?? "", /exited during start-up \(code 3\)/);
    assert.match(reason?.kind === "bot-failed-to-start" ? reason.stderrTail : "", /^no token for you$/);
  });
});
