import assert from "node:assert/strict";
import { spawn } from "node:child_process";
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
