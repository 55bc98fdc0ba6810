import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import { isAlive as alive, killTree, startProcess, waitUntil } from "../testing/index.ts";
import { BotProcess } from "./bot-process.ts";

/** A BotProcess that is killed with everything it started when the test ends, however it ends. */
function ownedBot(t: TestContext, spec: ConstructorParameters<typeof BotProcess>[0]): BotProcess {
  const bot = new BotProcess(spec);
  t.after(async () => {
    if (bot.pid !== undefined) killTree(bot.pid);
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
