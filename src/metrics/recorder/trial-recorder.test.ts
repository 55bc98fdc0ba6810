/**
 * The trial recorder on a hand-made sequence of events, with an injected clock: the window, every
 * second of the timeline and every total are checked exactly.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type BotCounters, newBotCounters } from "../../fake-api/counters.ts";
import { FakeApiEvents } from "../../fake-api/events.ts";
import type { Message } from "../../fake-api/telegram-types.ts";
import { networkPreset } from "../../network/index.ts";
import { decodeLatencyHistogram } from "../latency-histogram.ts";
import type { TrackedUpdate } from "../reply-matcher-types.ts";
import { TrialRecorder } from "./trial-recorder.ts";

const BOT = 7_000_001;
const OTHER_BOT = 7_000_002;
const START_MS = 10_000;
const CHAT = 42;

/** A clock the test moves by hand. */
class HandClock {
  ms = 0;
  nowMs(): number {
    return this.ms;
  }
}

function textUpdate(
  seq: number,
  updateId: number,
  intendedAtMs: number,
  injectedAtMs: number,
): TrackedUpdate {
  return {
    seq,
    updateId,
    chatId: CHAT,
    kind: "text",
    messageId: 100 + seq,
    correlation: `#${seq}`,
    intendedAtMs,
    injectedAtMs,
  };
}

function reply(replyTo: number | undefined, text = "echo"): Message {
  const chat = { id: CHAT, type: "private" as const };
  return {
    message_id: 900,
    date: 0,
    chat,
    text,
    ...(replyTo === undefined ? {} : { reply_to_message: { message_id: replyTo, date: 0, chat } }),
  };
}

/** A recorder over a 3 s window at 1/s, listening to `events`, with fake CPU readings. */
function setUp(counters: BotCounters, durationMs = 3_000) {
  const clock = new HandClock();
  const events = new FakeApiEvents();
  let cpuMs = 100;
  const recorder = new TrialRecorder({
    botId: BOT,
    startMs: START_MS,
    durationMs,
    ratePerSecond: 1,
    clock,
    readCounters: () => counters,
    readBotProcess: () => ({
      cpuUserMs: cpuMs,
      cpuSystemMs: 0,
      rssBytes: 5_000 + cpuMs,
      peakRssBytes: 9_000,
    }),
    readHarnessCpuMs: () => cpuMs / 2,
  });
  clock.ms = START_MS - 5;
  recorder.attach(events);
  return {
    clock,
    events,
    recorder,
    burnCpu: (ms: number) => {
      cpuMs += ms;
    },
  };
}

/** Within HdrHistogram's 0.1 % (and a float's last digits). */
function near(actual: number | null, expected: number): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= expected * 0.001, `${actual} ≉ ${expected}`);
}

const END = {
  trial: 1,
  seed: "s/1",
  startedAt: "2026-01-01T00:00:00.000Z",
  network: { profile: networkPreset("loopback"), seed: "s/1", emulator: "none", stats: null },
  outcome: { kind: "completed" } as const,
};

