/**
 * Bring your own bot, end to end with real processes: the small misbehaving bots of
 * bench/bots/fixtures/ run through the runner, and each misbehaviour is a failure that says why
 * (or, for a refused mode, "not supported"; for an unclean stop, a note).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { summarizeCell } from "../report/cell-summary.ts";
import { renderMarkdown } from "../report/markdown.ts";
import type { CellResult, FailureReason, Report } from "../results/index.ts";
import type { RunnerEvent } from "./events.ts";
import { registerReferenceBot } from "./reference-bot-for-tests.ts";
import { runScenario } from "./run.ts";
import { resolveScenario, type ScenarioOptions } from "./scenario.ts";

const FIXTURES = fileURLToPath(new URL("../../bench/bots/fixtures/", import.meta.url));
const FIXTURE_BOT = `${FIXTURES}fixture-bot.mjs`;
registerReferenceBot();

/** `label=node fixture-bot.mjs <behaviour>` */
const fixture = (label: string, behaviour: string) => `${label}=node ${FIXTURE_BOT} ${behaviour}`;

async function run(options: ScenarioOptions): Promise<{ report: Report; events: RunnerEvent[] }> {
  const events: RunnerEvent[] = [];
  const report = await runScenario(
    resolveScenario({
      bots: [],
      arrival: "constant",
      ratesPerSecond: [20],
      durationMs: 1_000,
      warmupUpdates: 1,
      drainTimeoutMs: 2_000,
      pollIntervalMs: 200,
      users: 10,
      groups: 1,
      ...options,
    }),
    { toolVersion: "test", emit: (e) => events.push(e) },
  );
  return { report, events };
}

const reasons = (cell: CellResult | undefined): FailureReason[] =>
  cell?.status === "failed" ? cell.reasons : [];

describe("custom bots are first-class", () => {
  test("two labelled --bot-commands run beside a built-in bot; a mode one refuses is not supported", async () => {
    const { report } = await run({
      bots: ["reference"],
      botCommands: [fixture("echo", "echo"), `polling-only=sh ${FIXTURES}polling-only.sh`],
      modes: ["long-polling", "webhook"],
    });
    assert.deepEqual(
      report.scenario.subjects.map((s) => [s.name, s.builtIn?.name ?? s.command]),
      [
        ["reference", "reference"],
        ["echo", `node ${FIXTURE_BOT} echo`],
        ["polling-only", `sh ${FIXTURES}polling-only.sh`],
      ],
    );
    const status = report.cells.map((c) => `${c.bot} ${c.mode} ${c.status}`);
    assert.deepEqual(status, [
      "reference long-polling ran",
      "reference webhook ran",
      "echo long-polling ran",
      "echo webhook ran",
      "polling-only long-polling ran",
      "polling-only webhook unsupported",
    ]);
    const refused = report.cells[5]!;
    assert.equal(refused.status === "unsupported" ? refused.reason.kind : null, "mode-not-supported");
    assert.match(
      refused.status === "unsupported" ? refused.reason.message : "",
      /^polling-only exited 2 at start in webhook: polling-only: BOT_MODE "webhook" is not supported/,
    );
    for (const cell of report.cells.slice(0, 5)) {
      assert.equal(cell.trials[0]?.ledger.answered, 20, `${cell.bot} ${cell.mode} answered everything`);
      assert.equal(cell.trials[0]?.behaviour?.observedMode.mode, cell.mode, "and used the mode asked for");
      assert.equal(cell.trials[0]?.behaviour?.stop?.clean, true, "and stopped cleanly");
      const t = cell.trials[0]!;
      const last = t.behaviour?.lastAnswerAtMs ?? -1;
      assert.ok(
        last > 0 && last <= t.window.recordedMs,
        `its last answer came at ${last} ms, within the trial`,
      );
    }
  });

  test("a mode refused at one rate is not tried again at the others", async () => {
    const { report, events } = await run({
      botCommands: [`polling-only=sh ${FIXTURES}polling-only.sh`],
      modes: ["webhook"],
      ratesPerSecond: [5, 10],
    });
    assert.deepEqual(
      report.cells.map((c) => c.status),
      ["unsupported", "unsupported"],
    );
    assert.equal(events.filter((e) => e.type === "bot-starting").length, 1);
  });
});

