import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { networkPreset } from "../network/index.ts";
import { fixtureTrial } from "../report/report-fixtures.ts";
import type { RunnerEvent } from "../runner/events.ts";
import type { Cell } from "../runner/scenario.ts";
import { formatClock, ProgressDisplay } from "./progress.ts";

const cell: Cell = {
  subject: { name: "aiogram", builtIn: undefined, command: "x", modes: ["polling"] },
  mode: "long-polling",
  ratePerSecond: 20,
  network: networkPreset("loopback"),
};

function display() {
  const out = new PassThrough();
  let text = "";
  out.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  let nowMs = 0;
  const progress = new ProgressDisplay(out, () => nowMs);
  return {
    progress,
    advance: (ms: number) => {
      nowMs += ms;
    },
    text: () => text,
  };
}

describe("progress display", () => {
  test("formats a clock", () => {
    assert.equal(formatClock(0), "0:00");
    assert.equal(formatClock(62_400), "1:02");
    assert.equal(formatClock(3_723_000), "1:02:03");
  });

  test("shows elapsed time, then an estimate of the time left from the cells so far", () => {
    const d = display();
    const event = (index: number): RunnerEvent => ({ type: "cell-start", cell, index, total: 4 });
    d.progress.print(event(0));
    d.advance(10_000);
    d.progress.print({ type: "cell-end", cell, index: 0, total: 4, result: undefined as never });
    d.progress.print(event(1));
    assert.match(d.text(), /^\[1\/4 · 0:00 elapsed\] aiogram · long-polling · 20\/s …$/m);
    assert.match(d.text(), /^\[2\/4 · 0:10 elapsed · ~0:30 left\] aiogram/m);
  });

  test("cells that ran together: the estimate uses the cells that ran alone, and trials name their cell", () => {
    const d = display();
    const other: Cell = { ...cell, mode: "webhook" };
    d.progress.print({ type: "cell-start", cell, index: 0, total: 4 });
    d.progress.print({ type: "cell-start", cell: other, index: 1, total: 4 });
    d.advance(60_000);
    const kept = fixtureTrial("long-polling", 20, { generated: 80 });
    d.progress.print({ type: "trial-end", cell, trial: 1, result: kept, failures: [] });
    d.progress.print({ type: "cell-end", cell, index: 0, total: 4, result: undefined as never });
    d.progress.print({ type: "cell-end", cell: other, index: 1, total: 4, result: undefined as never });
    d.progress.print({ type: "cell-start", cell, index: 2, total: 4 });
    assert.match(
      d.text(),
      /^\[3\/4 · 1:00 elapsed · ~2:00 left\]/m,
      "no cell ran alone yet: every cell's mean",
    );
    assert.match(d.text(), /^ {4}aiogram · long-polling · 20\/s: trial 1: 80\/80 answered/m);
    d.advance(5_000);
    d.progress.print({ type: "cell-end", cell, index: 2, total: 4, result: undefined as never });
    d.progress.print({ type: "cell-start", cell, index: 3, total: 4 });
    assert.match(d.text(), /^\[4\/4 · 1:05 elapsed · ~0:05 left\]/m, "the cell that ran alone: 5 s");
  });

  test("a trial that answered everything late says it did not keep up, not ok", () => {
    const d = display();
    const behind = fixtureTrial("long-polling", 20, { generated: 590, answered: 500 });
    d.progress.print({ type: "trial-end", cell, trial: 1, result: behind, failures: [] });
    const kept = fixtureTrial("long-polling", 20, { generated: 80 });
    d.progress.print({ type: "trial-end", cell, trial: 2, result: kept, failures: [] });
    assert.match(d.text(), /trial 1: 500\/590 answered, .*did not keep up \(90 of 590 unanswered\)$/m);
    assert.match(d.text(), /trial 2: 80\/80 answered, .*kept up$/m);
    assert.doesNotMatch(d.text(), /\bok\b/);
  });
});
