import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";

/**
 * Whether any process of the group still runs. A killed process stays a zombie until it is reaped
 * (by init, here, since its parent died too), so signal 0 is not enough: /proc says who runs.
 */
function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a harness killed by SIGKILL", () => {
  test("leaves no bot behind: the watchdog kills every process group it started", async (t) => {
    // A harness that starts two bots, each a shell that ignores SIGTERM with a grandchild, prints
    // their process groups and the watchdog's pid, and waits. SIGKILL gives it no chance to act.
    const script = `
      import { BotProcess } from ${JSON.stringify(new URL("./bot-process.ts", import.meta.url).href)};
      import { watchdogPid } from ${JSON.stringify(new URL("./watchdog.ts", import.meta.url).href)};
      const bots = [1, 2].map((n) => new BotProcess({
        label: "stubborn " + n,
        command: { shell: "trap '' TERM; sleep 300 & sleep 300" },
        env: {},
      }));
      console.log(JSON.stringify({ groups: bots.map((b) => b.pgid), watchdog: watchdogPid() }));
      setInterval(() => {}, 1000);
    `;
    const harness = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let groups: number[] = [];
    t.after(() => {
      harness.kill("SIGKILL");
      for (const pgid of groups) {
        try {
          process.kill(-pgid, "SIGKILL"); // never leave orphans, even when the test fails
        } catch {
          // gone
        }
      }
    });
    let out = "";
    harness.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    while (!out.includes("\n")) {
      assert.equal(harness.exitCode, null, "the harness runs");
      await sleep(20);
    }
    const started = JSON.parse(out) as { groups: number[]; watchdog: number };
    groups = started.groups;
    assert.equal(groups.length, 2);
    // Both groups exist (shell and sleeps) before the kill.
    await sleep(200);
    for (const pgid of groups) assert.ok(groupAlive(pgid), `group ${pgid} runs`);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      harness.once("exit", (_code, signal) => resolve(signal)),
    );
    harness.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    const killedAtMs = performance.now();
    while (groups.some(groupAlive)) await sleep(10);
    t.diagnostic(`every bot group gone ${Math.round(performance.now() - killedAtMs)} ms after the SIGKILL`);
    while (groupAlive(started.watchdog)) await sleep(10); // the watchdog leads a group of its own
    t.diagnostic("and the watchdog exited");
  });
});
