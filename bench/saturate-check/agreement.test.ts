import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { agreement, orderOf, type Round } from "./agreement.ts";

const side = (perSecond: number) => ({
  requestsPerSecond: perSecond,
  repliesPerSecond: perSecond,
  harnessCpuUsPerRequest: 50,
  botCpuUsPerRequest: 60,
});
const round = (n: number, saturateReplies: number, plainRequests: number): Round => ({
  order: orderOf(n),
  saturate: side(saturateReplies),
  plain: side(plainRequests),
});

describe("agreement", () => {
  test("judges the median of the rounds' paired differences", () => {
    // Rounds at different machine loads: each pair agrees within 5 %, the sides' medians less so.
    const a = agreement([round(0, 950, 1000), round(1, 2000, 2100), round(2, 4150, 4000)]);
    assert.ok(Math.abs(a.difference - (2000 - 2100) / 2100) < 1e-9);
    assert.equal(a.saturateRepliesPerSecond, 2000);
    assert.equal(a.plainRequestsPerSecond, 2100);
    assert.equal(a.agrees, true);
  });

  test("more than 10 % apart does not agree, either way", () => {
    assert.equal(agreement([round(0, 880, 1000)]).agrees, false);
    assert.equal(agreement([round(0, 1120, 1000)]).agrees, false);
    assert.equal(agreement([round(0, 905, 1000)]).agrees, true);
  });

  test("no rounds cannot agree", () => {
    assert.equal(agreement([]).agrees, false);
  });
});

describe("orderOf", () => {
  test("alternates which side runs first", () => {
    assert.deepEqual([0, 1, 2].map(orderOf), [
      ["saturate", "plain"],
      ["plain", "saturate"],
      ["saturate", "plain"],
    ]);
  });
});
