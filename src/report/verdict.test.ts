import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CellResult, ModeName, Report } from "../results/index.ts";
import { summarizeCell } from "./cell-summary.ts";
import {
  botExitedOutcome,
  fixtureCell,
  fixtureReport,
  fixtureTrial,
  realisticReport,
  startFailure,
  type TrialShape,
} from "./report-fixtures.ts";
import { compareModes, computeVerdict } from "./verdict.ts";

/** A cell with one trial of the given shape. */
const cell = (bot: string, mode: ModeName, rate: number, shape: TrialShape = {}): CellResult =>
  fixtureCell(bot, mode, rate, [fixtureTrial(mode, rate, shape)]);

const unsupported = (bot: string, mode: ModeName, rate: number) =>
  fixtureCell(bot, mode, rate, [], { kind: "mode-not-supported", message: `${bot} cannot ${mode}` });

/** Three modes of one bot at one rate: short polling slow and wasteful, webhook fastest. */
const threeModes = (bot: string, rate: number, empty = 3): CellResult[] => [
  cell(bot, "short-polling", rate, { p50Us: 500_000, emptyGetUpdates: empty, getUpdates: 4 + empty }),
  cell(bot, "long-polling", rate, { p50Us: 4_000 }),
  cell(bot, "webhook", rate, { p50Us: 2_000 }),
];

interface Case {
  name: string;
  report: Report;
  headline: RegExp[];
  notHeadline?: RegExp[];
  caveats?: RegExp[];
  rates?: RegExp[];
}

