import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { MeasuredCeiling } from "../results/index.ts";
import { type CalibrationKey, CeilingCache } from "./cache.ts";
import { obtainHarnessCeiling } from "./obtain.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const START_MS = Date.UTC(2026, 11, 1, 12);
const KEY: CalibrationKey = { commit: "abc123", dirty: false, host: "box", cpuModel: "CPU" };

/** A calibration the fake measurement makes, stamped with the injected clock's time. */
function measuredAt(key: CalibrationKey, nowMs: number, perSecond: number): MeasuredCeiling {
  return {
    status: "measured",
    source: "fresh",
    measuredAt: new Date(nowMs).toISOString(),
    commit: key.commit,
    host: key.host,
    cpuModel: key.cpuModel,
    fakeApiRequestsPerSecond: 1000,
    bareFastifyRequestsPerSecond: 1100,
    referenceWebhookPerSecond: perSecond,
    referenceInFlight: 80,
    referenceDurationMs: 2000,
    tookMs: 1,
    nearLimitShare: 0.5,
  };
}

/** A cache in a fresh temporary directory, a clock the test moves, and a counting fake measurement. */
async function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const directory = await mkdtemp(join(tmpdir(), "tgbench-ceiling-"));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const clock = { nowMs: START_MS };
  const cache = new CeilingCache({ directory, maxAgeMs: DAY_MS, nowMs: () => clock.nowMs });
  const calls: CalibrationKey[] = [];
  const obtain = (key: CalibrationKey, measure?: () => Promise<MeasuredCeiling>) =>
    obtainHarnessCeiling({
      enabled: true,
      key: async () => key,
      cache,
      measure:
        measure ??
        (async (k) => {
          calls.push(k);
          return measuredAt(k, clock.nowMs, 5000 + calls.length);
        }),
      timeoutMs: 10_000,
    });
  return { directory, clock, cache, calls, obtain };
}

describe("the harness-ceiling calibration cache", () => {
  test("measures once, then reuses the calibration while it is fresh, and measures again after", async (t) => {
    const { clock, calls, obtain } = await setUp(t);
    const first = await obtain(KEY);
    assert.equal(first.status, "measured");
    assert.equal(first.status === "measured" && first.source, "fresh");
    assert.equal(calls.length, 1);

    clock.nowMs = START_MS + DAY_MS - 1;
    const second = await obtain(KEY);
    assert.equal(calls.length, 1, "no second measurement within 24 h");
    assert.equal(second.status === "measured" && second.source, "cached");
    assert.equal(second.status === "measured" && second.measuredAt, new Date(START_MS).toISOString());
    assert.equal(second.status === "measured" && second.referenceWebhookPerSecond, 5001);

    clock.nowMs = START_MS + DAY_MS;
    const third = await obtain(KEY);
    assert.equal(calls.length, 2, "measured again once 24 h have passed");
    assert.equal(third.status === "measured" && third.source, "fresh");
    assert.equal(third.status === "measured" && third.referenceWebhookPerSecond, 5002);
  });

  test("another commit, host or CPU is another calibration", async (t) => {
    const { calls, obtain } = await setUp(t);
    await obtain(KEY);
    await obtain({ ...KEY, commit: "def456" });
    await obtain({ ...KEY, host: "other" });
    await obtain({ ...KEY, cpuModel: "Other CPU" });
    assert.equal(calls.length, 4);
    await obtain(KEY);
    assert.equal(calls.length, 4, "the first is still cached");
  });

  test("uncommitted changes or an unknown commit are measured every time and never cached", async (t) => {
    const { calls, obtain, directory } = await setUp(t);
    await obtain({ ...KEY, dirty: true });
    await obtain({ ...KEY, dirty: true });
    await obtain({ ...KEY, commit: "unknown" });
    await obtain({ ...KEY, commit: "unknown" });
    assert.equal(calls.length, 4);
    assert.deepEqual(await readdir(directory), []);
  });

  test("a calibration stamped in the future (a clock that went back) is not reused", async (t) => {
    const { clock, calls, obtain } = await setUp(t);
    await obtain(KEY);
    clock.nowMs = START_MS - 1;
    await obtain(KEY);
    assert.equal(calls.length, 2);
  });

  test("a corrupt cache file is no calibration, and is replaced", async (t) => {
    const { cache, calls, obtain } = await setUp(t);
    await obtain(KEY);
    await writeFile(cache.fileOf(KEY), "{ not json");
    const again = await obtain(KEY);
    assert.equal(calls.length, 2);
    assert.equal(again.status === "measured" && again.source, "fresh");
    assert.equal((await obtain(KEY)).status === "measured" && calls.length, 2);
  });

  test("a failing or too slow measurement is 'not measured' with the reason, never a throw", async (t) => {
    const { obtain, directory } = await setUp(t);
    const failed = await obtain(KEY, async () => {
      throw new Error("the bot did not start");
    });
    assert.deepEqual(failed, { status: "not-measured", reason: "calibration failed: the bot did not start" });
    const slow = await obtainHarnessCeiling({
      enabled: true,
      key: async () => KEY,
      cache: new CeilingCache({ directory, maxAgeMs: DAY_MS }),
      measure: (_key, signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
      timeoutMs: 20,
    });
    assert.equal(slow.status, "not-measured");
    assert.match(
      slow.status === "not-measured" ? slow.reason : "",
      /calibration failed: not done in 0\.02 s/,
    );
  });

  test("switched off, nothing is measured or read", async (t) => {
    const { calls, cache } = await setUp(t);
    const off = await obtainHarnessCeiling({
      enabled: false,
      key: async () => KEY,
      cache,
      measure: async (k) => {
        calls.push(k);
        return measuredAt(k, START_MS, 1);
      },
      timeoutMs: 1000,
    });
    assert.deepEqual(off, { status: "not-measured", reason: "calibration skipped (--no-calibrate)" });
    assert.equal(calls.length, 0);
  });
});
