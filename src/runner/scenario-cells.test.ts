import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cellDurationMs, plannedCellCount } from "../results/index.ts";
import { cellsOf, resolveScenario, ScenarioError } from "./scenario.ts";

const base = {
  botCommands: ["a=true", "b=true"],
  modes: ["short-polling", "long-polling", "webhook"],
  ratesPerSecond: [1 / 60, 50, 200],
};
const rule = { updatesPerCell: 120, minMs: 2_000, maxMs: 10_000 };

describe("a cell's length sized to its rate", () => {
  test("long enough for the updates, at least the shortest; a rate that needs more than the longest runs the shortest", () => {
    const scenario = resolveScenario({ ...base, cellDuration: rule });
    assert.deepEqual(scenario.cellDuration, rule);
    assert.equal(cellDurationMs(scenario, 50), 2_400);
    assert.equal(cellDurationMs(scenario, 200), 2_000, "0.6 s would do: the shortest");
    assert.equal(cellDurationMs(scenario, 20), 6_000);
    assert.equal(cellDurationMs(scenario, 13), 9_300, "rounded up to a tenth of a second");
    assert.equal(cellDurationMs(scenario, 1 / 60), 2_000, "2 hours for 120 updates: the shortest");
    assert.equal(cellDurationMs(scenario, 11.9), 2_000, "10.1 s is past the longest");
  });

  test("a duration given is every cell's, and the rule is not used (--duration, --quick)", () => {
    const scenario = resolveScenario({ ...base, cellDuration: rule, durationMs: 3_000 });
    assert.equal(scenario.cellDuration, null);
    for (const rate of base.ratesPerSecond) assert.equal(cellDurationMs(scenario, rate), 3_000);
    assert.equal(cellDurationMs(resolveScenario(base), 50), 5_000, "neither: the runner's default");
  });

  test("a rule that cannot hold is a scenario error", () => {
    for (const [bad, message] of [
      [{ ...rule, minMs: 20_000 }, /shortest cell \(20000 ms\) is longer than the longest/],
      [{ ...rule, updatesPerCell: 0 }, /updates per cell must be an integer/],
      [{ ...rule, maxMs: -1 }, /longest cell \(ms\) must be a number/],
    ] as const) {
      assert.throws(
        () => resolveScenario({ ...base, cellDuration: bad }),
        (e: unknown) => e instanceof ScenarioError && message.test(e.message),
      );
    }
  });
});

describe("cells a scenario leaves out", () => {
  test("a filter drops the cells matching every field it gives; the count of planned cells agrees", () => {
    const scenario = resolveScenario({
      ...base,
      network: { networks: ["loopback", "continent"] },
      excludeCells: [
        { bots: ["b"], modes: ["short-polling"] },
        { ratesPerSecond: [200], networks: ["continent"] },
      ],
    });
    const cells = cellsOf(scenario).map(
      (c) => `${c.subject.name} ${c.mode} ${c.ratePerSecond} ${c.network.name}`,
    );
    assert.equal(cells.length, 2 * 3 * 3 * 2 - 6 - 5);
    assert.ok(!cells.some((c) => c.startsWith("b short-polling")));
    assert.ok(!cells.some((c) => c.includes(" 200 continent")));
    assert.ok(cells.includes("a short-polling 200 loopback"));
    assert.equal(plannedCellCount(scenario), cells.length);
  });

  test("an unknown mode in a filter is a scenario error", () => {
    assert.throws(
      () => resolveScenario({ ...base, excludeCells: [{ modes: ["carrier-pigeon" as never] }] }),
      (e: unknown) =>
        e instanceof ScenarioError && /unknown mode "carrier-pigeon" in excludeCells/.test(e.message),
    );
  });

  test("cells run one at a time unless the scenario says which may run together", () => {
    assert.equal(resolveScenario(base).concurrency, null);
    const together = { maxRatePerSecond: 1, cells: 8 };
    assert.deepEqual(resolveScenario({ ...base, concurrency: together }).concurrency, together);
    assert.throws(
      () => resolveScenario({ ...base, concurrency: { maxRatePerSecond: 1, cells: 0 } }),
      (e: unknown) => e instanceof ScenarioError && /concurrent cells must be an integer/.test(e.message),
    );
  });
});
