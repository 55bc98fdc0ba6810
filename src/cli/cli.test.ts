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
      let controlToken: string | undefined;
      while ((root === undefined || controlToken === undefined) && Date.now() < deadline) {
        root = /API root for your bot: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout)?.[1];
        controlToken = /control token: ([0-9a-f]{32})\n/.exec(stdout)?.[1];
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(root !== undefined, `no API root printed:\n${stdout}`);
      assert.doesNotMatch(root, /\/$/, "no trailing slash");
      assert.ok(controlToken !== undefined, `no control token printed:\n${stdout}`);
      const injected = await fetch(`${root}/__tgbench/bots/123:abc/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-tgbench-control-token": controlToken },
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
