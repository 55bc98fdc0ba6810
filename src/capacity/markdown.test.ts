import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { concurrencyVerdict } from "./concurrency.ts";
import { analyseSteps, HARNESS_BOUND_DEFINITION, KNEE_DEFINITION, type OpenLoopStep } from "./knee.ts";
import { renderSaturateMarkdown } from "./markdown.ts";
import type { SaturateResult } from "./saturate.ts";

const step = (rate: number, p50Ms: number, keptUp = true): OpenLoopStep => ({
  kind: "open-loop",
  targetPerSecond: rate,
  offeredPerSecond: rate,
  answeredPerSecond: rate,
  keptUp,
  p50Us: p50Ms * 1000,
  p99Us: p50Ms * 4000,
  generatorLatenessP50Us: 100,
  harnessCpuShare: 0.4,
  harnessBound: false,
});

function result(): SaturateResult {
  const steps = [step(500, 1), step(1000, 1.1), step(2000, 9), step(3000, 400, false)];
  const a = analyseSteps(steps, 3, false);
  return {
    schema: "tgbench/saturate@2",
    startedAt: "2026-12-01T00:00:00.000Z",
    bot: "grammy",
    mode: "webhook",
    handlerDelayMs: 0,
    options: { durationMs: 3000, maxRatePerSecond: "auto", connections: 40, prefillUpdates: 2000 },
    closedLoop: {
      kind: "closed-loop",
      connections: 40,
      durationMs: 3000,
      requests: 12_000,
      responses2xx: 12_000,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      requestsPerSecond: 4_000,
      replies: 12_000,
      repliesPerSecond: 3_990,
      unanswered: 0,
      unmatchedReplies: 0,
      duplicateReplies: 0,
      latencyMs: { p50: 8, p99: 30, max: 60, mean: 9 },
    },
    openLoop: { plannedPerSecond: [500, 1000, 2000, 3000, 4000], steps, marks: a.marks, floorUs: a.floorUs },
    knee: {
      definition: KNEE_DEFINITION,
      harnessBoundDefinition: HARNESS_BOUND_DEFINITION,
      factor: 3,
      end: a.end,
      atPerSecond: 2000,
      highestSustainedPerSecond: a.highestSustainedPerSecond,
    },
    concurrency: concurrencyVerdict({
      mode: "webhook",
      handlerDelayMs: 0,
      measuredPerSecond: 3_990,
      connections: 40,
    }),
  };
}

describe("renderSaturateMarkdown", () => {
  test("puts the closed loop's and the open loop's figures side by side, each labelled", () => {
    const md = renderSaturateMarkdown(result());
    const lines = md.split("\n");
    const header = lines.indexOf("| | closed loop | open loop |");
    assert.ok(header > 0, md);
    const rates = lines.find((l) => l.startsWith("| updates/s |"));
    assert.equal(
      rates,
      "| updates/s | 3990.0 replies/s (capacity) | 1000.0/s highest sustained on the floor; knee 2000.0/s (knee) |",
    );
    assert.ok(lines.indexOf("## Closed loop") > header);
    assert.ok(lines.indexOf("## Open loop") > lines.indexOf("## Closed loop"));
  });

  test("says where the knee is, why, and which step confirmed it", () => {
    const md = renderSaturateMarkdown(result());
    assert.match(
      md,
      /Knee at 2000\.0\/s \(p50 9\.00 ms > 3 × floor 1\.00 ms; confirmed by the step at 3000\.0\/s\)/,
    );
    assert.match(
      md,
      /\| 3000\.0 \| 3000\.0 \| no \| 400\.00 \| 1600\.00 \| 0\.10 \| 40 % \| no: did not keep up \|/,
    );
  });
});
