import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { renderJson } from "../report/json.ts";
import { realisticReport } from "../report/report-fixtures.ts";

const BIN = fileURLToPath(new URL("../../bin/tgbench.mjs", import.meta.url));
const tgbench = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });

describe("tgbench report", () => {
  const dir = mkdtempSync(join(tmpdir(), "tgbench-report-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("re-renders every format from a stored report.json into --out", () => {
    const source = join(dir, "stored.json");
    writeFileSync(source, renderJson(realisticReport()));
    const out = join(dir, "out");
    const result = tgbench("report", source, "--out", out);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(out).sort(), [
      "benchmark-throughput.json",
      "benchmark.json",
      "report.html",
      "report.json",
      "report.md",
    ]);
    assert.equal(readFileSync(join(out, "report.json"), "utf8"), readFileSync(source, "utf8"));
    assert.match(
      readFileSync(join(out, "report.md"), "utf8"),
      /^# tgbench: default\n\n\*\*Polling or webhook\? What switching to webhook changes, per bot:\*\*\n\n- \*\*reference, long polling → webhook:\*\*\n {2}- loopback: at 1 update\/s/,
    );
  });

  test("accepts a run directory, and --traffic costs a month at the traffic given", () => {
    const run = join(dir, "run-dir");
    const rendered = tgbench("report", join(dir, "stored.json"), "--out", run);
    assert.equal(rendered.status, 0, rendered.stderr);
    const result = tgbench("report", run, "--traffic", "5000");
    assert.equal(result.status, 0, result.stderr);
    const markdown = readFileSync(join(run, "report.md"), "utf8");
    assert.match(markdown, /^## What a month costs$/m);
    assert.match(markdown, /^\| reference · loopback · 5000 updates\/day \| long polling \| [\d.]+k? \|/m);
    assert.doesNotMatch(markdown, /1000000 updates\/day|1M updates\/day/, "only the traffic asked for");
  });

  const bad: Array<[string, () => string, RegExp]> = [
    [
      "a missing file",
      () => join(dir, "nope.json"),
      /^tgbench: .*nope\.json: no such file or directory; pass a report\.json or a run directory\n$/,
    ],
    ["a directory without a report", () => dir, /^tgbench: .* has no report\.json; pass a run directory/],
    [
      "another schema",
      () => {
        writeFileSync(join(dir, "other.json"), JSON.stringify({ schema: "something/else@1" }));
        return join(dir, "other.json");
      },
      /^tgbench: .*other\.json: not a tgbench\/report@4 report \(schema "something\/else@1"\)\n$/,
    ],
    [
      "a file that is not JSON",
      () => {
        writeFileSync(join(dir, "broken.json"), "{ half");
        return join(dir, "broken.json");
      },
      /^tgbench: .*broken\.json: not JSON \(.*\)\n$/,
    ],
  ];
  for (const [what, file, message] of bad) {
    test(`${what}: one line, exit code 2`, () => {
      const result = tgbench("report", file());
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});
