import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TIMELINE_COUNTERS, TIMELINE_GAUGES, Timeline } from "./timeline.ts";

const START_MS = 5_000.25;

describe("Timeline", () => {
  test("counters are summed per second from the start", () => {
    const timeline = new Timeline(START_MS);
    timeline.add("offered", START_MS);
    timeline.add("offered", START_MS + 999.9);
    timeline.add("offered", START_MS + 1_000);
    timeline.add("bytesIn", START_MS + 1_500, 512);
    const [first, second] = timeline.buckets();
    assert.deepEqual([first?.offered, second?.offered, second?.bytesIn], [2, 1, 512]);
    assert.deepEqual([first?.second, second?.second], [0, 1]);
  });

  test("every bucket has every field, and gaps are filled with zero counters and null gauges", () => {
    const timeline = new Timeline(START_MS);
    timeline.add("answered", START_MS + 3_200);
    const buckets = timeline.buckets();
    assert.equal(buckets.length, 4);
    const gap = buckets[1]!;
    for (const field of TIMELINE_COUNTERS) assert.equal(gap[field], 0, field);
    for (const field of TIMELINE_GAUGES) assert.equal(gap[field], null, field);
    assert.deepEqual([gap.latencyCount, gap.latencyMeanUs, gap.latencyMaxUs], [0, null, null]);
    assert.equal(buckets[3]?.answered, 1);
  });

  test("latency per second keeps count, mean and max", () => {
    const timeline = new Timeline(START_MS);
    for (const us of [100, 300, 800]) timeline.recordLatencyUs(START_MS + 10, us);
    timeline.recordLatencyUs(START_MS + 1_010, 50);
    const [first, second] = timeline.buckets();
    assert.deepEqual([first?.latencyCount, first?.latencyMeanUs, first?.latencyMaxUs], [3, 400, 800]);
    assert.deepEqual([second?.latencyCount, second?.latencyMeanUs, second?.latencyMaxUs], [1, 50, 50]);
  });

  test("a gauge keeps the last value sampled in each second", () => {
    const timeline = new Timeline(START_MS);
    timeline.sample("pending", START_MS + 100, 7);
    timeline.sample("pending", START_MS + 900, 3);
    timeline.sample("botRssBytes", START_MS + 2_100, 0);
    const buckets = timeline.buckets();
    assert.deepEqual(
      buckets.map((b) => [b.pending, b.botRssBytes]),
      [
        [3, null],
        [null, null],
        [null, 0],
      ],
    );
  });

  test("sampleSecond sets a gauge in the second given, whenever it is called", () => {
    const timeline = new Timeline(START_MS);
    timeline.sampleSecond("pending", 2, 5);
    timeline.sampleSecond("pending", 0, 1);
    timeline.sampleSecond("pending", -1, 9);
    timeline.sampleSecond("pending", 1.5, 9);
    assert.deepEqual(
      timeline.buckets().map((b) => b.pending),
      [1, null, 5],
    );
    assert.equal(timeline.ignoredCount, 2, "a second that is not a whole number ≥ 0 is not placed");
  });

  test("events before the start count in second 0, and non-finite times are ignored and counted", () => {
    const timeline = new Timeline(START_MS);
    timeline.add("injected", START_MS - 50);
    timeline.add("injected", Number.NaN);
    timeline.recordLatencyUs(Number.POSITIVE_INFINITY, 5);
    assert.equal(timeline.buckets()[0]?.injected, 1);
    assert.equal(timeline.buckets().length, 1);
    assert.equal(timeline.ignoredCount, 2);
  });

  test("buckets(endMs) extends the timeline over quiet seconds at the end", () => {
    const timeline = new Timeline(START_MS);
    assert.deepEqual(timeline.buckets(), []);
    timeline.add("getUpdates", START_MS);
    assert.equal(timeline.buckets(START_MS + 4_000).length, 5);
    assert.equal(timeline.buckets(START_MS - 1_000).length, 1);
  });

  test("JSON.stringify writes the buckets", () => {
    const timeline = new Timeline(START_MS);
    timeline.add("webhookPosts", START_MS + 1_000);
    const parsed = JSON.parse(JSON.stringify({ timeline })) as { timeline: { webhookPosts: number }[] };
    assert.deepEqual(
      parsed.timeline.map((b) => b.webhookPosts),
      [0, 1],
    );
  });
});
