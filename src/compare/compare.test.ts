import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { botExitedOutcome, unsupported } from "../report/report-fixtures.ts";
import { compare } from "./compare.ts";
import { renderComparisonMarkdown } from "./markdown.ts";
import { CompareOptionsError, parseThresholds } from "./options.ts";
import {
  type CellIdentity,
  cellWith,
  makeCell,
  makeReport,
  makeTrial,
  makeTrials,
  NOISE_5,
  REFERENCE_WEBHOOK_50,
  spread,
  type TrialFigures,
} from "./test-helpers.ts";
import type { ComparisonResult, MetricComparison } from "./types.ts";

const P99_US = 20_000;

/** A one-cell report whose trials have these p99 values. */
const p99Report = (values: readonly number[], identity: CellIdentity = REFERENCE_WEBHOOK_50) =>
  makeReport([cellWith(identity, "p99Us", values)]);

const metricOf = (result: ComparisonResult, metric: string, cell = 0): MetricComparison => {
  const found = result.cells[cell]?.metrics.find((m) => m.metric === metric);
  assert.ok(found !== undefined, `metric ${metric} in cell ${cell}`);
  return found;
};

/** Every figure noisy, as in a real run, with the p99 scaled by `p99Factor`. */
function noisyTrials(offsets: readonly number[], p99Factor = 1): TrialFigures[] {
  return offsets.map((o, i) => ({
    p50Us: 4000 * (1 + o),
    p99Us: P99_US * (1 + offsets[(i + 2) % offsets.length]!) * p99Factor,
    bytesPerUpdate: 1262 * (1 + o / 10),
    botCpuUsPerUpdate: 3500 * (1 - o),
    botPeakRssBytes: 100e6 * (1 + o / 5),
    answeredPerSecond: 50 * (1 + o / 20),
  }));
}

describe("a clear regression fails, noise does not", () => {
  test("a 25% slowdown in p99 with 5 trials each and ±6% noise is a regression", () => {
    const base = p99Report(spread(P99_US, NOISE_5));
    const head = p99Report(spread(P99_US * 1.25, NOISE_5));
    const result = compare(base, head);
    const p99 = metricOf(result, "p99");
    assert.equal(p99.verdict, "regression", p99.note);
    assert.equal(result.outcome, "regression");
    assert.equal(result.regressions, 1);
    // The change is that of the merged histograms' p99, at their 0.1 % resolution on each side.
    assert.ok(Math.abs(p99.changePercent! - 25) < 0.5, String(p99.changePercent));
    assert.ok(
      p99.base.value! > p99.base.median!,
      "the p99 of all updates, not the median of the trials' p99s",
    );
    assert.equal(p99.test?.towards, "worse");
    assert.equal(p99.test?.method, "exact");
    // The samples do not overlap: the smallest p possible for 5 vs 5, 1/252.
    assert.ok(Math.abs(p99.test!.pValue - 1 / 252) < 1e-12);
  });

  test("the same 25% slowdown is still caught when every other figure is noisy too (7 tests, Holm)", () => {
    const base = makeReport([makeCell(REFERENCE_WEBHOOK_50, makeTrials(noisyTrials(NOISE_5)))]);
    const head = makeReport([
      makeCell(REFERENCE_WEBHOOK_50, makeTrials(noisyTrials([0, 0.06, -0.03, -0.06, 0.03], 1.25))),
    ]);
    const result = compare(base, head);
    assert.equal(metricOf(result, "p99").verdict, "regression");
    assert.equal(result.judged, 6, "every metric but the constant requests/update is tested");
    assert.equal(result.regressions, 1, "nothing else is flagged");
  });

  const noiseCases: Array<[string, number[], number[]]> = [
    [
      "the same values in another order",
      spread(P99_US, NOISE_5),
      spread(P99_US, [0.06, 0, -0.06, -0.03, 0.03]),
    ],
    ["a 3% shift inside the same ±6% spread", spread(P99_US, NOISE_5), spread(P99_US * 1.03, NOISE_5)],
    [
      "a 25% shift of the median inside ±50% noise",
      spread(P99_US, [0.5, -0.4, 0.1, -0.2, 0.3]),
      spread(P99_US * 1.25, [-0.4, 0.3, -0.2, 0.5, 0.1]),
    ],
  ];
  for (const [what, baseValues, headValues] of noiseCases) {
    test(`${what} is not a regression`, () => {
      const result = compare(p99Report(baseValues), p99Report(headValues));
      assert.equal(result.outcome, "no-regression");
      assert.notEqual(metricOf(result, "p99").verdict, "regression");
    });
  }

  test("a significant change inside its threshold is reported as such, not as a regression", () => {
    const result = compare(p99Report(spread(P99_US, NOISE_5)), p99Report(spread(P99_US * 1.15, NOISE_5)));
    const p99 = metricOf(result, "p99");
    assert.equal(p99.verdict, "within-threshold");
    assert.equal(result.outcome, "no-regression");
  });

  test("--threshold p99=25 lets a 20% slowdown pass", () => {
    const result = compare(p99Report(spread(P99_US, NOISE_5)), p99Report(spread(P99_US * 1.2, NOISE_5)), {
      thresholdsPercent: { p99: 25 },
    });
    assert.equal(metricOf(result, "p99").verdict, "within-threshold");
    assert.equal(result.outcome, "no-regression");
  });

  test("a stricter alpha than the data can reach makes the slowdown not significant", () => {
    const result = compare(p99Report(spread(P99_US, NOISE_5)), p99Report(spread(P99_US * 1.2, NOISE_5)), {
      alpha: 0.003,
    });
    assert.equal(metricOf(result, "p99").verdict, "not-enough-data");
    assert.equal(result.outcome, "no-regression");
  });
});

