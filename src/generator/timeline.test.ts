import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkTimeline, parseTimeline, TimelineParseError } from "./timeline.ts";

describe("parseTimeline", () => {
  test("reads one timestamp per line, skipping blank lines and # comments", () => {
    const text = "# exported from prod\n0\n\n  12.5  \r\n12.5\n1000\n";
    assert.deepEqual(parseTimeline(text), [0, 12.5, 12.5, 1000]);
  });

  test("an empty text is an empty timeline", () => {
    assert.deepEqual(parseTimeline(""), []);
  });

  const badLines: Array<[string, string, number, RegExp]> = [
    ["a word", "0\n5\nabc\n", 3, /line 3: "abc" is not a number/],
    ["a negative number", "# c\n-4\n", 2, /line 2: "-4" is negative/],
    ["exponent notation", "1e3\n", 1, /line 1: "1e3" is not a number/],
    ["two numbers on a line", "1 2\n", 1, /line 1/],
    [
      "a timestamp going backwards",
      "10\n\n9\n",
      3,
      /line 3: 9 is earlier than the previous timestamp 10; sort/,
    ],
  ];
  for (const [name, text, lineNumber, message] of badLines) {
    test(`${name} throws a TimelineParseError naming line ${lineNumber}`, () => {
      assert.throws(
        () => parseTimeline(text),
        (error: unknown) => {
          assert.ok(error instanceof TimelineParseError);
          assert.equal(error.lineNumber, lineNumber);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe("checkTimeline", () => {
  test("accepts sorted non-negative timestamps, and names the index of a bad one", () => {
    checkTimeline("t", [0, 0, 1.5]);
    assert.throws(() => checkTimeline("t", [0, Number.NaN]), /t\[1\]/);
    assert.throws(() => checkTimeline("t", [-1]), /t\[0\]/);
    assert.throws(() => checkTimeline("t", [3, 2]), /t\[1\]/);
  });
});