const CASES: Case[] = [
  {
    name: "three modes at one rate: empty polls, webhook none and fastest, with the ratio from the data",
    report: fixtureReport(threeModes("bot", 1)),
    // 3 empty polls in 1 × 4 updates → 3 × 3600 / 4 = 2700 per hour; p99 8 ms vs 4 ms → 2×.
    headline: [
      /^At 1 update\/s, short polling sent 2700 empty requests per hour; webhook sent none and answered 2× faster at p99 than long polling \(4 ms vs 8 ms\)\.$/,
    ],
    rates: [/and 250× faster than short polling \(4 ms vs 1 s\)/],
  },
  {
    name: "the empty-poll figure follows the measurement",
    report: fixtureReport(threeModes("bot", 1, 1)),
    headline: [/short polling sent 900 empty requests per hour/],
  },
  {
    name: "modes within 10% are called about as fast",
    report: fixtureReport([
      cell("bot", "long-polling", 20, { p50Us: 2_100 }),
      cell("bot", "webhook", 20, { p50Us: 2_000 }),
    ]),
    headline: [
      /webhook and long polling were about as fast at p99 \(4 ms vs 4\.2 ms\)/,
      /no getUpdates came back empty/,
    ],
    notHeadline: [/webhook sent none/, /faster/],
  },
  {
    name: "long polling can win, and the headline says so",
    report: fixtureReport([
      cell("bot", "long-polling", 20, { p50Us: 1_000 }),
      cell("bot", "webhook", 20, { p50Us: 3_000 }),
    ]),
    headline: [/long polling answered 3× faster at p99 than webhook \(2 ms vs 6 ms\)/],
  },
  {
    name: "a single-mode run says there is nothing to compare",
    report: fixtureReport([cell("bot", "webhook", 5), cell("bot", "webhook", 50)]),
    headline: [
      /^At 5 updates\/s, only webhook ran with p99 4 ms\. To choose between modes, measure a second mode/,
    ],
  },
  {
    name: "polling only: no webhook clause",
    report: fixtureReport([
      cell("bot", "short-polling", 1, { p50Us: 500_000, emptyGetUpdates: 2, getUpdates: 6 }),
      cell("bot", "long-polling", 1, { p50Us: 4_000 }),
    ]),
    headline: [/short polling sent 1800 empty requests per hour; long polling answered 125× faster/],
    notHeadline: [/webhook/],
  },
  {
    name: "several rates: which mode had the lowest p99 at each",
    report: fixtureReport([
      ...threeModes("bot", 1),
      cell("bot", "long-polling", 100, { p50Us: 1_000 }),
      cell("bot", "webhook", 100, { p50Us: 5_000 }),
    ]),
    headline: [/Lowest p99 latency: webhook at 1 update\/s; long polling at 100 updates\/s\.$/],
  },
  {
    name: "the same winner everywhere is said once",
    report: fixtureReport([...threeModes("bot", 1), ...threeModes("bot", 20), ...threeModes("bot", 200)]),
    headline: [/Lowest p99 latency: webhook at every rate compared \(1, 20 and 200 updates\/s\)\.$/],
  },
  {
    name: "unsupported cells are named as not run, not as failures",
    report: fixtureReport([
      ...threeModes("a", 1),
      cell("b", "long-polling", 1),
      unsupported("b", "short-polling", 1),
      unsupported("b", "short-polling", 20),
    ]),
    headline: [/^At 1 update\/s/],
    caveats: [/^Not run: b in short polling at 1 and 20 updates\/s: b cannot short-polling\.$/],
  },
  {
    name: "a bot that failed to start is left out and named",
    report: fixtureReport([
      ...threeModes("a", 1),
      fixtureCell("b", "webhook", 1, [], startFailure("exited with code 3", "stack")),
    ]),
    headline: [/webhook sent none and answered 2× faster/],
    caveats: [
      /^1 cell failed and is left out: b · webhook · 1\/s \(bot failed to start: exited with code 3\)\.$/,
    ],
  },
  {
    name: "a failed trial is left out of the figures",
    report: fixtureReport([
      cell("a", "long-polling", 10, { p50Us: 4_000 }),
      fixtureCell("a", "webhook", 10, [
        fixtureTrial("webhook", 10, { trial: 1, p50Us: 2_000 }),
        fixtureTrial("webhook", 10, { trial: 2, p50Us: 90_000, outcome: botExitedOutcome("bot exited") }),
      ]),
    ]),
    headline: [/webhook answered 2× faster at p99 than long polling \(4 ms vs 8 ms\)/],
    caveats: [/^Failed trials are left out of the figures: a · webhook · 10\/s \(1 of 2\)\.$/],
  },
  {
    name: "a partial run says how many cells ran",
    report: (() => {
      const r = fixtureReport([cell("a", "long-polling", 10), cell("a", "webhook", 10)], { partial: true });
      r.scenario.ratesPerSecond = [10, 100];
      r.scenario.modes = ["short-polling", "long-polling", "webhook"];
      return r;
    })(),
    headline: [/^At 10 updates\/s/],
    caveats: [
      /^The run was interrupted, or had not finished when this was written: 2 of 6 cells ran; the verdict covers those\.$/,
    ],
  },
  {
    name: "a cell interrupted before its first trial is not called a failure",
    report: fixtureReport([cell("a", "webhook", 10), fixtureCell("a", "long-polling", 10, [])], {
      partial: true,
    }),
    headline: [/only webhook ran/],
    caveats: [/^Interrupted before a trial finished: a · long-polling · 10\/s\.$/],
  },
  {
    name: "cells without an answered update ask for a longer run",
    report: fixtureReport([
      cell("a", "webhook", 1, { generated: 0 }),
      cell("a", "long-polling", 1, { generated: 0 }),
      cell("a", "webhook", 20),
      cell("a", "long-polling", 20, { p50Us: 5_000 }),
    ]),
    headline: [/^At 20 updates\/s, no getUpdates came back empty; webhook answered 2\.5× faster/],
    caveats: [/^No update was answered in 2 cells at 1 update\/s: .* longer --duration\.$/],
  },
  {
    name: "nothing measured",
    report: fixtureReport([
      unsupported("a", "short-polling", 1),
      fixtureCell("a", "webhook", 1, [], startFailure("no")),
    ]),
    headline: [/^Nothing was measured: 1 cell unsupported, 1 cell failed\.$/],
  },
  {
    name: "an empty report",
    report: fixtureReport([]),
    headline: [/^Nothing was measured: the report has no cells\.$/],
  },
  {
    name: "an unbalanced ledger is a caveat",
    report: fixtureReport([
      cell("a", "webhook", 10, { generated: 40, answered: 38, lost: 2 }),
      cell("a", "long-polling", 10),
    ]),
    headline: [/^At 10 updates\/s/],
    caveats: [
      /^The ledger did not balance \(updates lost or counted twice\) in a · webhook · 10\/s \(1 trial\)\.$/,
    ],
  },
  {
    name: "a cell that fell behind is named with how far",
    report: fixtureReport([
      cell("a", "short-polling", 200, { p50Us: 900_000, generated: 800, answered: 700 }),
      cell("a", "webhook", 200, { generated: 800 }),
    ]),
    headline: [/webhook answered/],
    rates: [/Did not keep up: a in short polling \(700 of 800 answered\)\./],
  },
  {
    name: "one trial per cell is flagged when modes are compared",
    report: fixtureReport(threeModes("a", 1)),
    headline: [/./],
    caveats: [/^Each cell ran once: small differences may be noise/],
  },
];

