import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRng } from "../generator/rng.ts";
import { ConnectionSchedule, DirectionSchedule } from "./connection-schedule.ts";
import { jitterFloorMs } from "./jitter.ts";
import { networkWithRtt } from "./options.ts";
import { legsToward } from "./profile.ts";

const leg = (over: Partial<ConstructorParameters<typeof DirectionSchedule>[0]> = {}) => ({
  delayMs: 20,
  jitterMs: 0,
  lossProbability: 0,
  bandwidthBitsPerSecond: null,
  ...over,
});

describe("DirectionSchedule", () => {
  test("without jitter a chunk arrives exactly one delay after it was sent", () => {
    const schedule = new DirectionSchedule(leg(), createRng(1), 200);
    assert.equal(schedule.deliveryTimeMs(100, 500, 0), 120);
    assert.equal(schedule.deliveryTimeMs(130, 500, 0), 150);
  });

  test("nothing leaves before the handshake is done", () => {
    const schedule = new DirectionSchedule(leg(), createRng(1), 200);
    assert.equal(schedule.deliveryTimeMs(5, 10, 40), 60);
  });

  test("with jitter larger than the gaps, chunks still arrive in the order they were sent", () => {
    const schedule = new DirectionSchedule(leg({ jitterMs: 15 }), createRng("order"), 200);
    let previousMs = Number.NEGATIVE_INFINITY;
    let heldBack = 0;
    for (let i = 0; i < 2_000; i++) {
      const sentMs = i * 0.5;
      const dueMs = schedule.deliveryTimeMs(sentMs, 100, 0);
      assert.ok(dueMs >= previousMs, `chunk ${i} due ${dueMs} before the one before it (${previousMs})`);
      assert.ok(dueMs >= sentMs + 20 + jitterFloorMs(15), `chunk ${i} faster than the fastest delay`);
      if (dueMs === previousMs) heldBack++;
      previousMs = dueMs;
    }
    assert.ok(heldBack > 0, "no chunk was ever held back behind a slower one: jitter had no effect");
  });

  test("bandwidth serialises a connection's chunks one after another", () => {
    // 8 Mbit/s = 1 byte per µs: 100 kB take 100 ms to leave.
    const schedule = new DirectionSchedule(leg({ bandwidthBitsPerSecond: 8e6 }), createRng(1), 200);
    assert.equal(schedule.deliveryTimeMs(0, 100_000, 0), 120);
    assert.equal(schedule.deliveryTimeMs(0, 100_000, 0), 220);
    // A FIN takes no link time but still follows the data.
    assert.equal(schedule.deliveryTimeMs(0, 0, 0), 220);
  });

  test("a lost segment delays its chunk by the retransmission timeout, and the chunks behind it", () => {
    const schedule = new DirectionSchedule(leg({ lossProbability: 0.5 }), createRng("loss"), 200);
    // Chunks far apart: each is late only for its own losses.
    const lateMs = Array.from(
      { length: 100 },
      (_, i) => schedule.deliveryTimeMs(i * 60_000, 100, 0) - (i * 60_000 + 20),
    );
    assert.ok(lateMs.some((ms) => ms === 0));
    assert.ok(lateMs.some((ms) => ms >= 200));
    for (const ms of lateMs) assert.ok(ms === 0 || ms >= 200, `${ms}`);
    // A chunk right behind a lost one waits for it (head-of-line blocking).
    const lossy = new DirectionSchedule(leg({ lossProbability: 0.5 }), createRng("hol"), 200);
    const due = Array.from({ length: 50 }, (_, i) => lossy.deliveryTimeMs(7_000_000 + i, 100, 0));
    for (let i = 1; i < due.length; i++) assert.ok(due[i]! >= due[i - 1]!);
  });
});

describe("ConnectionSchedule", () => {
  test("a new plain TCP connection pays one round trip before its first byte leaves", () => {
    const profile = networkWithRtt(40, { https: false });
    const schedule = new ConnectionSchedule(
      legsToward(profile, "telegram"),
      profile.setupRoundTrips,
      createRng(1),
      1000,
    );
    assert.equal(schedule.readyAtMs, 1040);
    // Request at once: handshake, then one way; the answer one way back.
    const requestAtServerMs = schedule.forwardDeliveryMs(1000, 300);
    assert.equal(requestAtServerMs, 1060);
    assert.equal(schedule.backwardDeliveryMs(requestAtServerMs, 300), 1080);
  });

  test("an HTTPS connection adds TLS 1.3's round trip", () => {
    const profile = networkWithRtt(40);
    const schedule = new ConnectionSchedule(
      legsToward(profile, "bot"),
      profile.setupRoundTrips,
      createRng(1),
      0,
    );
    assert.equal(schedule.readyAtMs, 80);
    assert.equal(schedule.forwardDeliveryMs(0, 300), 100);
  });

  test("the handshake's jitter is drawn from the connection's own seed", () => {
    const profile = networkWithRtt(40, { jitterMs: 5 });
    const legs = legsToward(profile, "telegram");
    const a = new ConnectionSchedule(legs, 2, createRng("c").fork("1"), 0).readyAtMs;
    const b = new ConnectionSchedule(legs, 2, createRng("c").fork("1"), 0).readyAtMs;
    const c = new ConnectionSchedule(legs, 2, createRng("c").fork("2"), 0).readyAtMs;
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.ok(a >= 80 + 4 * jitterFloorMs(5 / Math.SQRT2));
  });
});
