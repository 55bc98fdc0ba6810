import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { agreement, orderOf, type Round } from "./agreement.ts";

const round = (n: number, saturateReplies: number, plainRequests: number): Round => ({
  order: orderOf(n),
  saturate: {
    requestsPerSecond: saturateReplies,
    repliesPerSecond: saturateReplies,
    harnessCpuUsPerRequest: 50,
  },
  plain: { requestsPerSecond: plainRequests, repliesPerSecond: plainRequests, harnessCpuUsPerRequest: 40 },
});

describe("agreement", () => {
  test("medians of the rounds, the difference relative to plain autocannon", () => {
    const a = agreement([round(0, 950, 1000), round(1, 3000, 1000), round(2, 900, 1000)]);
    assert.equal(a.saturateRepliesPerSecond, 950);
    assert.equal(a.plainRequestsPerSecond, 1000);
    assert.ok(Math.abs(a.difference + 0.05) < 1e-9);
    assert.equal(a.agrees, true);
  });

  test("more than 10 % apart does not agree, either way", () => {
    assert.equal(agreement([round(0, 880, 1000)]).agrees, false);
    assert.equal(agreement([round(0, 1120, 1000)]).agrees, false);
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