describe("correctness comes first", () => {
  test("a bot that replies twice fails with its duplicate replies", async () => {
    const { report, events } = await run({
      botCommands: [fixture("twice", "reply-twice")],
      modes: ["webhook"],
    });
    const cell = report.cells[0]!;
    assert.equal(cell.trials[0]?.matching.duplicates, 20);
    assert.deepEqual(
      reasons(cell).map((r) => r.kind),
      ["duplicate-replies"],
    );
    assert.equal(summarizeCell(cell).status, "failed", "its figures are not shown as healthy");
    assert.equal(summarizeCell(cell).duplicateReplies, 20);
    const end = events.find((e) => e.type === "trial-end");
    assert.deepEqual(end?.type === "trial-end" ? end.failures.map((f) => f.kind) : [], ["duplicate-replies"]);
    assert.match(
      renderMarkdown(report),
      /\| twice · webhook · 20\/s \| ✗ failed: duplicate replies: 20 replies/,
    );
  });

  test("a bot that never replies fails: replied to nothing, or, with a warm-up, the warm-up says what it saw", async () => {
    const measured = await run({
      botCommands: [fixture("silent", "silent")],
      modes: ["short-polling"],
      warmupUpdates: 0,
    });
    const [noReplies] = reasons(measured.report.cells[0]);
    assert.equal(noReplies?.kind, "no-replies");
    assert.equal(noReplies?.message, "received 20 updates and answered none");

    const warm = await run({
      botCommands: [fixture("silent", "silent")],
      modes: ["long-polling"],
      warmupUpdates: 2,
      startupTimeoutMs: 4_000, // also the time to start: generous for a loaded machine
    });
    const [warmUp] = reasons(warm.report.cells[0]);
    assert.equal(warmUp?.kind, "warm-up-failed");
    assert.match(warmUp?.message ?? "", /0\/2 warm-up updates answered in 4000 ms$/);
    const seen = warmUp?.kind === "warm-up-failed" ? warmUp.activity : undefined;
    assert.ok((seen?.callsByMethod.getupdates ?? 0) >= 1, "the fake API saw it poll");
    assert.equal(seen?.lastCall?.method, "getupdates");
  });

  test("a bot that crashes after 5 updates says how it exited, what it printed and what it did", async () => {
    const { report } = await run({
      botCommands: [fixture("crash", "crash-after=5")],
      modes: ["long-polling"],
    });
    const [exited] = reasons(report.cells[0]);
    assert.equal(exited?.kind, "bot-exited");
    if (exited?.kind !== "bot-exited") return;
    assert.deepEqual(exited.exit, { code: 3, signal: null });
    assert.match(exited.message, /exited during the run \(code 3\)$/);
    assert.match(exited.stderrTail, /crashing after 5 updates/);
    assert.ok((exited.activity?.callsByMethod.sendmessage ?? 0) >= 3, "it answered a few before it crashed");
  });

  test("a bot whose calls mostly fail fails with the errors Telegram gave it", async () => {
    // Short polls once a second: a few getUpdates beside the 20 failed sendMessage calls.
    const { report } = await run({
      botCommands: [fixture("wrong", "wrong-chat")],
      modes: ["short-polling"],
      pollIntervalMs: 1_000,
      warmupUpdates: 0, // a warm-up would fail first: none of its answers arrives
    });
    const failures = reasons(report.cells[0]);
    assert.deepEqual(
      failures.map((f) => f.kind),
      ["no-replies", "api-errors"],
    );
    const apiErrors = failures[1];
    assert.equal(apiErrors?.kind === "api-errors" ? apiErrors.errors : 0, 20);
    assert.match(apiErrors?.message ?? "", /sendmessage 400 "Bad Request: chat not found" ×20/);
  });

  test("a bot that long-polls when asked to short-poll fails with what was seen", async () => {
    const { report } = await run({ botCommands: [fixture("lp", "long-polls")], modes: ["short-polling"] });
    const [mismatch] = reasons(report.cells[0]);
    assert.equal(mismatch?.kind, "mode-mismatch");
    assert.match(mismatch?.message ?? "", /^asked for short polling, saw getUpdates with timeout 50 \(/);
    assert.equal(report.cells[0]?.trials[0]?.behaviour?.observedMode.mode, "long-polling");
  });
});

describe("starting and stopping", () => {
  test("a bot that never becomes ready fails after --start-timeout, saying what was awaited", async () => {
    const { report } = await run({
      botCommands: ["sleeper=sleep 1000"],
      modes: ["webhook"],
      startupTimeoutMs: 1_000,
    });
    const [start] = reasons(report.cells[0]);
    assert.equal(start?.kind, "bot-failed-to-start");
    assert.match(
      start?.message ?? "",
      /^sleeper \(webhook\): not ready after 1000 ms \(waiting for a setWebhook with a non-empty URL answered ok\)$/,
    );
    assert.equal(start?.kind === "bot-failed-to-start" ? start.activity?.calls : -1, 0);
  });

  test("a bot that sets its webhook before it listens is told about --webhook-front proxy, and runs behind it", async () => {
    const direct = await run({ botCommands: [fixture("first", "webhook-first")], modes: ["webhook"] });
    const [refused] = reasons(direct.report.cells[0]);
    assert.equal(refused?.kind, "bot-failed-to-start");
    assert.match(
      refused?.message ?? "",
      /"Bad Request: bad webhook: Connection refused".*--webhook-front proxy/,
    );

    const proxied = await run({
      botCommands: [fixture("first", "webhook-first")],
      modes: ["webhook"],
      webhookFront: "proxy",
    });
    const cell = proxied.report.cells[0]!;
    assert.equal(cell.status, "ran", JSON.stringify(reasons(cell)));
    const t = cell.trials[0]!;
    assert.equal(t.ledger.answered, 20);
    assert.equal(cell.settings.webhookFront, "proxy");
    const front = t.behaviour?.webhookFront;
    assert.equal(front?.requests, t.counters.webhookAttempts, "every POST went through the proxy");
    assert.equal(front?.badGateway, 0);
    assert.ok((front?.inProxyP50Us ?? 0) > 0);
  });

  test("a bot that ignores SIGTERM is killed after the grace, and the report notes it", async () => {
    const { report } = await run({
      botCommands: [fixture("deaf", "ignore-sigterm")],
      modes: ["long-polling"],
      stopGraceMs: 500,
    });
    const cell = report.cells[0]!;
    assert.equal(cell.status, "ran", "an unclean stop is a note, not a failure");
    assert.deepEqual(
      { killed: cell.trials[0]?.behaviour?.stop?.killed, clean: cell.trials[0]?.behaviour?.stop?.clean },
      { killed: true, clean: false },
    );
    assert.match(
      renderMarkdown(report),
      /deaf · long-polling · 20\/s, trial 1: note: the bot did not exit within 0\.5 s of SIGTERM and was killed \(SIGKILL\)/,
    );
  });
});

describe("reports written during a run", () => {
  test("say partial until the final one", async () => {
    const written: boolean[] = [];
    const report = await runScenario(
      resolveScenario({
        bots: ["reference"],
        modes: ["long-polling", "webhook"],
        durationMs: 500,
        warmupUpdates: 1,
        users: 10,
        groups: 1,
      }),
      { toolVersion: "test", onProgress: (r) => void written.push(r.partial) },
    );
    assert.deepEqual(written, [true, true]);
    assert.equal(report.partial, false);
  });
});
