/**
 * The network model's scheduling (src/network/): a jitter draw (jitter.ts), the delivery time of
 * one chunk and a new connection's handshake (connection-schedule.ts), and the delivery queue's
 * heap behind one timer (delivery-queue.ts), on a clock that only moves when the task moves it:
 * no socket and no real timer.
 */
import { createRng } from "../../src/generator/index.ts";
import {
  ConnectionSchedule,
  createJitter,
  DeliveryQueue,
  legsToward,
  networkPreset,
  networkWithRtt,
  type RelayTimers,
} from "../../src/network/index.ts";
import type { MicroSuite } from "./suite.ts";

/** A typical chunk: one webhook POST or one API answer. */
const CHUNK_BYTES = 1_200;
/** Fake time between two chunks handed to the relay (20,000 chunks/s). */
const CHUNK_SPACING_MS = 0.05;

interface Pending {
  readonly dueMs: number;
  readonly callback: () => void;
}

/** Fake time one turn of the event loop takes, so a queue polling with setImmediate gets to its due time. */
const IMMEDIATE_TURN_MS = 0.01;

/**
 * Timers on fake time for a queue that keeps at most one timer or immediate pending (the
 * DeliveryQueue's promise): `advanceTo` fires it, and whatever it re-arms, while due, each at its
 * due time.
 */
class SteppingTimers implements RelayTimers {
  #nowMs = 0;
  #pending: Pending | undefined;

  nowMs(): number {
    return this.#nowMs;
  }
  setTimeout(callback: () => void, delayMs: number): unknown {
    this.#pending = { dueMs: this.#nowMs + Math.max(1, delayMs), callback };
    return this.#pending;
  }
  clearTimeout(handle: unknown): void {
    if (this.#pending === handle) this.#pending = undefined;
  }
  setImmediate(callback: () => void): unknown {
    this.#pending = { dueMs: this.#nowMs + IMMEDIATE_TURN_MS, callback };
    return this.#pending;
  }
  clearImmediate(handle: unknown): void {
    this.clearTimeout(handle);
  }
  advanceTo(toMs: number): void {
    while (this.#pending !== undefined && this.#pending.dueMs <= toMs) {
      const { dueMs, callback } = this.#pending;
      this.#nowMs = Math.max(this.#nowMs, dueMs);
      this.#pending = undefined;
      callback();
    }
    this.#nowMs = toMs;
  }
}

export const networkScheduleSuite: MicroSuite = {
  name: "network-schedule",
  description: "jitter, chunk delivery times, the delivery queue: src/network/",
  build() {
    const rng = createRng("micro-network");
    const continent = networkPreset("continent");
    const lossy = networkWithRtt(60, { lossPercent: 1, bandwidthMbitPerSecond: 100 });
    const jitter = createJitter(continent.toBot.jitterMs, rng.fork("jitter"));
    const connection = (profile: typeof continent, name: string) =>
      new ConnectionSchedule(legsToward(profile, "telegram"), profile.setupRoundTrips, rng.fork(name), 0);
    const plain = connection(continent, "plain");
    const lossyConnection = connection(lossy, "lossy");
    let plainAtMs = 0;
    let lossyAtMs = 0;

    const timers = new SteppingTimers();
    const queue = new DeliveryQueue(timers);
    const spread = rng.fork("spread");
    let queueAtMs = 0;
    let ran = 0;
    const run = () => {
      ran++;
    };

    return {
      tasks: [
        { name: "jitter draw (continent, sd 1 ms)", batch: 1_000, run: jitter },
        {
          name: "chunk delivery time (continent)",
          batch: 1_000,
          run: () => {
            plainAtMs += CHUNK_SPACING_MS;
            return plain.forwardDeliveryMs(plainAtMs, CHUNK_BYTES);
          },
        },
        {
          name: "chunk delivery time (60 ms, 1% loss, 100 Mbit/s)",
          batch: 1_000,
          run: () => {
            lossyAtMs += CHUNK_SPACING_MS;
            return lossyConnection.forwardDeliveryMs(lossyAtMs, CHUNK_BYTES);
          },
        },
        {
          name: "new connection: TCP + TLS handshake (continent)",
          batch: 100,
          run: () => connection(continent, "new"),
        },
        {
          name: "delivery queue: schedule + run (~1,000 in flight)",
          batch: 1_000,
          run: () => {
            queue.schedule(queueAtMs + 40 + 20 * spread.next(), run);
            queueAtMs += CHUNK_SPACING_MS;
            timers.advanceTo(queueAtMs);
          },
        },
      ],
      teardown: () => {
        queue.close();
        if (ran === 0 && queueAtMs > 100) throw new Error("the delivery queue never ran an item");
      },
    };
  },
};
