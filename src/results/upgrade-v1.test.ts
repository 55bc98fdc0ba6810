import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fixtureCell, fixtureReport, fixtureTrial } from "../report/report-fixtures.ts";
import { REPORT_SCHEMA } from "./run-report.ts";
import { REPORT_SCHEMA_V1, upgradeReportV1 } from "./upgrade-v1.ts";
import type { V2Cell } from "./upgrade-v2.ts";
import { v2Report } from "./v2-fixtures.ts";

/** An @1 report: the fixture in @2's shape, with its outcomes written back as @1's `error` and `skipped` texts. */
function v1Report(cells: Array<{ errors: Array<string | null>; skipped: string | null }>) {
  const report = v2Report(
    fixtureReport(cells.map((_, i) => fixtureCell(`b${i}`, "webhook", 5, [fixtureTrial("webhook", 5)]))),
  );
  return {
    ...report,
    schema: REPORT_SCHEMA_V1,
    cells: (report.cells as V2Cell[]).map((cell, i) => {
      const { status: _s, ...rest } = cell;
      const template = cell.trials[0]!;
      const { outcome: _o, ...figures } = template;
      const trials = cells[i]!.errors.map((error, t) => ({ ...figures, trial: t + 1, error }));
      return { ...rest, trials, skipped: cells[i]!.skipped };
    }),
  };
}

describe("upgradeReportV1", () => {
  test("turns @1's error and skipped texts into outcomes and statuses", () => {
    const upgraded = upgradeReportV1(
      v1Report([
        { errors: [null, null], skipped: null },
        { errors: [null, "cancelled"], skipped: null },
        { errors: ["the bot exited during the run\nTraceback\nValueError"], skipped: null },
        {
          errors: [null],
          skipped: "bot failed to start: b (webhook): exited (code 3)\n--- last stderr lines ---\nno",
        },
        { errors: [], skipped: "b cannot short-poll: its getUpdates timeout is fixed at 50 s" },
        { errors: [], skipped: "Python unavailable: no python3" },
      ]) as unknown as Record<string, unknown>,
    );
    assert.equal(upgraded.schema, REPORT_SCHEMA);
    const [ran, cancelled, exited, notStarted, fixed, noPython] = upgraded.cells;
    assert.equal(ran?.status, "ran");
    assert.deepEqual(
      ran?.trials.map((t) => t.outcome),
      [{ kind: "completed" }, { kind: "completed" }],
    );
    assert.equal(cancelled?.status, "ran");
    assert.deepEqual(cancelled?.trials[1]?.outcome, { kind: "cancelled" });
    assert.deepEqual(exited?.trials[0]?.outcome, {
      kind: "bot-exited",
      message: "the bot exited during the run",
      exit: null,
      stderrTail: "Traceback\nValueError",
    });
    assert.deepEqual(exited?.status === "failed" ? exited.reasons.map((r) => [r.kind, r.trial]) : [], [
      ["bot-exited", 1],
    ]);
    assert.deepEqual(notStarted?.status === "failed" ? notStarted.reasons : [], [
      { kind: "bot-failed-to-start", trial: 2, message: "b (webhook): exited (code 3)", stderrTail: "no" },
    ]);
    assert.deepEqual(fixed?.status === "unsupported" ? fixed.reason.kind : null, "poll-timeout-fixed");
    assert.deepEqual(noPython?.status === "unsupported" ? noPython.reason.kind : null, "runtime-unavailable");
    for (const cell of upgraded.cells) {
      assert.ok(!("skipped" in cell), "no @1 field is left");
      for (const t of cell.trials) assert.ok(!("error" in t));
    }
  });
});
