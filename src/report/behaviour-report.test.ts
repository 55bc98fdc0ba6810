/** How the reports show what a bot did wrong: failed checks with their evidence, notes, the proxy's cost. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ApiActivity, FailureReason, TrialBehaviour, TrialResult } from "../results/index.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { fixtureCell, fixtureReport, fixtureTrial } from "./report-fixtures.ts";

const activity: ApiActivity = {
  windowMs: 1_200,
  callsByMethod: { getme: 1, setwebhook: 1 },
  calls: 2,
  errors: 1,
  firstErrors: [
    {
      method: "setwebhook",
      errorCode: 400,
      description: "Bad Request: bad webhook: Connection refused",
      atMs: 300,
      count: 1,
    },
  ],
  lastCall: { method: "setwebhook", atMs: 300 },
  webhookFailures: 0,
  firstWebhookFailures: [],
};

const behaviour = (overrides: Partial<TrialBehaviour>): TrialBehaviour => ({
  observedMode: {
    mode: "webhook",
    getUpdates: 0,
    pollTimeoutSeconds: null,
    pollTimeoutShare: 0,
    medianPollIntervalMs: null,
    webhookPosts: 20,
    summary: "20 webhook POSTs",
  },
  activity: { ...activity, errors: 0, firstErrors: [], callsByMethod: { sendmessage: 40 }, calls: 40 },
  lastAnswerAtMs: 900,
  stop: {
    exit: { code: null, signal: "SIGKILL" },
    afterMs: 10_000,
    graceMs: 10_000,
    killed: true,
    clean: false,
  },
  webhookFront: {
    kind: "proxy",
    requests: 20,
    badGateway: 0,
    badGatewayBeforeMeasuring: 2,
    cpuMs: 12,
    cpuUsPerRequest: 600,
    inProxyP50Us: 110,
    inProxyP99Us: 900,
  },
  ...overrides,
});

function twiceCell() {
  const trial: TrialResult = { ...fixtureTrial("webhook", 5, { generated: 20 }), behaviour: behaviour({}) };
  trial.matching = { ...trial.matching, duplicates: 20, unmatched: 1 };
  const duplicate: FailureReason = {
    kind: "duplicate-replies",
    trial: 1,
    message: "20 replies to updates it had already answered (20 answered)",
    duplicates: 20,
  };
  return fixtureCell("twice", "webhook", 5, [trial], duplicate);
}

function notStartedCell() {
  const failure: FailureReason = {
    kind: "bot-failed-to-start",
    trial: 1,
    message: "first (webhook): exited during start-up (code 1); … run it with --webhook-front proxy",
    exit: { code: 1, signal: null },
    stderrTail: "Traceback\nBadRequest: Bad webhook: connection refused",
    activity,
  };
  return fixtureCell("first", "webhook", 5, [], failure);
}

describe("report.md", () => {
  const md = renderMarkdown(fixtureReport([twiceCell(), notStartedCell()]));

  test("a cell that failed a check is a failed row, with its unmatched and duplicate replies", () => {
    assert.match(
      md,
      /^\| twice · webhook · 5\/s \| ✗ failed: duplicate replies: 20 replies to updates it had already answered \(20 answered\) \| 1 \| 20 \|/m,
    );
  });

  test("a failure comes with what the fake API saw and the bot's last stderr lines", () => {
    assert.match(md, /^- first · webhook · 5\/s, trial 1: bot failed to start: .*--webhook-front proxy$/m);
    assert.match(
      md,
      /^ {2}- the fake API saw in 1\.20 s: getme ×1, setwebhook ×1; last call setwebhook at 0\.30 s$/m,
    );
    assert.match(
      md,
      /^ {2}- API errors it received: 1 of 2 calls: setwebhook 400 "Bad Request: bad webhook: Connection refused"$/m,
    );
    assert.match(
      md,
      /^ {2}```text\n {2}Traceback\n {2}BadRequest: Bad webhook: connection refused\n {2}```$/m,
    );
  });

  test("an unclean stop is a note, and the proxy's cost has its own section", () => {
    assert.match(
      md,
      /^- twice · webhook · 5\/s, trial 1: note: the bot did not exit within 10 s of SIGTERM and was killed \(SIGKILL\)$/m,
    );
    assert.match(md, /^## Webhook proxy$/m);
    assert.match(
      md,
      /^- twice · webhook · 5\/s: 20 requests, 0 of them answered 502; 2 answered 502 before the measurement .*; 12 ms CPU, 600 µs per request; 110 µs p50 \/ 900 µs p99 in the proxy$/m,
    );
  });
});

describe("report.html", () => {
  const html = renderHtml(fixtureReport([twiceCell(), notStartedCell()]));

  test("has the unmatched and duplicates columns, and the failed cell's reason", () => {
    assert.match(html, /<th>answered<\/th><th>unmatched<\/th><th>duplicates<\/th>/);
    assert.match(
      html,
      /failed: duplicate replies: 20 replies[^<]*<\/td><td class="bad">1<\/td><td class="bad">20<\/td>/,
    );
  });

  test("lists each failure in one block, and what the bots did per trial", () => {
    assert.match(
      html,
      /<pre class="error">bot failed to start: first \(webhook\)[^<]*\n {2}the fake API saw in 1\.20 s/,
    );
    assert.match(html, /--- last stderr lines ---\nTraceback/);
    assert.match(html, /<h2 id="behaviour">What the bots did<\/h2>/);
    assert.match(html, /<td class="text">20 webhook POSTs<\/td>/);
    assert.match(html, /did not exit within 10 s of SIGTERM and was killed \(SIGKILL\)/);
    assert.match(html, /20 requests, 600 µs CPU each, 110 µs p50 in the proxy/);
  });
});
