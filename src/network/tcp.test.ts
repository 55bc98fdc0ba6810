import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../generator/rng.ts";
import { TCP } from "./defaults.ts";
import { handshakeMs, lossDelayMs, retransmissionTimeoutMs, segmentCount } from "./tcp.ts";

describe("retransmissionTimeoutMs", () => {
  const cases: Array<[srttMs: number, rttVarMs: number, rtoMs: number]> = [
    [1, 0.1, 200], // Linux's floor on any short path
    [160, 4, 200],
    [180, 10, 220], // SRTT + 4·RTTVAR once above the floor
    [100_000, 10_000, 120_000], // capped
  ];
  for (const [srttMs, rttVarMs, rtoMs] of cases) {
    test(`SRTT ${srttMs} ms, RTTVAR ${rttVarMs} ms → ${rtoMs} ms`, () => {
      assert.equal(retransmissionTimeoutMs(srttMs, rttVarMs), rtoMs);
    });
  }
});

describe("segmentCount", () => {
  test("a chunk travels in MSS-sized segments, at least one", () => {
    assert.equal(segmentCount(0), 1);
    assert.equal(segmentCount(1), 1);
    assert.equal(segmentCount(TCP.mssBytes), 1);
    assert.equal(segmentCount(TCP.mssBytes + 1), 2);
  });
});

describe("lossDelayMs", () => {
  test("without loss nothing is added and nothing drawn", () => {
    const rng = createRng("l");
    assert.equal(lossDelayMs(rng, 0, 10, 200), 0);
    assert.equal(rng.next(), createRng("l").next());
  });

  test("a lost segment waits one timeout, and each further loss doubles it", () => {
    const rng = createRng("backoff");
    const seen = new Map<number, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const waitMs = lossDelayMs(rng, 0.3, 1, 200);
      seen.set(waitMs, (seen.get(waitMs) ?? 0) + 1);
    }
    // 0, 200, 200+400, 200+400+800 … with probabilities 0.7, 0.3·0.7, 0.3²·0.7 …
    for (const waitMs of seen.keys()) {
      const losses = Math.log2(waitMs / 200 + 1);
      assert.ok(Number.isInteger(losses), `${waitMs} ms is not 200·(2^k − 1)`);
    }
    assert.ok(Math.abs(seen.get(0)! / n - 0.7) < 0.015);
    assert.ok(Math.abs(seen.get(200)! / n - 0.21) < 0.015);
    assert.ok(Math.abs(seen.get(600)! / n - 0.063) < 0.01);
  });

  test("a chunk of several segments waits for its slowest one", () => {
    const rng = createRng("segments");
    let delayed = 0;
    const n = 10_000;
    for (let i = 0; i < n; i++) if (lossDelayMs(rng, 0.1, 5, 200) > 0) delayed++;
    // P(any of 5 lost) = 1 − 0.9⁵ ≈ 0.41
    assert.ok(Math.abs(delayed / n - (1 - 0.9 ** 5)) < 0.02, `${delayed / n}`);
  });
});

describe("handshakeMs", () => {
  test("without jitter or loss a handshake is its round trips times the RTT", () => {
    const delays = { forwardMs: () => 15, backwardMs: () => 25 };
    const loss = { rng: createRng(1), forwardProbability: 0, backwardProbability: 0, rtoMs: 200 };
    assert.equal(handshakeMs(delays, 1, loss), 40);
    assert.equal(handshakeMs(delays, 2, loss), 80);
  });

  test("a lost SYN or SYN-ACK costs the initial 1 s timeout", () => {
    const delays = { forwardMs: () => 10, backwardMs: () => 10 };
    const rng = createRng("syn");
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      seen.add(handshakeMs(delays, 1, { rng, forwardProbability: 0.2, backwardProbability: 0, rtoMs: 200 }));
    }
    assert.ok(seen.has(20));
    assert.ok(seen.has(20 + TCP.initialRtoMs));
    for (const ms of seen) assert.ok(ms === 20 || ms >= 20 + TCP.initialRtoMs, `${ms}`);
  });
});
