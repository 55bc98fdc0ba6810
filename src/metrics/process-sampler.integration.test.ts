import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startProcess, WAIT_DEADLINE_MS } from "../testing/index.ts";
import {
  clockTicksPerSecond,
  harnessCpuMs,
  parseProcStat,
  parseProcStatus,
  readProcessStats,
} from "./process-sampler.ts";

const onLinux = process.platform === "linux";

/**
 * Burns CPU until `done()` holds, checking every millisecond or so. How much CPU time a given
 * stretch of wall time buys depends on the machine's load, so a fixed spin proves nothing; this
 * fails only if the counter never moves within {@link WAIT_DEADLINE_MS} of spinning.
 */
function spinUntil(what: string, done: () => boolean): void {
  const deadlineMs = performance.now() + WAIT_DEADLINE_MS;
  while (!done()) {
    if (performance.now() > deadlineMs) assert.fail(`${what}: not after ${WAIT_DEADLINE_MS} ms of spinning`);
    const sliceEndMs = performance.now() + 1;
    while (performance.now() < sliceEndMs) {
      // busy
    }
  }
}

describe("parsing /proc", () => {
  test("stat fields are found after a comm that contains spaces and parentheses", () => {
    const text = "4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 1234 0 0\n";
    assert.deepEqual(parseProcStat(text, 100), { state: "S", cpuUserMs: 2_500, cpuSystemMs: 750 });
    assert.deepEqual(parseProcStat(text, 1_000), { state: "S", cpuUserMs: 250, cpuSystemMs: 75 });
  });

  test("a truncated stat line gives undefined", () => {
    assert.equal(parseProcStat("4242 (node) S 1 2", 100), undefined);
    assert.equal(parseProcStat("", 100), undefined);
  });

  test("VmRSS and VmHWM are read in kB and returned in bytes; missing ones give undefined", () => {
    const text = "Name:\tnode\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t11\n";
    assert.deepEqual(parseProcStatus(text), { rssBytes: 10_485_760, peakRssBytes: 20_971_520 });
    assert.equal(parseProcStatus("Name:\tzombie\nState:\tZ (zombie)\n"), undefined);
  });
});

describe("readProcessStats", { skip: !onLinux && "needs Linux /proc" }, () => {
  test("the clock tick rate is a positive whole number", () => {
    const ticks = clockTicksPerSecond();
    assert.ok(Number.isSafeInteger(ticks) && ticks > 0);
  });

  test("this process has CPU time and memory, and its CPU time grows", () => {
    const before = readProcessStats(process.pid);
    assert.ok(before !== undefined);
    assert.ok(before.rssBytes > 1_000_000, `rss ${before.rssBytes}`);
    assert.ok(before.peakRssBytes >= before.rssBytes);
    const cpuMs = (s: typeof before) => s.cpuUserMs + s.cpuSystemMs;
    // /proc counts CPU time in clock ticks (10 ms): spin until at least one more tick is counted.
    spinUntil("this process's CPU time to grow", () => cpuMs(readProcessStats(process.pid)!) > cpuMs(before));
  });

  test("a child is readable while it runs and undefined once it is gone", async (t) => {
    const child = startProcess(t, "sleep", ["30"]);
    const pid = child.pid;
    const running = readProcessStats(pid);
    assert.ok(running !== undefined);
    assert.ok(running.rssBytes > 0);
    child.signal("SIGKILL");
    await child.exited;
    assert.equal(readProcessStats(pid), undefined);
  });

  test("a pid that does not exist gives undefined", () => {
    assert.equal(readProcessStats(2 ** 31 - 1), undefined);
  });
});

describe("harnessCpuMs", () => {
  test("grows while the harness computes", () => {
    const before = harnessCpuMs();
    spinUntil("harnessCpuMs() to grow by 10 ms", () => harnessCpuMs() - before >= 10);
  });
});
