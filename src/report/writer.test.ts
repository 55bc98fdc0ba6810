import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { realisticReport } from "./report-fixtures.ts";
import { REPORT_FORMATS, writeReport } from "./writer.ts";

describe("writeReport", () => {
  test("writes every registered format, and nothing half-written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tgbench-writer-"));
    try {
      const written = await writeReport(dir, realisticReport());
      const expected = [
        "benchmark-throughput.json",
        "benchmark.json",
        "report.html",
        "report.json",
        "report.md",
      ];
      assert.deepEqual(Object.keys(REPORT_FORMATS).sort(), expected);
      assert.deepEqual(readdirSync(dir).sort(), expected, "no .tmp file left");
      assert.equal(written.length, expected.length);
      assert.match(readFileSync(join(dir, "report.html"), "utf8"), /^<!DOCTYPE html>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
