import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  callbackDataFor,
  correlationToken,
  parseCallbackData,
  parseCorrelationToken,
} from "./correlation.ts";

describe("correlation tokens", () => {
  test("a token round-trips through the text it is echoed in", () => {
    for (const seq of [0, 7, 42, 1_000_000]) {
      assert.equal(parseCorrelationToken(`You said: ${correlationToken(seq)} lorem ipsum`), seq);
    }
  });

  test("#42 is never read as #4, and text without a token gives undefined", () => {
    assert.equal(parseCorrelationToken("#42 x"), 42);
    assert.equal(parseCorrelationToken("no token # here"), undefined);
  });

  test("callback data round-trips, and foreign data gives undefined", () => {
    assert.equal(callbackDataFor(12), "btn:12");
    assert.equal(parseCallbackData(callbackDataFor(12)), 12);
    assert.equal(parseCallbackData("menu:12"), undefined);
    assert.equal(parseCallbackData("btn:12x"), undefined);
  });
});
