/**
 * Cells a scenario lets run together (`concurrency`): they run first, several at a time, the
 * others one after another; the report keeps the sweep's order, and each cell measures the length
 * its rate is given (`cellDuration`).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RunnerEvent } from "./events.ts";
import { registerReferenceBot } from "./reference-bot-for-tests.ts";
import { runScenario } from "./run.ts";
import { resolveScenario } from "./scenario.ts";

registerReferenceBot();

describe("cells that run together", () => {
  test("the idle cells overlap, the busy one runs alone after them; the report keeps the sweep's order", async () => {
    const scenario = resolveScenario({
      bots: ["reference"],
      modes: ["long-polling", "webhook"],
      ratesPerSecond: [0.5, 40],
      arrival: "constant",
      cellDuration: { updatesPerCell: 40, minMs: 500, maxMs: 2_000 },
      concurrency: { maxRatePerSecond: 1, cells: 2 },
      // Ends before the webhook cell at 40/s: only the two idle cells may run together.
      excludeCells: [{ modes: ["webhook"], ratesPerSecond: [40] }],
      warmupUpdates: 1,
      drainTimeoutMs: 60_000,
      startupTimeoutMs: 60_000,
      users: 5,
      groups: 1,
    });
    const events: Array<Extract<RunnerEvent, { type: "cell-start" | "cell-end" }>> = [];
    const report = await runScenario(scenario, {
      toolVersion: "test",
      emit: (e) => {
        if (e.type === "cell-start" || e.type === "cell-end") events.push(e);
      },
    });
    assert.deepEqual(
      report.cells.map((c) => `${c.mode} ${c.ratePerSecond} ${c.status}`),
      ["long-polling 0.5 ran", "long-polling 40 ran", "webhook 0.5 ran"],
    );
    assert.equal(report.partial, false);
    const order = events.map((e) => `${e.type} ${e.cell.mode} ${e.cell.ratePerSecond}`);
    // Both idle cells start before either ends; the busy cell starts after both ended.
    const at = (entry: string) => order.indexOf(entry);
    const firstEnd = Math.min(at("cell-end long-polling 0.5"), at("cell-end webhook 0.5"));
    assert.ok(at("cell-start long-polling 0.5") < firstEnd, order.join("\n"));
    assert.ok(at("cell-start webhook 0.5") < firstEnd, order.join("\n"));
    assert.ok(at("cell-start long-polling 40") > at("cell-end long-polling 0.5"), order.join("\n"));
    assert.ok(at("cell-start long-polling 40") > at("cell-end webhook 0.5"), order.join("\n"));
    // Each cell measured the length the rule gives its rate: 1 s for 40 updates at 40/s, the
    // shortest (0.5 s) where 40 updates would take 80 s.
    assert.deepEqual(
      report.cells.map((c) => c.trials[0]!.window.windowMs),
      [500, 1_000, 500],
    );
    assert.equal(report.cells[1]!.trials[0]!.ledger.generated, 40);
  });
});
