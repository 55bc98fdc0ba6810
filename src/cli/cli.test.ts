import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/tgbench.mjs", import.meta.url));

const tgbench = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });

describe("usage errors get one line and exit code 2, never a stack trace", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["an unknown command", ["frob"], /Unknown argument: frob/],
    ["no command", [], /Name a command/],
    ["an unknown bot", ["run", "--bot", "nobot"], /Invalid values:[\s\S]*nobot/],
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
    test(`${what}`, () => {
      const result = tgbench(...args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    });
  }
});

describe("Ctrl-C during a run", () => {
  test("stops the bot, writes a partial report and exits 130", async () => {
    const resultsDir = mkdtempSync(join(tmpdir(), "tgbench-sigint-"));
    try {
      const child = spawn(
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
          "--results-dir",
          resultsDir,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      // Interrupt once the measured run has begun.
      const deadline = Date.now() + 30_000;
      while (!/\[1\/1\]/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1_500));
      child.kill("SIGINT");
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("hung"), 20_000))]);
      if (code === "hung") child.kill("SIGKILL");
      assert.equal(code, 130, stderr);
      const [run] = readdirSync(resultsDir);
      assert.ok(run !== undefined, "a run directory was written");
      const report = JSON.parse(readFileSync(join(resultsDir, run, "report.json"), "utf8"));
      assert.equal(report.partial, true);
      assert.equal(report.cells.length, 1);
      assert.ok(existsSync(join(resultsDir, run, "report.md")));
    } finally {
      rmSync(resultsDir, { recursive: true, force: true });
    }
  });
});

describe("tgbench serve", () => {
  test("prints the API root, serves bots and the control API, and stops cleanly on Ctrl-C", async () => {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      let root: string | undefined;
      while (root === undefined && Date.now() < deadline) {
        root = /API root for your bot: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout)?.[1];
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(root !== undefined, `no API root printed:\n${stdout}`);
      assert.doesNotMatch(root, /\/$/, "no trailing slash");
      const injected = await fetch(`${root}/__tgbench/bots/123:abc/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: "hello", from: { id: 1001 } }),
      });
      assert.equal(injected.status, 200);
      const updates = (await (await fetch(`${root}/bot123:abc/getUpdates`)).json()) as { result: unknown[] };
      assert.equal(updates.result.length, 1);
      child.kill("SIGINT");
      assert.equal(await exited, 0);
      assert.match(stdout, /Stopped\./);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

const FIXTURE_BOT = fileURLToPath(new URL("../../bench/bots/fixtures/fixture-bot.mjs", import.meta.url));

describe("a bot that misbehaves", () => {
  test("fails the run (exit 1) and every format says why, with unmatched and duplicate columns", () => {
    const resultsDir = mkdtempSync(join(tmpdir(), "tgbench-twice-"));
    try {
      const result = tgbench(
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
      );
      assert.equal(result.status, 1, result.stderr);
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
    } finally {
      rmSync(resultsDir, { recursive: true, force: true });
    }
  });

  test("that never becomes ready is waited for with a line every few seconds, up to --start-timeout", () => {
    const resultsDir = mkdtempSync(join(tmpdir(), "tgbench-sleeper-"));
    try {
      const result = tgbench(
        "run",
        "--bot-command",
        "sleeper=sleep 1000",
        "--mode",
        "long-polling",
        "--start-timeout",
        "6",
        "--results-dir",
        resultsDir,
      );
      assert.equal(result.status, 1, result.stderr);
      assert.match(
        result.stderr,
        /trial 1: waiting 5 s for a getUpdates the fake API accepts; the fake API saw no call\n/,
      );
      assert.match(
        result.stderr,
        /not ready after 6000 ms \(waiting for a getUpdates the fake API accepts\)/,
      );
    } finally {
      rmSync(resultsDir, { recursive: true, force: true });
    }
  });
});
