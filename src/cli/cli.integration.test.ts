import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { descendantsOf, environmentOf, runProcess, startProcess, waitUntil } from "../testing/index.ts";

const BIN = fileURLToPath(new URL("../../bin/tgbench.mjs", import.meta.url));

/** Runs the CLI to its end; the process (and anything it started) cannot outlive the test. */
const tgbench = (t: TestContext, ...args: string[]) => runProcess(t, process.execPath, [BIN, ...args]);

describe("usage errors get one line and exit code 2, never a stack trace", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["an unknown command", ["frob"], /Unknown argument: frob/],
    ["no command", [], /Name a command/],
    [
      "an unknown bot: one line with the hint",
      ["run", "--bot", "nobot"],
      /^tgbench: unknown bot "nobot"; choose from reference, .* or use --bot-command\n$/,
    ],
    [
      "a rate that is not a number, echoed as typed",
      ["run", "--rate", "abc"],
      /^tgbench: --rate: "abc" is not a number \(updates per second\)\n$/,
    ],
    ["a second rate that is not a number", ["run", "--rate", "1", "2x"], /--rate: "2x" is not a number/],
    [
      "a negative duration, in seconds as given",
      ["run", "--duration", "-1"],
      /^tgbench: --duration must be more than 0 and at most 3600 seconds, got -1\n$/,
    ],
    ["trials that are not a number", ["run", "--trials", "many"], /--trials: "many" is not a number/],
    [
      "a traffic that is not a number",
      ["report", "x", "--traffic", "lots"],
      /--traffic: "lots" is not a number \(updates per day\)/,
    ],
    ["a negative rate", ["run", "--rate", "-5"], /rate must be a number in \(0, 100000\], got -5/],
    ["zero trials", ["run", "--trials", "0"], /trials must be an integer in 1\.\.100, got 0/],
    ["replay without a timeline", ["run", "--arrival", "replay"], /arrival replay needs --timeline <file>/],
    [
      "a missing timeline file",
      ["run", "--arrival", "replay", "--timeline", "/nonexistent"],
      /cannot read timeline/,
    ],
    ["a bad port for serve", ["serve", "--port", "70000"], /--port must be an integer in 0\.\.65535/],
    [
      "two bots with one label",
      ["run", "--bot-command", "a=node x.js", "--bot-command", "a=node y.js"],
      /two bots are called "a"/,
    ],
    [
      "a custom bot named like a built-in",
      ["run", "--bot-command", "reference=node x.js"],
      /name of a built-in bot/,
    ],
    ["an unknown mode in a label", ["run", "--bot-command", "a:long=node x.js"], /unknown mode "long"/],
    ["an unknown webhook front", ["run", "--webhook-front", "nginx"], /Invalid values:[\s\S]*nginx/],
  ];
  for (const [what, args, message] of cases) {
    test(`${what}`, async (t) => {
      const result = await tgbench(t, ...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    });
  }
});

/**
 * Waits until the run's measured schedule has begun, seen from outside: the bot's environment
 * names the fake API and the token, and the fake API's counters (reset after the 5 warm-up
 * updates) pass the warm-up's count only once measured updates are being answered.
 */
/** The control token the run's fake APIs take (TGBENCH_CONTROL_TOKEN), so the test can read counters. */
const CONTROL_TOKEN = "tgbench-cli-test-control-token";

async function measuredRunBegun(cliPid: number): Promise<void> {
  const bot = await waitUntil("the bot to be started", () =>
    descendantsOf(cliPid)
      .map(environmentOf)
      .find((env) => env?.TELEGRAM_API_ROOT !== undefined && env.BOT_TOKEN !== undefined),
  );
  const countersUrl = `${bot.TELEGRAM_API_ROOT}/__tgbench/bots/${bot.BOT_TOKEN}/counters`;
  const messagesSent = async () => {
    const response = await fetch(countersUrl, {
      headers: { "x-tgbench-control-token": CONTROL_TOKEN },
    }).catch(() => undefined);
    const body = (await response?.json()) as { result?: { messagesSent: number } } | undefined;
    return body?.result?.messagesSent ?? 0;
  };
  await waitUntil("more replies than the warm-up's 5", async () => (await messagesSent()) > 5, {
    intervalMs: 100,
  });
}

describe("Ctrl-C during a run", () => {
  test("stops the bot, writes a partial report and exits 130", async (t) => {
    const resultsDir = mkdtempSync(join(tmpdir(), "tgbench-sigint-"));
    t.after(() => rmSync(resultsDir, { recursive: true, force: true }));
    const run = startProcess(
      t,
      process.execPath,
      [
        BIN,
        "run",
        "--bot",
        "reference",
        "--mode",
        "long-polling",
        "--rate",
        "20",
        "--duration",
        "30",
        // The default scenario measures loopback and continent: one cell.
        "--network",
        "loopback",
        "--results-dir",
        resultsDir,
        "--no-calibrate",
      ],
      { env: { ...process.env, TGBENCH_CONTROL_TOKEN: CONTROL_TOKEN } },
    );
    await run.waitForOutput(/\[1\/1 · \d+:\d\d elapsed\]/, "the cell to start", "stderr");
    await measuredRunBegun(run.pid);
    run.signal("SIGINT");
    const { code } = await run.exited;
    assert.equal(code, 130, run.stderr());
    const [dir] = readdirSync(resultsDir);
    assert.ok(dir !== undefined, "a run directory was written");
    const report = JSON.parse(readFileSync(join(resultsDir, dir, "report.json"), "utf8"));
    assert.equal(report.partial, true);
    assert.equal(report.cells.length, 1);
    assert.equal(report.cells[0].trials.length, 1, "the interrupted trial is reported");
    const markdown = readFileSync(join(resultsDir, dir, "report.md"), "utf8");
    assert.doesNotMatch(
      markdown,
      /Nothing was measured/,
      "the summary agrees with the table of measured figures",
    );
    assert.match(markdown, /^\| reference · long-polling · 20\/s \| \d+\/\d+/m, "the table has the figures");
  });
});