describe("direction matters", () => {
  const cases: Array<[string, keyof TrialFigures, string, number, MetricComparison["verdict"]]> = [
    ["p99 25% lower", "p99Us", "p99", 0.75, "improvement"],
    ["p50 25% higher", "p50Us", "p50", 1.25, "regression"],
    ["throughput 20% lower", "answeredPerSecond", "throughput", 0.8, "regression"],
    ["throughput 20% higher", "answeredPerSecond", "throughput", 1.2, "improvement"],
    ["requests per update 10% higher", "requestsPerUpdate", "requests", 1.1, "regression"],
    ["bot CPU per update 30% lower", "botCpuUsPerUpdate", "cpu", 0.7, "improvement"],
    ["bot peak RSS 30% higher", "botPeakRssBytes", "rss", 1.3, "regression"],
  ];
  for (const [what, figure, metric, factor, verdict] of cases) {
    test(`${what} is ${verdict === "regression" ? "a regression" : "an improvement"}`, () => {
      // Latency above the template's p50 (4.2 ms), so that a p99 stays above its p50.
      const center = figure === "p99Us" ? P99_US : 1000;
      const base = makeReport([cellWith(REFERENCE_WEBHOOK_50, figure, spread(center, NOISE_5))]);
      const head = makeReport([cellWith(REFERENCE_WEBHOOK_50, figure, spread(center * factor, NOISE_5))]);
      const result = compare(base, head);
      assert.equal(metricOf(result, metric).verdict, verdict, metricOf(result, metric).note);
      assert.equal(result.outcome, verdict === "regression" ? "regression" : "no-regression");
    });
  }
});

