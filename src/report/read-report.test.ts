import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseReport, ReportFormatError } from "./read-report.ts";
import { realisticReport } from "./report-fixtures.ts";

describe("parseReport", () => {
  test("reads what renderJson wrote", () => {
    const text = JSON.stringify(realisticReport());
    assert.deepEqual(parseReport(text), JSON.parse(text));
  });

  const bad: Array<[string, string, RegExp]> = [
    ["not JSON", "{", /^not JSON/],
    ["an array", "[]", /expected a JSON object/],
    ["no schema", "{}", /not a tgbench\/report@4 report \(no schema\)/],
    ["another schema", JSON.stringify({ schema: "tgbench/report@5" }), /\(schema "tgbench\/report@5"\)/],
    [
      "no cells",
      JSON.stringify({ ...realisticReport(), cells: undefined }),
      /"cells" is missing or not an array/,
    ],
    [
      "a cell without trials",
      JSON.stringify({ ...realisticReport(), cells: [{ bot: "a", mode: "webhook", ratePerSecond: 1 }] }),
      /cells\[0\] is not a cell/,
    ],
    ["no machine", JSON.stringify({ ...realisticReport(), machine: null }), /"machine" is missing/],
  ];
  for (const [what, text, message] of bad) {
    test(`refuses ${what}`, () => {
      assert.throws(
        () => parseReport(text),
        (error: unknown) => error instanceof ReportFormatError && message.test(error.message),
      );
    });
  }
});
