import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  type CellIdentity,
  cellWith,
  makeReport,
  NOISE_5,
  REFERENCE_WEBHOOK_50,
  spread,
} from "../compare/test-helpers.ts";
import type { ComparisonResult } from "../compare/types.ts";
import type { Report } from "../results/index.ts";

const BIN = fileURLToPath(new URL("../../bin/tgbench.mjs", import.meta.url));
const MERGE = fileURLToPath(new URL("../../scripts/perf-merge.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tgbench-compare-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const node = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, GITHUB_STEP_SUMMARY: "", ...env },
  });
const tgbench = (args: string[], env?: Record<string, string>) => node([BIN, ...args], env);

/** Writes a report to `<dir>/<name>/report.json` and returns the file's path. */
function write(name: string, report: Report | string): string {
  mkdirSync(join(dir, name), { recursive: true });
  const file = join(dir, name, "report.json");
  writeFileSync(file, typeof report === "string" ? report : JSON.stringify(report));
  return file;
}

const P99_US = 20_000;
const p99Report = (values: readonly number[], identity: CellIdentity = REFERENCE_WEBHOOK_50) =>
  makeReport([cellWith(identity, "p99Us", values)]);

const base = write("base", p99Report(spread(P99_US, NOISE_5)));
const slower = write("slower", p99Report(spread(P99_US * 1.25, NOISE_5)));
const shuffled = write("shuffled", p99Report(spread(P99_US, [0.06, 0, -0.06, -0.03, 0.03])));

describe("tgbench compare exits 1 only for a significant regression beyond its threshold", () => {
  test("a constructed 25% slowdown in p99 (5 trials each) exits 1 and says why", () => {
    const result = tgbench(["compare", base, slower]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /## tgbench compare: 1 regression/);
    assert.match(
      result.stdout,
      // The p99 of each side's merged histograms (the median of the trials' p99s is 20 ms).
      /p99 latency \| 5\/5 \| 20\.6 ms \| 25\.7 ms \| \+25% \| 0\.004 \| ❌ \*\*regression\*\*/,
    );
  });

  test("the same noise in another order exits 0", () => {
    const result = tgbench(["compare", base, shuffled]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /no regression/);
  });

  test("--threshold p99=30 lets the 25% slowdown pass", () => {
    assert.equal(tgbench(["compare", base, slower, "--threshold", "p99=30"]).status, 0);
  });

  test("single trials exit 0 and say there are not enough trials", () => {
    const one = write("one", p99Report([P99_US]));
    const oneSlower = write("one-slower", p99Report([P99_US * 1.5]));
    const result = tgbench(["compare", one, oneSlower]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /n=1: not enough trials to judge/);
  });

  test("run directories work as well as report.json paths", () => {
    assert.equal(tgbench(["compare", join(dir, "base"), join(dir, "slower")]).status, 1);
  });

  test("--json prints the comparison as data", () => {
    const result = tgbench(["compare", base, slower, "--json"]);
    assert.equal(result.status, 1);
    const parsed = JSON.parse(result.stdout) as ComparisonResult;
    assert.equal(parsed.schema, "tgbench/compare@2");
    assert.equal(parsed.outcome, "regression");
    assert.equal(parsed.cells[0]?.metrics.find((m) => m.metric === "p99")?.verdict, "regression");
  });

  test("the Markdown is appended to $GITHUB_STEP_SUMMARY when it is set", () => {
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "earlier step\n");
    tgbench(["compare", base, slower, "--json"], { GITHUB_STEP_SUMMARY: summary });
    const text = readFileSync(summary, "utf8");
    assert.match(text, /^earlier step\n## tgbench compare: 1 regression/);
  });
});

describe("bad input exits 2 with one line", () => {
  const notJson = write("not-json", "{");
  const otherCell = write(
    "other-cell",
    p99Report(spread(P99_US, NOISE_5), { ...REFERENCE_WEBHOOK_50, bot: "grammy" }),
  );
  const cases: Array<[string, string[], RegExp]> = [
    ["a missing file", ["compare", base, join(dir, "nope.json")], /nope\.json: no such file or directory/],
    ["a directory without a report", ["compare", base, tmpdir()], /has no report\.json/],
    ["a file that is not JSON", ["compare", notJson, base], /not JSON/],
    ["an unknown metric", ["compare", base, base, "--threshold", "p98=5"], /unknown metric "p98"/],
    [
      "alpha out of range",
      ["compare", base, base, "--alpha", "2"],
      /--alpha must be a number between 0 and 1/,
    ],
    ["one path only", ["compare", base], /Not enough non-option arguments/],
    ["no cell in common", ["compare", base, otherCell], /nothing to compare/],
  ];
  test("no cell in common: the header says so, not 'no regression'", () => {
    const result = tgbench(["compare", base, otherCell]);
    assert.equal(result.status, 2);
    assert.match(result.stdout, /nothing to compare: no cell has successful trials on both sides/);
    assert.doesNotMatch(result.stdout, /no regression/);
  });
  for (const [what, args, message] of cases) {
    test(`${what}`, () => {
      const result = tgbench(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    });
  }
});

describe("scripts/perf-merge.mjs", () => {
  test("merges runs into one report whose trials compare can judge", () => {
    const a = write("round-1", p99Report(spread(P99_US, [0.03, -0.06, 0.06])));
    const b = write("round-2", p99Report(spread(P99_US, [0, -0.03])));
    const merged = node([MERGE, a, join(dir, "round-2")]);
    assert.equal(merged.status, 0, merged.stderr);
    const report = JSON.parse(merged.stdout) as Report;
    assert.equal(report.cells[0]?.trials.length, 5);
    const file = write("merged", merged.stdout);
    assert.equal(tgbench(["compare", file, slower]).status, 1);
    assert.ok(b.endsWith("report.json"));
  });

  test("exits 2 on an unreadable report", () => {
    const result = node([MERGE, join(dir, "not-json")]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /perf-merge: .*not JSON/);
  });
});
