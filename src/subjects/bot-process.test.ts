import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { BotProcess } from "./bot-process.ts";

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
