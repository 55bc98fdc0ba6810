import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ContentOptions, resolveContentOptions } from "./content-options.ts";
import { BUILT_IN_WORDS } from "./vocabulary.ts";

describe("resolveContentOptions", () => {
  test("applies the defaults", () => {
    assert.deepEqual(resolveContentOptions(), {
      mix: { text: 0.85, command: 0.15, callback: 0 },
      minTextChars: 8,
      maxTextChars: 64,
      commands: ["/start", "/help", "/echo"],
      words: BUILT_IN_WORDS,
    });
  });

  test("normalises a given mix to shares, missing kinds being 0", () => {
    assert.deepEqual(resolveContentOptions({ mix: { text: 3, callback: 1 } }).mix, {
      text: 0.75,
      command: 0,
      callback: 0.25,
    });
  });

  const invalid: Array<[string, ContentOptions, RegExp]> = [
    ["an unknown kind in the mix", { mix: { photo: 1 } as never }, /mix\.photo is not an update kind/],
    ["a negative weight", { mix: { text: -1, command: 2 } }, /mix\.text/],
    ["an all-zero mix", { mix: { text: 0 } }, /at least one weight/],
    ["min above max", { minTextChars: 10, maxTextChars: 9 }, /minTextChars <= maxTextChars/],
    ["texts over Telegram's limit", { maxTextChars: 4_097 }, /4096/],
    ["a zero minimum", { minTextChars: 0 }, /minTextChars/],
    ["a command without '/'", { commands: ["start"] }, /commands\[0\] must be like \/start/],
    ["no commands", { commands: [] }, /commands needs at least one/],
    ["a word with a space", { words: ["ok", "a b"] }, /words\[1\]/],
    ["a word with '#'", { words: ["#x"] }, /words\[0\]/],
  ];
  for (const [name, options, message] of invalid) {
    test(`rejects ${name} with a RangeError`, () => {
      assert.throws(
        () => resolveContentOptions(options),
        (error: unknown) => {
          assert.ok(error instanceof RangeError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