describe("computeVerdict", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const verdict = computeVerdict(c.report);
      for (const re of c.headline) assert.match(verdict.headline, re);
      for (const re of c.notHeadline ?? []) assert.doesNotMatch(verdict.headline, re);
      for (const re of c.caveats ?? []) {
        assert.ok(
          verdict.caveats.some((x) => re.test(x)),
          `no caveat matches ${re}:\n${verdict.caveats.join("\n")}`,
        );
      }
      for (const re of c.rates ?? []) {
        assert.ok(
          verdict.rates.some((r) => re.test(r.text)),
          `no rate text matches ${re}:\n${verdict.rates.map((r) => r.text).join("\n")}`,
        );
      }
    });
  }

  test("the realistic report's verdict leads with the lowest rate and lists every rate", () => {
    const verdict = computeVerdict(realisticReport());
    assert.equal(verdict.leadRate, 1);
    assert.deepEqual(
      verdict.rates.map((r) => r.ratePerSecond),
      [1, 20, 200],
    );
    assert.ok(verdict.rates.every((r) => r.fastest === "webhook"));
    assert.match(
      verdict.headline,
      /^At 1 update\/s, short polling sent \d+ empty requests per hour; webhook sent none/,
    );
  });

  test("bot CPU is compared only where every figure is exact", () => {
    const exact = fixtureReport([
      cell("a", "long-polling", 100, { generated: 400, botCpuMs: 800 }),
      cell("a", "webhook", 100, { generated: 400, botCpuMs: 400 }),
    ]);
    const [rate] = computeVerdict(exact).rates;
    assert.equal(rate?.cpu?.worse, "long-polling");
    assert.match(
      rate?.text ?? "",
      /Bot CPU per update: long polling used 2× as much as webhook \(2 ms vs 1 ms\)\./,
    );
    const coarse = fixtureReport([
      cell("a", "long-polling", 10, { generated: 40, botCpuMs: 80 }),
      cell("a", "webhook", 10, { generated: 40, botCpuMs: 20 }),
    ]);
    assert.equal(computeVerdict(coarse).rates[0]?.cpu, null, "under ten clock ticks: not compared");
  });
});

describe("compareModes", () => {
  test("compares modes on the bots measured in both only", () => {
    // "fast" runs only in webhook: it must not make webhook look faster than long polling.
    const cells = [
      cell("slow", "long-polling", 10, { p50Us: 10_000 }),
      cell("slow", "webhook", 10, { p50Us: 12_000 }),
      cell("fast", "webhook", 10, { p50Us: 100 }),
    ].map(summarizeCell);
    const c = compareModes("webhook", "long-polling", cells, (s) => s.latency.p99Us);
    assert.equal(c?.better, "long-polling");
    assert.equal(c?.bots, 1);
    assert.ok(
      Math.abs(c!.ratio - 1.2) < 0.003,
      `12 / 10 ms, at the histograms' 0.1 % resolution: ${c?.ratio}`,
    );
  });

  test("is null without a shared bot", () => {
    const cells = [cell("a", "long-polling", 10), cell("b", "webhook", 10)].map(summarizeCell);
    assert.equal(
      compareModes("webhook", "long-polling", cells, (s) => s.latency.p99Us),
      null,
    );
  });
});
