import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { startProcess, waitUntil } from "../testing/index.ts";

/**
 * How many processes of the group still run. A killed process stays a zombie until it is reaped
 * (by init, here, since its parent died too), so signal 0 is not enough: /proc says who runs.
 */
function groupMembers(pgid: number): number {
  let members = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") members++;
  }
  return members;
}

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
    const harness = startProcess(t, process.execPath, [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      script,
    ]);
    let groups: number[] = [];
    t.after(() => {
      for (const pgid of groups) {
        try {
          process.kill(-pgid, "SIGKILL"); // never leave orphans, even when the test fails
        } catch {
          // gone
        }
      }
    });
    const [line] = await harness.waitForOutput(/^\{.*\}\n/, "the harness to print its bots' groups");
    const started = JSON.parse(line) as { groups: number[]; watchdog: number };
    groups = started.groups;
    assert.equal(groups.length, 2);
    await waitUntil("both groups to run their shell and sleeps", () =>
      groups.every((pgid) => groupMembers(pgid) >= 2),
    );
    harness.signal("SIGKILL");
    assert.equal((await harness.exited).signal, "SIGKILL");
    const killedAtMs = performance.now();
    await waitUntil("every bot group to be gone", () => groups.every((pgid) => groupMembers(pgid) === 0), {
      intervalMs: 5,
    });
    t.diagnostic(`every bot group gone ${Math.round(performance.now() - killedAtMs)} ms after the SIGKILL`);
    // The watchdog leads a group of its own, and exits once its work is done.
    await waitUntil("the watchdog to exit", () => groupMembers(started.watchdog) === 0);
  });
});