describe("TrialRecorder", () => {
  test("a hand-made trial: the window, every second of the timeline and every total, exactly", () => {
    const counters: BotCounters = {
      ...newBotCounters(),
      requestsByMethod: { getupdates: 4, sendmessage: 3 },
      getUpdatesCalls: 4,
      // The last poll (3,150 ms) is still held when the trial ends.
      getUpdatesAnswered: 3,
      emptyGetUpdates: 1,
      bytesIn: 20 + 80 + 80 + 20 + 80,
      bytesOut: 300 + 150 + 23 + 150 + 300 + 150,
      updatesDeliveredByPolling: 2,
      updatesExpired: 1,
      messagesSent: 3,
    };
    const { clock, events, recorder, burnCpu } = setUp(counters);
    const at = (ms: number) => {
      clock.ms = START_MS + ms;
      return START_MS + ms;
    };
    const request = (ms: number, method: string, bytes: number) => {
      events.emit("request", { botId: BOT, method, via: "http", atMs: at(ms) });
      events.emit("counted", { botId: BOT, counter: "bytesIn", amount: bytes, atMs: at(ms) });
    };
    const answer = (ms: number, bytes: number) =>
      events.emit("counted", { botId: BOT, counter: "bytesOut", amount: bytes, atMs: at(ms) });

    // Second 0. Update #1 is meant for 100 ms and handed over 0.5 ms late.
    request(50, "getupdates", 20);
    recorder.offered(at(100), at(100.5));
    recorder.injected(textUpdate(1, 501, START_MS + 100, START_MS + 100.5));
    events.emit("delivered", { botId: BOT, updateIds: [501], via: "getUpdates", atMs: at(200) });
    answer(200, 300);
    request(400, "sendmessage", 80);
    events.emit("message", { botId: BOT, message: reply(101), method: "sendmessage", atMs: at(400) });
    answer(400, 150);
    // A duplicate reply, and another bot's traffic, which is not ours.
    request(600, "sendmessage", 80);
    events.emit("message", { botId: BOT, message: reply(101), method: "sendmessage", atMs: at(600) });
    answer(600, 23);
    events.emit("request", { botId: OTHER_BOT, method: "getupdates", via: "http", atMs: at(700) });
    events.emit("counted", { botId: OTHER_BOT, counter: "bytesIn", amount: 999, atMs: at(700) });
    // Update #2 is meant for 999 ms (second 0) but handed over at 1,001.5 ms (second 1).
    recorder.offered(START_MS + 999, at(1_001.5));
    recorder.injected(textUpdate(2, 502, START_MS + 999, START_MS + 1_001.5));
    // The gauge timer fires 2 ms early for the end of second 0: the sample still lands in second 0.
    clock.ms = START_MS + 998;
    burnCpu(30);
    recorder.sampleGauges(0);
    // Second 1: an empty poll, answered in second 2; update #3 expires before it is handed over.
    request(1_500, "getupdates", 20);
    events.emit("counted", { botId: BOT, counter: "emptyGetUpdates", amount: 1, atMs: at(2_100) });
    answer(2_100, 150);
    recorder.offered(at(1_700), at(1_700));
    recorder.injected(textUpdate(3, 503, START_MS + 1_700, START_MS + 1_700));
    events.emit("expired", { botId: BOT, updateId: 503, atMs: at(1_800) });
    recorder.sampleGauges(1);
    // Second 2: update #2 is handed over; a reply nobody waits for in another chat.
    request(2_500, "getupdates", 80);
    events.emit("delivered", { botId: BOT, updateIds: [502], via: "getUpdates", atMs: at(2_500) });
    answer(2_500, 300);
    events.emit("message", {
      botId: BOT,
      message: { ...reply(undefined), chat: { id: 7, type: "private" } },
      method: "sendmessage",
      atMs: at(2_600),
    });
    recorder.sampleGauges(2);
    // The window ends at 3,000 ms; the runner wakes at 3,004 ms and takes the backlog (#2).
    clock.ms = START_MS + 3_004;
    recorder.closeWindow("duration");
    // The drain: #2 is answered at 3,100 ms (second 3, outside the window), then a last poll.
    request(3_100, "sendmessage", 0);
    events.emit("message", { botId: BOT, message: reply(102), method: "sendmessage", atMs: at(3_100) });
    answer(3_100, 150);
    request(3_150, "getupdates", 0);
    clock.ms = START_MS + 3_200;
    burnCpu(20);
    const t = recorder.finish(END);

    assert.deepEqual(t.window, { windowMs: 3_000, endedBy: "duration", recordedMs: 3_200 });
    const series = (name: keyof (typeof t.timeline)[number]) => t.timeline.map((b) => b[name]);
    assert.deepEqual(series("second"), [0, 1, 2, 3]);
    assert.deepEqual(series("offered"), [2, 1, 0, 0], "by intended time");
    assert.deepEqual(series("injected"), [1, 2, 0, 0], "by the time they were created");
    assert.deepEqual(series("delivered"), [1, 0, 1, 0]);
    assert.deepEqual(series("answered"), [1, 0, 0, 1]);
    assert.deepEqual(series("duplicates"), [1, 0, 0, 0]);
    assert.deepEqual(series("unmatched"), [0, 0, 1, 0]);
    assert.deepEqual(series("expired"), [0, 1, 0, 0]);
    assert.deepEqual(series("requests"), [3, 1, 1, 2], "HTTP calls of this bot only");
    assert.deepEqual(series("getUpdates"), [1, 1, 1, 1]);
    assert.deepEqual(series("emptyGetUpdates"), [0, 0, 1, 0], "when the empty answer went out");
    assert.deepEqual(series("bytesIn"), [180, 20, 80, 0]);
    assert.deepEqual(series("bytesOut"), [473, 0, 450, 150]);
    assert.deepEqual(series("latencyCount"), [1, 0, 0, 1]);
    assert.deepEqual(series("latencyMeanUs"), [300_000, null, null, 2_101_000]);
    assert.deepEqual(series("pending"), [1, 1, 0, 0], "#2 waits to be handed over until second 2");
    assert.deepEqual(series("deliveredUnanswered"), [0, 0, 1, 0]);
    assert.deepEqual(series("botCpuMs"), [130, 130, 130, 150]);
    assert.deepEqual(series("harnessCpuMs"), [65, 65, 65, 75]);
    assert.deepEqual(t.timelineCheck, { balanced: true, mismatches: [], ignoredEvents: 0 });

    assert.deepEqual(
      { ...t.ledger, invalidFields: undefined },
      {
        generated: 3,
        notInjected: 0,
        filtered: 0,
        answered: 2,
        deliveredUnanswered: 0,
        pending: 0,
        expired: 1,
        dropped: 0,
        accounted: 3,
        discrepancy: 0,
        invalidFields: undefined,
        balanced: true,
      },
    );
    assert.deepEqual(t.matching, {
      matched: 2,
      byReplyTo: 2,
      byText: 0,
      byFirstUnanswered: 0,
      byCallbackId: 0,
      duplicates: 1,
      unmatched: 1,
    });
    // Latencies of #1 (meant 100 ms, sent 100.5, handed over 200, answered 400) and #2 (meant
    // 999, sent 1,001.5, handed over 2,500, answered 3,100), within HdrHistogram's 0.1 %.
    const e2e = decodeLatencyHistogram(t.latency.endToEnd.histogram!);
    assert.equal(e2e.count, 2);
    const { endToEnd, fromActualSend, deliveryWait, botTime } = t.latency;
    near(endToEnd.minUs, 300_000);
    near(endToEnd.maxUs, 2_101_000);
    near(fromActualSend.minUs, 299_500);
    near(fromActualSend.maxUs, 2_098_500);
    near(deliveryWait.minUs, 100_000);
    near(deliveryWait.maxUs, 1_501_000);
    near(botTime.minUs, 200_000);
    near(botTime.maxUs, 600_000);
    assert.deepEqual(
      [t.generator.lateness.count, t.generator.lateOver1Ms],
      [3, 1],
      "#2 was handed over 2.5 ms late",
    );
    // Rates count what happened inside the 3 s window: #2's answer came after it.
    assert.equal(t.throughput.offeredPerSecond, 1);
    assert.equal(t.throughput.answeredPerSecond, 1 / 3);
    assert.equal(t.throughput.backlogAtWindowEnd, 1);
    assert.equal(t.throughput.sustained, true, "a backlog of 1 is one second of traffic at 1/s");
    assert.equal(t.requests.total, 7);
    assert.equal(t.requests.perHour.requests, (5 / 3_000) * 3_600_000);
    assert.equal(t.requests.perHour.emptyRequests, (1 / 3_000) * 3_600_000);
    assert.equal(t.requests.perHour.bytes, ((280 + 923) / 3_000) * 3_600_000);
    assert.equal(t.requests.perAnsweredUpdate.requests, 3.5);
    assert.equal(t.requests.emptyShare, 1 / 3, "of the answered polls: the held one is neither");
    assert.equal(t.requests.getUpdatesAnswered, 3);
    assert.deepEqual([t.requests.bytesIn, t.requests.bytesOut], [280, 1_073]);
    assert.equal(t.cost.botCpuMs, 50, "from attach to finish");
    assert.equal(t.cost.botPeakRssBytes, 9_000);
  });

  test("a trial without arrivals measures its whole window and has no rates (null, not 0)", () => {
    const counters = {
      ...newBotCounters(),
      requestsByMethod: { getupdates: 2 },
      getUpdatesCalls: 2,
      getUpdatesAnswered: 2,
      emptyGetUpdates: 2,
    };
    const { clock, events, recorder } = setUp(counters);
    for (const ms of [200, 1_200]) {
      clock.ms = START_MS + ms;
      events.emit("request", { botId: BOT, method: "getupdates", via: "http", atMs: clock.ms });
      events.emit("counted", { botId: BOT, counter: "emptyGetUpdates", amount: 1, atMs: clock.ms });
    }
    clock.ms = START_MS + 3_001;
    recorder.closeWindow("duration");
    const t = recorder.finish(END);
    assert.equal(t.window.windowMs, 3_000);
    assert.equal(t.ledger.generated, 0);
    assert.deepEqual([t.throughput.offeredPerSecond, t.throughput.answeredPerSecond], [null, null]);
    assert.deepEqual(t.requests.perAnsweredUpdate, { requests: null, emptyRequests: null, bytes: null });
    assert.equal(t.requests.perHour.emptyRequests, 2_400, "2 empty polls in 3 s: 2,400 an hour");
    assert.equal(t.latency.endToEnd.p99Us, null);
    assert.deepEqual(
      t.timeline.map((b) => b.emptyGetUpdates),
      [1, 1, 0, 0],
    );
    assert.equal(t.timelineCheck?.balanced, true);
  });

  test("an update-count run ends its window when the last update is handed over", () => {
    const counters = { ...newBotCounters(), requestsByMethod: { getupdates: 2 }, getUpdatesCalls: 2 };
    const { clock, events, recorder } = setUp(counters);
    recorder.offered(START_MS + 1_000, START_MS + 1_000);
    recorder.notInjected();
    clock.ms = START_MS + 1_500;
    events.emit("request", { botId: BOT, method: "getupdates", via: "http", atMs: clock.ms });
    recorder.closeWindow("update-count");
    clock.ms = START_MS + 1_600;
    events.emit("request", { botId: BOT, method: "getupdates", via: "http", atMs: clock.ms });
    const t = recorder.finish(END);
    assert.deepEqual(t.window, { windowMs: 1_500, endedBy: "update-count", recordedMs: 1_600 });
    assert.equal(
      t.requests.perHour.requests,
      (1 / 1_500) * 3_600_000,
      "the poll after the window is not in it",
    );
    near(t.throughput.offeredPerSecond, 1 / 1.5);
    assert.equal(t.ledger.notInjected, 1);
    assert.equal(t.timelineCheck?.balanced, true);
  });

  test("the timeline check names a series that does not add up to its total", () => {
    const counters = { ...newBotCounters(), requestsByMethod: { getupdates: 2 }, getUpdatesCalls: 2 };
    const { clock, events, recorder } = setUp(counters);
    clock.ms = START_MS + 10;
    events.emit("request", { botId: BOT, method: "getupdates", via: "http", atMs: clock.ms });
    const t = recorder.finish(END);
    assert.equal(t.timelineCheck?.balanced, false);
    assert.deepEqual(t.timelineCheck?.mismatches, [
      { series: "requests", bucketSum: 1, total: 2 },
      { series: "getUpdates", bucketSum: 1, total: 2 },
    ]);
    assert.equal(t.window.endedBy, "stopped-early", "finish closes a window nobody closed");
  });
});