describe("too few trials are reported as not enough data, never as a failure", () => {
  test("n=1 on both sides, even with a 50% slowdown", () => {
    const result = compare(p99Report([P99_US]), p99Report([P99_US * 1.5]));
    const p99 = metricOf(result, "p99");
    assert.equal(p99.verdict, "not-enough-data");
    assert.equal(p99.note, "n=1: not enough trials to judge");
    assert.equal(p99.test, null);
    assert.equal(result.outcome, "no-regression");
    assert.equal(result.judged, 0);
    assert.match(renderComparisonMarkdown(result), /n=1: not enough trials to judge/);
    assert.match(renderComparisonMarkdown(result), /no verdict \(not enough trials\)/);
    assert.match(renderComparisonMarkdown(result), /run at least 4 trials per side at α = 0\.05/);
  });

  test("n=3 on both sides: the smallest possible p, 0.05, is not below α", () => {
    const result = compare(
      p99Report(spread(P99_US, [0, 0.01, 0.02])),
      p99Report(spread(P99_US * 2, [0, 0.01, 0.02])),
    );
    const p99 = metricOf(result, "p99");
    assert.equal(p99.verdict, "not-enough-data");
    assert.match(p99.note, /^n=3: not enough trials to judge \(the smallest possible p is 0\.05/);
    assert.equal(result.outcome, "no-regression");
  });

  test("n=5 against n=1 names both counts", () => {
    const result = compare(p99Report(spread(P99_US, NOISE_5)), p99Report([P99_US * 2]));
    assert.equal(metricOf(result, "p99").note, "n=5 vs 1: not enough trials to judge");
  });

  test("a figure missing on one side is no data", () => {
    const base = makeReport([
      cellWith(REFERENCE_WEBHOOK_50, "botCpuUsPerUpdate", [null, null, null, null, null]),
    ]);
    const head = makeReport([cellWith(REFERENCE_WEBHOOK_50, "botCpuUsPerUpdate", spread(3500, NOISE_5))]);
    const cpu = metricOf(compare(base, head), "cpu");
    assert.equal(cpu.verdict, "no-data");
    assert.equal(cpu.note, "no data in base");
  });
});

describe("cells missing on one side are reported, not crashed on", () => {
  const grammyWebhook: CellIdentity = { bot: "grammy", mode: "webhook", ratePerSecond: 50 };
  const grammyPolling: CellIdentity = { bot: "grammy", mode: "long-polling", ratePerSecond: 50 };
  const telegrafShort: CellIdentity = { bot: "telegraf", mode: "short-polling", ratePerSecond: 50 };
  const sample = spread(P99_US, NOISE_5);

  test("cells only in base, only in head, skipped and failed are listed with their reasons", () => {
    const skip = "telegraf cannot short-poll";
    const base = makeReport([
      cellWith(REFERENCE_WEBHOOK_50, "p99Us", sample),
      cellWith(grammyWebhook, "p99Us", sample),
      makeCell(telegrafShort, [], unsupported(skip)),
      cellWith({ ...grammyPolling, ratePerSecond: 5 }, "p99Us", sample),
    ]);
    const head = makeReport([
      cellWith(REFERENCE_WEBHOOK_50, "p99Us", sample),
      cellWith(grammyPolling, "p99Us", sample),
      makeCell(telegrafShort, [], unsupported(skip)),
      makeCell({ ...grammyPolling, ratePerSecond: 5 }, [
        makeTrial(1, { outcome: botExitedOutcome("bot exited with code 1") }),
      ]),
    ]);
    const result = compare(base, head);
    assert.equal(result.cells.length, 1);
    assert.deepEqual(
      result.unmatched.map((u) => [u.label, u.reason]),
      [
        ["grammy · webhook · 50/s", "only in base"],
        ["telegraf · short-polling · 50/s", `skipped on both sides: ${skip}`],
        ["grammy · long-polling · 5/s", "failed in head: bot exited: bot exited with code 1"],
        ["grammy · long-polling · 50/s", "only in head"],
      ],
    );
    assert.equal(result.outcome, "no-regression");
    const markdown = renderComparisonMarkdown(result);
    assert.match(markdown, /- grammy · webhook · 50\/s: only in base/);
    assert.match(markdown, /- grammy · long-polling · 50\/s: only in head/);
  });

  test("two reports with no cell in common give an empty comparison", () => {
    const result = compare(p99Report(sample), p99Report(sample, grammyWebhook));
    assert.equal(result.cells.length, 0);
    assert.equal(result.unmatched.length, 2);
    assert.equal(result.outcome, "no-regression");
  });

  test("a failed trial is left out of the statistics and warned about", () => {
    const trials = makeTrials(spread(P99_US, NOISE_5).map((p99Us) => ({ p99Us })));
    const withFailure = [
      ...trials,
      makeTrial(6, { p99Us: 10 * P99_US, outcome: botExitedOutcome("bot crashed") }),
    ];
    const result = compare(p99Report(sample), makeReport([makeCell(REFERENCE_WEBHOOK_50, withFailure)]));
    assert.equal(metricOf(result, "p99").head.n, 5);
    assert.deepEqual(result.cells[0]?.excludedTrials, { base: 0, head: 1 });
    assert.deepEqual(result.warnings, ["reference · webhook · 50/s: 1 failed trial(s) in head left out"]);
  });

  test("different machines and trial lengths are warned about", () => {
    const base = p99Report(sample);
    const head = makeReport(base.cells, {
      machine: { ...base.machine, cpus: 4 },
      scenario: { ...base.scenario, durationMs: 2000 },
    });
    const warnings = compare(base, head).warnings;
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /scenario durationMs differs: base 1000, head 2000/);
    assert.match(warnings[1]!, /different machines/);
  });
});

