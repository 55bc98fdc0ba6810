import { connect, type Socket } from "node:net";
import type { ConnectionSchedule } from "./connection-schedule.ts";
import { RELAY_DEFAULTS } from "./defaults.ts";
import type { DeliveryQueue } from "./delivery-queue.ts";
import type { RelayTimers } from "./timers.ts";

/** Traffic a relay has carried; `forward` is what clients sent, `backward` what the target answered. */
export interface RelayCounters {
  connectionsOpened: number;
  forwardChunks: number;
  forwardBytes: number;
  backwardChunks: number;
  backwardBytes: number;
}

/** One direction's backlog inside the relay, for back-pressure. */
interface Direction {
  readonly source: Socket;
  readonly dest: Socket;
  pendingBytes: number;
}

/**
 * One client connection and the relay's own connection to the target. Each chunk read from one
 * side is written to the other at the time the connection's schedule gives it, through the shared
 * delivery queue; a FIN (half-close) travels the same way, after the data before it. A reset or
 * error on either side ends both at once, as a lost connection does.
 */
export class RelayedConnection {
  readonly #client: Socket;
  readonly #upstream: Socket;
  readonly #schedule: ConnectionSchedule;
  readonly #queue: DeliveryQueue;
  readonly #timers: RelayTimers;
  readonly #counters: RelayCounters;
  #open = 2;
  #destroyed = false;

  constructor(
    client: Socket,
    target: { host: string; port: number },
    deps: {
      schedule: ConnectionSchedule;
      queue: DeliveryQueue;
      timers: RelayTimers;
      counters: RelayCounters;
    },
    onClosed: () => void,
  ) {
    this.#client = client;
    this.#schedule = deps.schedule;
    this.#queue = deps.queue;
    this.#timers = deps.timers;
    this.#counters = deps.counters;
    this.#upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    client.setNoDelay(true);
    for (const socket of [client, this.#upstream]) {
      socket.on("error", () => this.destroy());
      socket.on("close", () => {
        if (--this.#open === 0) onClosed();
        else if (!socket.readableEnded || !socket.writableFinished) this.destroy();
      });
    }
    this.#relay({ source: client, dest: this.#upstream, pendingBytes: 0 }, true);
    this.#relay({ source: this.#upstream, dest: client, pendingBytes: 0 }, false);
  }

  /** Resets both connections now (an RST, as a lost connection gives); chunks still waiting are dropped. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const socket of [this.#client, this.#upstream]) if (!socket.destroyed) socket.resetAndDestroy();
  }

  #relay(direction: Direction, forward: boolean): void {
    const { source, dest } = direction;
    const deliveryMs = forward
      ? (atMs: number, bytes: number) => this.#schedule.forwardDeliveryMs(atMs, bytes)
      : (atMs: number, bytes: number) => this.#schedule.backwardDeliveryMs(atMs, bytes);
    source.on("data", (chunk: Buffer) => {
      const dueMs = deliveryMs(this.#timers.nowMs(), chunk.length);
      if (forward) {
        this.#counters.forwardChunks++;
        this.#counters.forwardBytes += chunk.length;
      } else {
        this.#counters.backwardChunks++;
        this.#counters.backwardBytes += chunk.length;
      }
      direction.pendingBytes += chunk.length;
      if (direction.pendingBytes + dest.writableLength > RELAY_DEFAULTS.highWaterBytes) source.pause();
      this.#queue.schedule(dueMs, () => {
        direction.pendingBytes -= chunk.length;
        if (this.#destroyed || dest.destroyed) return;
        dest.write(chunk);
        this.#maybeResume(direction);
      });
    });
    dest.on("drain", () => this.#maybeResume(direction));
    // A half-close: the FIN follows the data sent before it.
    source.on("end", () => {
      const dueMs = deliveryMs(this.#timers.nowMs(), 0);
      this.#queue.schedule(dueMs, () => {
        if (!this.#destroyed && !dest.destroyed) dest.end();
      });
    });
  }

  #maybeResume(direction: Direction): void {
    if (!direction.source.isPaused()) return;
    if (direction.pendingBytes + direction.dest.writableLength <= RELAY_DEFAULTS.lowWaterBytes) {
      direction.source.resume();
    }
  }
}