describe("help", () => {
  test("wraps at word boundaries and shows defaults and examples", async (t) => {
    const top = await tgbench(t, "--help");
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /results\/<timestamp>-<scenario>\//, "a long word is never split");
    assert.match(top.stdout, /report\.json\n/);
    const run = await tgbench(t, "run", "--help");
    assert.equal(run.code, 0, run.stderr);
    for (const line of run.stdout.split("\n")) assert.ok(line.length <= 110, `too long: ${line}`);
    assert.match(run.stdout, /--scenario .*\[default: "default"\]/s);
    assert.match(
      run.stdout,
      /--duration .*\[default: sized to each rate: \d+ updates, [\d.]+ s to [\d.]+ s\]/s,
    );
    assert.match(run.stdout, /--rate .*\[default: [\d./smin, ]+\]/s);
    assert.match(run.stdout, /Examples:\n\s+tgbench run\s+what `npm run bench` runs/);
    // Every word of a description is whole: the words of one description, rejoined, are in the text.
    const words = run.stdout.replace(/\s+/g, " ");
    assert.match(words, /Short polling: one getUpdates every N ms/);
    assert.match(words, /Answer in the webhook response body where the bot can/);
  });
});

describe("tgbench serve", () => {
  test("prints the API root, serves bots and the control API, and stops cleanly on Ctrl-C", async (t) => {
    const serve = startProcess(t, process.execPath, [BIN, "serve", "--port", "0"]);
    const [, root] = await serve.waitForOutput(
      /API root for your bot: (http:\/\/127\.0\.0\.1:\d+)\n/,
      "the API root to be printed",
    );
    assert.ok(root !== undefined);
    assert.doesNotMatch(root, /\/$/, "no trailing slash");
    const [, controlToken] = await serve.waitForOutput(
      /control token: ([0-9a-f]{32})\n/,
      "the control token to be printed",
    );
    assert.ok(controlToken !== undefined);
    const injected = await fetch(`${root}/__tgbench/bots/123:abc/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tgbench-control-token": controlToken },
      body: JSON.stringify({ text: "hello", from: { id: 1001 } }),
    });
    assert.equal(injected.status, 200);
    const updates = (await (await fetch(`${root}/bot123:abc/getUpdates`)).json()) as { result: unknown[] };
    assert.equal(updates.result.length, 1);
    serve.signal("SIGINT");
    assert.equal((await serve.exited).code, 0);
    await serve.closed;
    assert.match(serve.stdout(), /Stopped\./);
  });
});

const FIXTURE_BOT = fileURLToPath(new URL("../../bench/bots/fixtures/fixture-bot.mjs", import.meta.url));

describe("a bot that misbehaves", () => {
  test("fails the run (exit 1) and every format says why, with unmatched and duplicate columns", async (t) => {
    const resultsDir = mkdtempSync(join(tmpdir(), "tgbench-twice-"));
    t.after(() => rmSync(resultsDir, { recursive: true, force: true }));
    const result = await tgbench(
      t,
      "run",
      "--bot-command",
      `twice=node ${FIXTURE_BOT} reply-twice`,
      "--mode",
      "long-polling",
      "--arrival",
      "constant",
      "--rate",
      "10",
      "--duration",
      "1",
      "--warmup-updates",
      "1",
      "--results-dir",
      resultsDir,
      "--no-calibrate",
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /\d+ unmatched, 10 duplicate replies, .*FAILED\n\s+duplicate replies: 10 replies/,
    );
    assert.match(result.stdout, /\| bot · mode · rate \| answered \| unmatched \| duplicates \|/);
    assert.match(
      result.stdout,
      /\| twice · long-polling · 10\/s \| ✗ failed: duplicate replies: 10 replies .* \| \d+ \| 10 \|/,
    );
    const [run] = readdirSync(resultsDir);
    const html = readFileSync(join(resultsDir, run!, "report.html"), "utf8");
    assert.match(html, /<th>unmatched<\/th><th>duplicates<\/th>/);
    assert.match(html, /failed: duplicate replies: 10 replies/);
    const report = JSON.parse(readFileSync(join(resultsDir, run!, "report.json"), "utf8"));
    assert.equal(report.partial, false, "the final write is not partial");
    assert.equal(report.cells[0].reasons[0].kind, "duplicate-replies");
    // --no-calibrate: every format says the harness's ceiling was not measured, and why.
    assert.deepEqual(report.harnessCeiling, {
      status: "not-measured",
      reason: "calibration skipped (--no-calibrate)",
    });
    assert.match(
      result.stdout,
      /## The harness's ceiling\n\n- not measured: calibration skipped \(--no-calibrate\)/,
    );
    assert.match(html, /<h2 id="harness-ceiling">/);
  });

  test("that never becomes ready is waited for with a line every few seconds, up to --start-timeout", async (t) => {
    const resultsDir = mkdtempSync(join(tmpdir(), "tgbench-sleeper-"));
    t.after(() => rmSync(resultsDir, { recursive: true, force: true }));
    const result = await tgbench(
      t,
      "run",
      "--bot-command",
      "sleeper=sleep 1000",
      "--mode",
      "long-polling",
      "--start-timeout",
      "6",
      "--results-dir",
      resultsDir,
      "--no-calibrate",
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /trial 1: waiting \d s for a getUpdates the fake API accepts; the fake API saw no call\n/,
    );
    assert.match(result.stderr, /not ready after 6000 ms \(waiting for a getUpdates the fake API accepts\)/);
  });
});
