/**
 * A few cells of `npm run bench:model` through the real runner, with tolerances wide enough for
 * a loaded machine: the anti-busy-loop rule's effect on short polling, long polling's wait, and a
 * webhook past its ceiling. The benchmark itself (bench/model-agreement.ts) holds the issue's
 * targets; this checks that the pieces still fit together and that the model still describes
 * what the runner measures, in broad strokes.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { registerBench } from "../index.ts";
import { TEST_GRID } from "./grid.ts";
import { gridAgreement } from "./grid-agreement.ts";
import { runGrid } from "./run-grid.ts";

registerBench();

describe("the model against the runner, on three cells of the grid", () => {
  test("short polling under the anti-busy-loop rule, long polling, a webhook past its ceiling", async () => {
    const results = await runGrid(TEST_GRID, { maxConcurrent: 1, seed: "grid-test" });
    assert.equal(results.length, TEST_GRID.length);
    const { rows } = gridAgreement(results, { notes: [], apply: (input) => input });
    const figure = (cell: string, name: string) => {
      const row = rows.find((r) => r.cell === cell && r.figure === name);
      assert.ok(row !== undefined, `${cell}: ${name}`);
      return row;
    };

    // Telegram's rule holds a repeated poll (same offset, < 0.5 s) until an update comes, so only
    // the poll right after an answer can come back empty: e^(−λT) / (1 + e^(−λT)) ≈ 27% of polls,
    // not the 37% of e^(−λT) that polls answered at once would give.
    const empty = figure("short T=0.1s λT=1 abl", "empty share");
    assert.ok(Math.abs(empty.difference) <= Math.max(0.15, 4 * empty.standardError), JSON.stringify(empty));
    assert.ok(empty.measured < Math.exp(-1) - 0.05, `the rule's holds show: ${empty.measured}`);
    assert.ok(empty.measured > 0.1, `an answer's next poll still comes back empty: ${empty.measured}`);

    // A parked long poll hands an update over within milliseconds.
    const wait = figure("long τ=5s λ=2 abl", "delivery wait, mean (ms)");
    assert.ok(Math.abs(wait.difference) <= Math.max(20, 0.5 * wait.model), JSON.stringify(wait));

    // Past its ceiling a webhook with one connection answers no faster than one POST at a time
    // (a slower machine only lowers it), and waits grow through the trial.
    const ceiling = figure("webhook mc=1 h=50 λ=30", "throughput ceiling (/s)");
    assert.ok(ceiling.measured <= ceiling.model * 1.1, JSON.stringify(ceiling));
    assert.ok(ceiling.measured >= ceiling.model * 0.5, JSON.stringify(ceiling));
    const overloaded = figure("webhook mc=1 h=50 λ=30", "delivery wait, mean (ms)");
    assert.ok(overloaded.measured > 500 && overloaded.model > 500, JSON.stringify(overloaded));
  });
});