describe("runs measured one after the other", () => {
  const at = (report: ReturnType<typeof p99Report>, startedAt: string) => ({
    ...report,
    cells: report.cells.map((c) => ({ ...c, trials: c.trials.map((t) => ({ ...t, startedAt })) })),
  });
  const cases: Array<[string, string, string, boolean]> = [
    ["head entirely after base", "2026-11-28T01:00:00Z", "2026-11-28T01:05:00Z", true],
    ["head entirely before base", "2026-11-28T01:05:00Z", "2026-11-28T01:00:00Z", true],
    ["trials at the same time (interleaved rounds)", "2026-11-28T01:00:00Z", "2026-11-28T01:00:00Z", false],
  ];
  for (const [what, baseAt, headAt, warned] of cases) {
    test(`${what} ${warned ? "is" : "is not"} warned about`, () => {
      const sample = spread(P99_US, NOISE_5);
      const warnings = compare(at(p99Report(sample), baseAt), at(p99Report(sample), headAt)).warnings;
      assert.equal(
        warnings.some((w) => /one after the other, not interleaved/.test(w)),
        warned,
      );
    });
  }
});

describe("Holm's correction keeps a sweep of many cells from failing on noise", () => {
  test("20 noisy cells whose samples barely separate by chance do not fail, but fail uncorrected", () => {
    // Each cell: base and head overlap by one pair (U = 1 of 25, one-sided p = 2/252 ≈ 0.008),
    // with a 25% difference of medians: what one cell in twenty looks like by chance. (Bot CPU:
    // a figure judged by its median, so the difference is exactly that.)
    const cells = (values: number[]) =>
      Array.from({ length: 20 }, (_, i) =>
        cellWith(
          { bot: "reference", mode: "webhook", ratePerSecond: i + 1 },
          "botCpuUsPerUpdate",
          values.map((v) => v * 3_500),
        ),
      );
    const base = makeReport(cells([1.0, 1.01, 1.02, 1.03, 1.26]));
    const head = makeReport(cells([1.25, 1.27, 1.28, 1.29, 1.3]));
    assert.equal(compare(base, head).outcome, "no-regression");
    assert.equal(compare(base, head, { correction: "none" }).outcome, "regression");
  });
});

describe("options", () => {
  test("--threshold values parse as <metric>=<percent>, several per value or repeated", () => {
    assert.deepEqual(parseThresholds(["p99=25", "cpu=20%,p50=7.5"]), { p99: 25, cpu: 20, p50: 7.5 });
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ["an unknown metric", () => parseThresholds(["p98=5"]), /unknown metric "p98".*p50, p99/],
    ["a missing percentage", () => parseThresholds(["p99"]), /<metric>=<percent>/],
    [
      "a negative threshold",
      () => compare(p99Report([1]), p99Report([1]), { thresholdsPercent: { p99: -5 } }),
      /≥ 0/,
    ],
    ["alpha of 1", () => compare(p99Report([1]), p99Report([1]), { alpha: 1 }), /--alpha/],
  ];
  for (const [what, run, message] of bad) {
    test(`${what} is a CompareOptionsError`, () => {
      assert.throws(
        run,
        (error: unknown) => error instanceof CompareOptionsError && message.test(error.message),
      );
    });
  }
});

describe("the Markdown", () => {
  test("shows base, head, change, p and the verdict per metric, and the method", () => {
    const result = compare(p99Report(spread(P99_US, NOISE_5)), p99Report(spread(P99_US * 1.25, NOISE_5)), {
      labels: { base: "main", head: "pr" },
    });
    const markdown = renderComparisonMarkdown(result);
    assert.match(markdown, /^## tgbench compare: 1 regression ❌/);
    assert.match(markdown, /- \*\*base\*\* `main`/);
    assert.match(
      markdown,
      /\| {2}\| p99 latency \| 5\/5 \| 20\.6 ms \| 25\.7 ms \| \+25% \| 0\.004 \| ❌ \*\*regression\*\*: \+25%, threshold \+20%/,
    );
    assert.match(markdown, /one-sided Mann–Whitney U/);
    assert.match(markdown, /Holm's correction over the 1 tested pair/);
  });
});
