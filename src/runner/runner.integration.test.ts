import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createLatencyHistogram, decodeLatencyHistogram } from "../metrics/latency-histogram.ts";
import { formatLedger } from "../metrics/ledger.ts";
import { formatTimelineCheck, type TrialResult } from "../results/index.ts";
import type { RunnerEventSink } from "./events.ts";
import { REFERENCE_BOT, registerReferenceBot } from "./reference-bot-for-tests.ts";
import { runScenario } from "./run.ts";
import { resolveScenario, type ScenarioOptions } from "./scenario.ts";

registerReferenceBot();

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
        t.latency.endToEnd.p50Us! >= t.latency.fromActualSend.p50Us!,
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
        const recordedMs = t.window.recordedMs;
        assert.ok(polls >= 2 && polls <= recordedMs / 200 + 2, `${polls} polls in ${recordedMs} ms`);
        assert.ok(t.latency.deliveryWait.p50Us! > 20_000, "updates wait for the next poll");
      }
      assert.deepEqual(t.window, { ...t.window, windowMs: 1_000, endedBy: "duration" });
      assert.ok(t.window.recordedMs >= 1_000);
      assert.equal(t.throughput.offeredPerSecond, 40, "40 updates in the 1 s window");
      assert.ok(t.timelineCheck?.balanced, formatTimelineCheck(t.timelineCheck!));
      assert.equal(
        t.timeline.reduce((sum, b) => sum + b.offered, 0),
        40,
      );
      assert.ok(t.timeline.length >= 2, "the window's second and the drain's");
      assert.equal(decodeLatencyHistogram(t.latency.endToEnd.histogram!).count, t.ledger.answered);
    });
  }
});

describe("the measured window", () => {
  test("runs to the duration when nothing arrives, and a cell without arrivals has no rates", async () => {
    // At 0.1/s, this seed's Poisson process has no arrival in the first 1.5 s.
    const t = await runOne({
      modes: ["short-polling"],
      arrival: "poisson",
      ratesPerSecond: [0.1],
      durationMs: 1_500,
      pollIntervalMs: 200,
      seed: "calm",
      // Telegram's anti-busy-loop rule would hold the second same-offset short poll for 3 s.
      antiBusyLoop: false,
    });
    assert.equal(t.ledger.generated, 0, "the seed gives no arrival in 1.5 s");
    assert.deepEqual([t.window.windowMs, t.window.endedBy], [1_500, "duration"]);
    assert.deepEqual([t.throughput.offeredPerSecond, t.throughput.answeredPerSecond], [null, null]);
    assert.equal(t.requests.perAnsweredUpdate.requests, null);
    assert.ok(t.requests.emptyGetUpdates >= 3, "the polls of the quiet window came back empty");
    assert.ok((t.requests.perHour.emptyRequests ?? 0) > 0, "and count per hour");
    assert.ok(t.timelineCheck?.balanced, formatTimelineCheck(t.timelineCheck!));
  });

  test("ends when an update-count run hands over its last update", async () => {
    const t = await runOne({ modes: ["webhook"], maxUpdates: 5, durationMs: 10_000 });
    assert.equal(t.ledger.generated, 5);
    assert.equal(t.window.endedBy, "update-count");
    assert.ok(t.window.windowMs >= 100 && t.window.windowMs < 10_000, `window ${t.window.windowMs} ms`);
    assert.ok(t.timelineCheck?.balanced, formatTimelineCheck(t.timelineCheck!));
  });
});

describe("a cell of three trials", () => {
  test("reports the percentiles of its trials' histograms merged, with intervals from the trials", async () => {
    const scenario = resolveScenario({
      bots: ["reference"],
      modes: ["webhook"],
      arrival: "constant",
      ratesPerSecond: [40],
      durationMs: 1_000,
      warmupUpdates: 2,
      trials: 3,
      users: 20,
      groups: 2,
    });
    const report = await runScenario(scenario, { toolVersion: "test" });
    const cell = report.cells[0]!;
    assert.equal(cell.status, "ran");
    assert.equal(cell.trials.length, 3);
    const merged = createLatencyHistogram();
    for (const t of cell.trials) merged.merge(decodeLatencyHistogram(t.latency.endToEnd.histogram!));
    assert.equal(merged.count, 120);
    const latency = cell.latency!;
    assert.equal(latency.endToEnd.p99?.us, merged.valueAtPercentile(99));
    assert.equal(latency.endToEnd.p50?.us, merged.valueAtPercentile(50));
    assert.equal(latency.interval, "bootstrap-trials");
    const { us, lowUs, highUs } = latency.endToEnd.p99!;
    assert.ok(lowUs! <= us && us <= highUs!, JSON.stringify(latency.endToEnd.p99));
  });
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
    assert.equal(trial.window.endedBy, "stopped-early");
    assert.ok(
      trial.window.windowMs < 4_000,
      `the window ends when the bot died: ${trial.window.windowMs} ms`,
    );
    assert.ok(trial.timelineCheck?.balanced, formatTimelineCheck(trial.timelineCheck!));
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
