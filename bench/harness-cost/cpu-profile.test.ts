import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CpuProfile, topSelfTime } from "./cpu-profile.ts";

/** Samples 1 ms apart from t = 1000 µs: idle, a, a, b, a, (program). */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
    { id: 2, callFrame: { functionName: "a", url: "file:///repo/src/a.ts", lineNumber: 0 } },
    { id: 3, callFrame: { functionName: "", url: "node:internal/timers", lineNumber: 503 } },
    { id: 4, callFrame: { functionName: "(program)", url: "", lineNumber: -1 } },
    { id: 5, callFrame: { functionName: "a", url: "file:///repo/src/a.ts", lineNumber: 0 } },
  ],
  startTime: 0,
  endTime: 7_000,
  samples: [1, 2, 5, 3, 2, 4],
  timeDeltas: [1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
};

describe("topSelfTime", () => {
  it("sums self time per function and place, idle apart, largest first", () => {
    const summary = topSelfTime(PROFILE, { root: "/repo/" });
    assert.equal(summary.windowed, false);
    assert.equal(summary.idleMs, 1);
    assert.equal(summary.totalMs, 5);
    assert.deepEqual(
      summary.rows.map((r) => [r.name, r.location, r.selfMs]),
      [
        ["a", "src/a.ts", 3],
        ["(anonymous)", "node:internal/timers:504", 1],
        ["(program)", "", 1],
      ],
    );
    assert.equal(summary.rows[0]?.share, 3 / 5);
  });

  it("keeps only samples inside the window, and falls back to the whole profile when none is", () => {
    const cut = topSelfTime(PROFILE, { window: { startUs: 3_500, endUs: 5_500 } });
    assert.ok(cut.windowed);
    assert.deepEqual(
      cut.rows.map((r) => r.name),
      ["(anonymous)", "a"],
    );
    const outside = topSelfTime(PROFILE, { window: { startUs: 50_000, endUs: 60_000 } });
    assert.equal(outside.windowed, false);
    assert.equal(outside.totalMs, 5);
  });

  it("keeps the limit", () => {
    assert.equal(topSelfTime(PROFILE, { limit: 1 }).rows.length, 1);
  });
});
