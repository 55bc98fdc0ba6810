import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startFakeApi } from "../fake-api/index.ts";
import { isAlive as alive, killTree, startProcess, waitUntil } from "../testing/index.ts";
import { BotProcess, launchBot, READINESS_EVIDENCE, SubjectError } from "./bot-process.ts";

/** A BotProcess that is killed with everything it started when the test ends, however it ends. */
function ownedBot(t: TestContext, spec: ConstructorParameters<typeof BotProcess>[0]): BotProcess {
  const bot = new BotProcess(spec);
  t.after(async () => {
    if (bot.pgid !== undefined) killTree(bot.pgid);
    await bot.exited;
  });
  return bot;
}

/** Waits (without betting on the machine's speed) until `pid` is gone; a zombie counts as gone. */
const waitUntilGone = (pid: number, what: string) => waitUntil(what, () => !alive(pid));

describe("BotProcess", () => {
  test("stop() ends the whole process group, children included", async (t) => {
    // A shell that starts a grandchild and prints its pid, then waits.
    const bot = ownedBot(t, {
      label: "shell",
      command: { shell: "sh -c 'sleep 300 & echo $!; wait'" },
      env: {},
    });
    const printed = await waitUntil("the grandchild's pid", () => /^\d+\n/.exec(bot.stdout.toString()), {
      abandon: () => (bot.running ? undefined : `the shell exited: ${bot.output}`),
    });
    const grandchild = Number(printed[0]);
    t.after(() => killTree(grandchild));
    assert.ok(alive(grandchild), "the grandchild runs");
    await bot.stop(2_000);
    assert.equal(bot.running, false);
    // SIGKILL is sent before stop() resolves; the kernel needs a moment to carry it out.
    await waitUntilGone(grandchild, "the grandchild to be killed with its group");
  });

  test("only the contract variables tgbench sets reach the bot", async (t) => {
    process.env.BOT_TOKEN = "999:leaked-from-the-shell";
    try {
      const bot = ownedBot(t, {
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

  test("a command that cannot be run reports the error as output, not a crash", async (t) => {
    const bot = ownedBot(t, {
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
  test("takes its bots with it", async (t) => {
    // A harness process that starts a bot (sleep, in its own group), prints the bot's pid, and
    // waits; it has no SIGTERM handler of its own. Both are owned by the test, so neither can
    // outlive it, whatever fails.
    const script = `
      import { BotProcess } from ${JSON.stringify(new URL("./bot-process.ts", import.meta.url).href)};
      const bot = new BotProcess({ label: "sleeper", command: { shell: "sleep 300" }, env: {} });
      console.log(bot.pid);
      setInterval(() => {}, 1000);
    `;
    const harness = startProcess(t, process.execPath, [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      script,
    ]);
    const [printed] = await harness.waitForOutput(/^\d+\n/, "the harness to print its bot's pid");
    const botPid = Number(printed);
    t.after(() => killTree(botPid));
    assert.ok(alive(botPid), "the bot runs");
    harness.signal("SIGTERM");
    assert.equal((await harness.exited).signal, "SIGTERM", "the harness still dies of SIGTERM");
    // The harness SIGKILLs its bots before it dies; the kernel needs a moment to carry that out.
    await waitUntilGone(botPid, "its bot to be killed with it");
  });
});

describe("a --bot-command runs through a real shell", () => {
  test("environment assignments and cd work, and the exit code is the command's", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "tgbench-shell-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const bot = ownedBot(t, {
      label: "shell",
      command: { shell: `cd ${dir} && GREETING=hello sh -c 'echo "$GREETING from $(pwd)"; exit 7'` },
      env: {},
    });
    const exit = await bot.exited;
    assert.equal(bot.stdout.toString().trim(), `hello from ${dir}`);
    assert.deepEqual(exit, { code: 7, signal: null });
  });

  test("SIGTERM reaches the command, which exits 0, and the shell reports its exit", async (t) => {
    const script = `process.on("SIGTERM", () => process.exit(0)); console.log(process.pid); setInterval(() => {}, 1000);`;
    const bot = ownedBot(t, {
      label: "node via sh",
      command: { shell: `cd / && ${process.execPath} -e '${script}'` },
      env: {},
    });
    const printed = await waitUntil("the command's pid", () => /^\d+\n/.exec(bot.stdout.toString()), {
      abandon: () => (bot.running ? undefined : `the shell exited: ${bot.output}`),
    });
    const nodePid = Number(printed[0]);
    assert.equal(bot.pid, nodePid, "measured: the command, not the shell");
    assert.notEqual(bot.pgid, nodePid);
    const exit = await bot.stop(5_000);
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(bot.stopInfo?.killed, false);
  });

  test("a command that ignores SIGTERM is killed after the grace, and that is recorded", async (t) => {
    const bot = ownedBot(t, {
      label: "deaf",
      command: { shell: "trap '' TERM; echo up; sleep 300" },
      env: {},
    });
    await waitUntil("the shell to trap SIGTERM", () => bot.stdout.toString().includes("up"));
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
        t.after(async () => {
          if (bot.pgid !== undefined) killTree(bot.pgid);
          await bot.exited;
        });
        return { bot, error: undefined };
      },
      (error: unknown) => ({ bot: undefined, error }),
    );
    return { ...outcome, api, token, waits };
  }

  test("a getUpdates answered 400 is not readiness, and the wait says what it waits for", async (t) => {
    const { error, api, token, waits } = await launch(t, "bad-poll", "polling", 4_000);
    assert.ok(error instanceof SubjectError);
    assert.match(error.reason, /^not ready after 4000 ms \(waiting for a getUpdates the fake API accepts\)$/);
    assert.ok((api.control.counters(token).errorsByStatus["400"] ?? 0) >= 1, "it did poll, and got 400s");
    assert.ok(waits.length >= 1, "progress while waiting");
    assert.ok(waits.every(([ms, what]) => ms > 0 && what === READINESS_EVIDENCE.polling));
  });

  test("a setWebhook with an empty URL is not readiness", async (t) => {
    const { error, api, token } = await launch(t, "empty-webhook", "webhook", 4_000);
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
