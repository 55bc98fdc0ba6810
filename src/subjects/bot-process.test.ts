import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startFakeApi } from "../fake-api/index.ts";
import { BotProcess, launchBot, READINESS_EVIDENCE, SubjectError } from "./bot-process.ts";

/** Running, and not a zombie waiting for a reaper (this container's init may never reap it). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

describe("BotProcess", () => {
  test("stop() ends the whole process group, children included", async () => {
    // A shell that starts a grandchild and prints its pid, then waits.
    const bot = new BotProcess({
      label: "shell",
      command: { shell: "sh -c 'sleep 300 & echo $!; wait'" },
      env: {},
    });
    const deadline = Date.now() + 5_000;
    while (bot.stdout.toString().trim() === "" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(bot.stdout.toString().trim());
    assert.ok(grandchild > 0 && alive(grandchild), "the grandchild runs");
    await bot.stop(2_000);
    assert.equal(bot.running, false);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(grandchild), false, "the grandchild was killed with its group");
  });

  test("only the contract variables tgbench sets reach the bot", async () => {
    process.env.BOT_TOKEN = "999:leaked-from-the-shell";
    try {
      const bot = new BotProcess({
        label: "env",
        command: { shell: "sh -c 'echo token=$BOT_TOKEN mode=$BOT_MODE'" },
        env: { BOT_MODE: "polling" },
      });
      await bot.exited;
      assert.equal(bot.stdout.toString().trim(), "token= mode=polling");
    } finally {
      delete process.env.BOT_TOKEN;
    }
  });

  test("a command that cannot be run reports the error as output, not a crash", async () => {
    const bot = new BotProcess({
      label: "missing",
      command: { file: "/nonexistent/bot", args: [] },
      env: {},
    });
    const exit = await bot.exited;
    assert.equal(exit.code, null);
    assert.match(bot.stderr.toString(), /ENOENT/);
  });
});

describe("a harness killed by SIGTERM", () => {
  test("takes its bots with it", async () => {
    // A harness process that starts a bot (sleep, in its own group), prints the bot's pid, and
    // waits; it has no SIGTERM handler of its own.
    const script = `
      import { BotProcess } from ${JSON.stringify(new URL("./bot-process.ts", import.meta.url).href)};
      const bot = new BotProcess({ label: "sleeper", command: { shell: "sleep 300" }, env: {} });
      console.log(bot.pid);
      setInterval(() => {}, 1000);
    `;
    const harness = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    harness.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const deadline = Date.now() + 10_000;
    while (out.trim() === "" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const botPid = Number(out.trim());
    assert.ok(botPid > 0 && alive(botPid), "the bot runs");
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      harness.once("exit", (_code, signal) => resolve(signal)),
    );
    try {
      harness.kill("SIGTERM");
      assert.equal(await exited, "SIGTERM", "the harness still dies of SIGTERM");
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(alive(botPid), false, "its bot was killed with it");
    } finally {
      if (alive(botPid)) process.kill(botPid, "SIGKILL"); // never leave an orphan, even on failure
    }
  });
});

describe("a --bot-command runs through a real shell", () => {
  test("environment assignments and cd work, and the exit code is the command's", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "tgbench-shell-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const bot = new BotProcess({
      label: "shell",
      command: { shell: `cd ${dir} && GREETING=hello sh -c 'echo "$GREETING from $(pwd)"; exit 7'` },
      env: {},
    });
    t.after(() => bot.stop(1_000));
    const exit = await bot.exited;
    assert.equal(bot.stdout.toString().trim(), `hello from ${dir}`);
    assert.deepEqual(exit, { code: 7, signal: null });
  });

  test("SIGTERM reaches the command, which exits 0, and the shell reports its exit", async (t) => {
    const script = `process.on("SIGTERM", () => process.exit(0)); console.log(process.pid); setInterval(() => {}, 1000);`;
    const bot = new BotProcess({
      label: "node via sh",
      command: { shell: `cd / && ${process.execPath} -e '${script}'` },
      env: {},
    });
    t.after(() => bot.stop(1_000));
    await until(() => bot.stdout.toString().trim() !== "");
    const nodePid = Number(bot.stdout.toString().trim());
    assert.equal(bot.pid, nodePid, "measured: the command, not the shell");
    assert.notEqual(bot.pgid, nodePid);
    const exit = await bot.stop(5_000);
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(bot.stopInfo?.killed, false);
  });

  test("a command that ignores SIGTERM is killed after the grace, and that is recorded", async (t) => {
    const bot = new BotProcess({ label: "deaf", command: { shell: "trap '' TERM; sleep 300" }, env: {} });
    t.after(() => bot.stop(1_000));
    await new Promise((r) => setTimeout(r, 100));
    await bot.stop(300);
    assert.equal(bot.stopInfo?.killed, true);
    assert.ok((bot.stopInfo?.afterMs ?? 0) >= 300);
  });
});

describe("launchBot judges readiness from evidence", () => {
  const FIXTURE_BOT = fileURLToPath(new URL("../../bench/bots/fixtures/fixture-bot.mjs", import.meta.url));

  async function launch(t: TestContext, behaviour: string, mode: "polling" | "webhook", timeoutMs: number) {
    const api = await startFakeApi();
    t.after(() => api.close());
    const token = "4242:readiness";
    const waits: Array<[number, string]> = [];
    const launched = launchBot(
      {
        label: behaviour,
        command: { file: process.execPath, args: [FIXTURE_BOT, behaviour] },
        env: { BOT_TOKEN: token, TELEGRAM_API_ROOT: api.apiRoot, BOT_MODE: mode, POLL_TIMEOUT: "0" },
        token,
        readiness: mode,
        startupTimeoutMs: timeoutMs,
      },
      api,
      { onWaiting: (waitedMs, what) => waits.push([waitedMs, what]), progressIntervalMs: 200 },
    );
    const outcome = await launched.then(
      (bot) => {
        t.after(() => bot.stop(1_000));
        return { bot, error: undefined };
      },
      (error: unknown) => ({ bot: undefined, error }),
    );
    return { ...outcome, api, token, waits };
  }

  test("a getUpdates answered 400 is not readiness, and the wait says what it waits for", async (t) => {
    const { error, api, token, waits } = await launch(t, "bad-poll", "polling", 1_500);
    assert.ok(error instanceof SubjectError);
    assert.match(error.reason, /^not ready after 1500 ms \(waiting for a getUpdates the fake API accepts\)$/);
    assert.ok((api.control.counters(token).errorsByStatus["400"] ?? 0) >= 1, "it did poll, and got 400s");
    assert.ok(waits.length >= 1, "progress while waiting");
    assert.ok(waits.every(([ms, what]) => ms > 0 && what === READINESS_EVIDENCE.polling));
  });

  test("a setWebhook with an empty URL is not readiness", async (t) => {
    const { error, api, token } = await launch(t, "empty-webhook", "webhook", 1_500);
    assert.ok(error instanceof SubjectError);
    assert.match(error.reason, /waiting for a setWebhook with a non-empty URL answered ok/);
    assert.equal(
      api.control.counters(token).requestsByMethod.setwebhook,
      1,
      "its setWebhook was answered ok",
    );
  });

  test("an accepted getUpdates and a set webhook are", async (t) => {
    for (const mode of ["polling", "webhook"] as const) {
      const { bot, error } = await launch(t, "echo", mode, 15_000);
      assert.equal(error, undefined, `${mode}: ${String(error)}`);
      assert.equal(bot?.running, true);
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}
