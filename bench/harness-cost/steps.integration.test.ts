import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runProcess } from "../../src/testing/index.ts";
import { type StepResult, type StepSide, stepArgs, stepCommand, stepScript } from "./step.ts";

/**
 * A short, slow step: what matters is that each side measures, not how fast it is. Whether it
 * kept up depends on the machine's speed, so it is not asserted; the drain ends as soon as every
 * update is answered, and its long bound only gives a loaded machine time.
 */
const SETTINGS = { ratePerSecond: 50, durationMs: 1_000, warmupUpdates: 20, drainTimeoutMs: 60_000 };

async function runStep(t: Parameters<typeof runProcess>[0], side: StepSide): Promise<StepResult> {
  const result = await runProcess(t, process.execPath, ["--import", "tsx", ...stepCommand(side, SETTINGS)]);
  assert.equal(result.code, 0, `${side} step failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "") as StepResult;
}

describe("harness-cost steps, each in its own process with the reference bot", () => {
  for (const side of ["floor", "precise-floor", "harness"] as const) {
    it(`the ${side} step answers every update and counts its own CPU`, async (t) => {
      const result = await runStep(t, side);
      assert.equal(result.failure, undefined);
      assert.equal(result.side, side);
      assert.equal(result.generated, 50);
      assert.equal(result.answered, 50);
      assert.ok(result.cpuMs > 0 && result.cpuUsPerUpdate !== null && result.cpuUsPerUpdate > 0);
      assert.ok(result.window !== null && result.window.endUs > result.window.startUs);
    });
  }

  it("a mistake in a step's arguments is one line on stderr and exit code 2, before anything starts", async (t) => {
    const floor = stepScript("floor");
    for (const extra of [
      ["--hand-over", "presice"],
      ["--duration-ms", "soon"],
    ]) {
      const result = await runProcess(t, process.execPath, [
        "--import",
        "tsx",
        floor,
        ...extra,
        ...stepArgs(SETTINGS),
      ]);
      assert.equal(result.code, 2, extra.join(" "));
      assert.equal(result.stdout, "");
      assert.match(result.stderr.trim(), /^harness-cost step: --(hand-over|duration-ms) must be [^\n]+$/);
    }
  });
});
