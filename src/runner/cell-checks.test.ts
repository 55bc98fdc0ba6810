import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fixtureTrial } from "../report/report-fixtures.ts";
import type { ApiActivity, ModeName, TrialBehaviour, TrialResult } from "../results/index.ts";
import { type CheckedCell, trialChecks } from "./cell-checks.ts";
import { observedMode } from "./mode-observer.ts";

const activity = (calls: number, errors = 0): ApiActivity => ({
  windowMs: 4_000,
  callsByMethod: { getupdates: calls },
  calls,
  errors,
  firstErrors:
    errors === 0
      ? []
      : [
          {
            method: "sendmessage",
            errorCode: 400,
            description: "Bad Request: chat not found",
            atMs: 5,
            count: errors,
          },
        ],
  lastCall: { method: "getupdates", atMs: 3_900 },
  webhookFailures: 0,
  firstWebhookFailures: [],
});

/** What the fake API saw a bot in `mode` do (the right thing, unless told otherwise). */
function behaving(mode: ModeName, overrides: Partial<TrialBehaviour> = {}): TrialBehaviour {
  const timeouts = new Map([[mode === "short-polling" ? 0 : 30, 40]]);
  return {
    observedMode:
      mode === "webhook"
        ? observedMode(0, new Map(), null, 40)
        : observedMode(40, timeouts, mode === "short-polling" ? 1_000 : 100, 0),
    activity: activity(80),
    lastAnswerAtMs: 4_000,
    stop: null,
    webhookFront: null,
    ...overrides,
  };
}

function trial(
  mode: ModeName,
  shape: Parameters<typeof fixtureTrial>[2] = {},
  overrides: Partial<TrialBehaviour> = {},
): TrialResult {
  return { ...fixtureTrial(mode, 10, shape), behaviour: behaving(mode, overrides) };
}

const cellOf = (mode: ModeName, extra: Partial<CheckedCell> = {}): CheckedCell => ({
  mode,
  pollIntervalMs: 1_000,
  pollTimeoutSeconds: null,
  drainTimeoutMs: 5_000,
  ...extra,
});

const kinds = (t: TrialResult, cell: CheckedCell) => trialChecks(t, cell).map((f) => f.kind);

