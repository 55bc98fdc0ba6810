import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "./rng.ts";
import { buildText } from "./text-builder.ts";

describe("buildText", () => {
  test("starts with the token and has exactly the asked length", () => {
    const rng = createRng(1);
    for (let lengthChars = 3; lengthChars <= 80; lengthChars++) {
      const text = buildText("#12", lengthChars, ["ab", "cde", "f"], rng);
      assert.equal(text.length, lengthChars);
      assert.ok(text.startsWith("#12"));
      assert.doesNotMatch(text, /\s$/);
    }
  });

  test("is never shorter than the token", () => {
    assert.equal(buildText("#123456", 3, ["x"], createRng(1)), "#123456");
  });

  test("a cut that would leave half a surrogate pair ends in '.' instead", () => {
    // "#1 😀" is 5 code units; a cut at 4 would keep only the high surrogate.
    assert.equal(buildText("#1", 4, ["😀"], createRng(1)), "#1 .");
  });

  test("a cut that would end on a space ends in '.' instead", () => {
    assert.equal(buildText("#1", 6, ["ab"], createRng(1)), "#1 ab.");
  });
});
