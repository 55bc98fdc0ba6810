import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderMicroJson, renderMicroMarkdown, renderMicroTable } from "./render.ts";
import { type MicroBudget, runMicroSuites } from "./runner.ts";
import { MICRO_SUITES } from "./suites.ts";

/** The least a run can be: one sample per task, no warm-up. Figures are not looked at. */
const SMOKE: MicroBudget = { timeMs: 1, warmupMs: 0, minSamples: 1 };
/** Not a performance bound: a suite that hangs fails with its name instead of stalling the file. */
const HANG_GUARD_MS = 120_000;

describe("micro-benchmark suites", () => {
  it("have unique names", async () => {
    assert.equal(new Set(MICRO_SUITES.map((s) => s.name)).size, MICRO_SUITES.length);
  });

  for (const suite of MICRO_SUITES) {
    it(`${suite.name}: every task runs and yields a result`, { timeout: HANG_GUARD_MS }, async () => {
      const rows = await runMicroSuites([suite], SMOKE);
      assert.ok(rows.length > 0, "a suite has tasks");
      assert.equal(new Set(rows.map((r) => r.task)).size, rows.length, "task names are unique");
      for (const row of rows) {
        assert.equal(row.error, undefined, `${row.task} failed: ${row.error}`);
        assert.ok(row.samples >= 1, `${row.task} has samples`);
        assert.ok(Number.isFinite(row.meanUs) && row.meanUs >= 0, `${row.task} has a mean`);
      }
    });
  }

  it("a task that throws is a failed row, not a crash, and the suite is still torn down", async () => {
    let tornDown = false;
    const rows = await runMicroSuites(
      [
        {
          name: "broken",
          description: "fails on purpose",
          build: () => ({
            tasks: [
              {
                name: "throws",
                run: () => {
                  throw new Error("boom");
                },
              },
              { name: "fine", batch: 10, run: () => 1 + 1 },
            ],
            teardown: () => {
              tornDown = true;
            },
          }),
        },
      ],
      SMOKE,
    );
    assert.equal(rows[0]?.error, "boom");
    assert.equal(rows[1]?.error, undefined);
    assert.ok(tornDown);
    const context = {
      startedAt: "2025-01-01T00:00:00.000Z",
      durationMs: 1,
      budget: SMOKE,
      node: "20",
      cpu: "cpu",
      cores: 2,
      loadAverage: { before: 0, after: 0 },
      filter: [],
    };
    assert.match(renderMicroTable(rows), /broken › throws\s+FAILED: boom/);
    assert.match(renderMicroMarkdown(rows, context), /\| broken › fine \[×10\] \|/);
    assert.equal(JSON.parse(renderMicroJson(rows, context)).tasks[0].meanUs, null);
  });
});