describe("trialChecks", () => {
  test("a bot that did what it was asked passes every check, in every mode", () => {
    for (const mode of ["short-polling", "long-polling", "webhook"] as const) {
      assert.deepEqual(kinds(trial(mode), cellOf(mode)), [], mode);
    }
  });

  test("a bot handed updates that answered none replied to nothing", () => {
    const t = trial("webhook", { generated: 15, answered: 0 });
    const [failure] = trialChecks(t, cellOf("webhook"));
    assert.equal(failure?.kind, "no-replies");
    assert.equal(failure?.message, "received 15 updates and answered none");
  });

  test("unanswered updates fail only when the bot had gone quiet for half the drain", () => {
    // 40 generated, 36 answered: 4 delivered and never answered. The schedule took 4 s.
    const drained = (drainMs: number, lastAnswerAtMs: number) => {
      const t = trial("webhook", { generated: 40, answered: 36 }, { lastAnswerAtMs });
      return { ...t, window: { ...t.window, recordedMs: t.window.windowMs + drainMs } };
    };
    const cell = cellOf("webhook", { drainTimeoutMs: 5_000 });
    assert.deepEqual(kinds(drained(5_000, 3_000), cell), ["unanswered"], "no answer for the whole drain");
    assert.deepEqual(
      kinds(drained(5_000, 8_900), cell),
      [],
      "still answering near the end: slow, not broken",
    );
    assert.deepEqual(kinds(drained(800, 3_000), cellOf("webhook", { drainTimeoutMs: 800 })), [], "under 1 s");
    const [failure] = trialChecks(drained(5_000, 3_000), cell);
    assert.equal(
      failure?.message,
      "answered 36 of the 40 updates it received; 4 got no answer, and none came in the last 5.0 s of the drain",
    );
  });

  test("duplicate and unmatched replies each fail the trial, with their counts", () => {
    const t = trial("long-polling");
    t.matching = { ...t.matching, duplicates: 40, unmatched: 3 };
    const failures = trialChecks(t, cellOf("long-polling"));
    assert.deepEqual(
      failures.map((f) => [f.kind, f.message]),
      [
        ["duplicate-replies", "40 replies to updates it had already answered (40 answered)"],
        ["unmatched-replies", "3 messages that answer no update it was sent"],
      ],
    );
  });

  test("mostly API errors fail, with the first errors and their descriptions; a few do not", () => {
    const mostly = trial("long-polling", {}, { activity: activity(50, 30) });
    const [failure] = trialChecks(mostly, cellOf("long-polling"));
    assert.equal(failure?.kind, "api-errors");
    assert.equal(
      failure?.message,
      '30 of its 50 API calls failed: sendmessage 400 "Bad Request: chat not found" ×30',
    );
    assert.deepEqual(
      kinds(trial("long-polling", {}, { activity: activity(50, 25) }), cellOf("long-polling")),
      [],
    );
  });

  test("the mode is checked: timeouts, intervals, webhook POSTs", () => {
    const sawLongPolls = { observedMode: observedMode(12, new Map([[50, 12]]), 400, 0) };
    const [mismatch] = trialChecks(trial("short-polling", {}, sawLongPolls), cellOf("short-polling"));
    assert.equal(mismatch?.kind, "mode-mismatch");
    assert.match(
      mismatch?.message ?? "",
      /^asked for short polling, saw getUpdates with timeout 50 \(12 calls/,
    );

    const busyLoop = { observedMode: observedMode(900, new Map([[0, 900]]), 3, 0) };
    assert.match(
      trialChecks(trial("short-polling", {}, busyLoop), cellOf("short-polling"))[0]?.message ?? "",
      /^asked for short polling every 1000 ms, saw getUpdates with timeout 0 \(900 calls, a median 3\.0 ms apart\)/,
    );

    const shortPolls = { observedMode: observedMode(4, new Map([[0, 4]]), 1_000, 0) };
    assert.deepEqual(kinds(trial("long-polling", {}, shortPolls), cellOf("long-polling")), ["mode-mismatch"]);
    assert.match(
      trialChecks(
        trial("long-polling", {}, sawLongPolls),
        cellOf("long-polling", { pollTimeoutSeconds: 10 }),
      )[0]?.message ?? "",
      /^asked for long polling with timeout 10, saw getUpdates with timeout 50/,
    );
    const polled = { observedMode: observedMode(40, new Map([[30, 40]]), 100, 0) };
    assert.deepEqual(kinds(trial("webhook", {}, polled), cellOf("webhook")), ["mode-mismatch"]);
    const nothing = { observedMode: observedMode(0, new Map(), null, 0) };
    assert.match(
      trialChecks(trial("webhook", {}, nothing), cellOf("webhook"))[0]?.message ?? "",
      /^asked for webhook, saw no getUpdates and no webhook POST$/,
    );
  });

  test("a trial that Ctrl-C stopped is not judged", () => {
    assert.deepEqual(
      kinds(trial("webhook", { answered: 0, outcome: { kind: "cancelled" } }), cellOf("webhook")),
      [],
    );
  });
});

describe("observedMode", () => {
  test("names the mode from the dominant timeout and the POSTs", () => {
    assert.equal(
      observedMode(
        10,
        new Map([
          [0, 9],
          [30, 1],
        ]),
        1000,
        0,
      ).mode,
      "short-polling",
    );
    assert.equal(
      observedMode(
        10,
        new Map([
          [0, 1],
          [30, 9],
        ]),
        100,
        0,
      ).pollTimeoutShare,
      0.9,
    );
    assert.equal(observedMode(0, new Map(), null, 5).mode, "webhook");
    assert.equal(observedMode(0, new Map(), null, 0).mode, null);
    assert.equal(
      observedMode(
        10,
        new Map([
          [0, 1],
          [30, 9],
        ]),
        100,
        0,
      ).summary,
      "getUpdates with timeout 30 in 90% of them (10 calls, a median 100 ms apart)",
    );
  });
});
