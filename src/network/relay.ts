import { createServer, type Server, type Socket } from "node:net";
import type { Rng } from "../generator/rng.ts";
import { ConnectionSchedule } from "./connection-schedule.ts";
import { RELAY_DEFAULTS } from "./defaults.ts";
import { DeliveryQueue, type DeliveryQueueStats } from "./delivery-queue.ts";
import { legsToward, type NetworkProfile, type RelayTarget } from "./profile.ts";
import { type RelayCounters, RelayedConnection } from "./relayed-connection.ts";
import { type RelayTimers, systemTimers } from "./timers.ts";

export interface RelayOptions {
  profile: NetworkProfile;
  /** What the relay forwards to: the fake API (`telegram`) or the bot's webhook server (`bot`). */
  toward: RelayTarget;
  /** Address of that target. */
  target: { host: string; port: number };
  /** Seeds every connection's jitter and loss (each connection forks its own stream). */
  rng: Rng;
  /** Share one queue (one timer) between relays; by default the relay has its own. */
  queue?: DeliveryQueue;
  timers?: RelayTimers;
  /** Where to listen; loopback unless told otherwise. The port is chosen by the OS. */
  host?: string;
}

/** What a relay has carried, and how punctually its queue delivered. */
export interface RelayStats extends RelayCounters {
  connectionsOpen: number;
  queue: DeliveryQueueStats;
}

/**
 * A TCP relay on loopback that makes a connection behave like one across `profile`'s network: a
 * client connects to the relay, the relay connects to the target, and every chunk either way is
 * delivered after the profile's one-way delay (with jitter, loss and bandwidth), in order, after
 * the connection's handshake. It speaks no HTTP: it carries bytes, like the network does.
 */
export class NetworkRelay {
  readonly host: string;
  readonly port: number;
  readonly #server: Server;
  readonly #queue: DeliveryQueue;
  readonly #ownsQueue: boolean;
  readonly #connections = new Set<RelayedConnection>();
  readonly #counters: RelayCounters;
  #closed = false;

  private constructor(server: Server, queue: DeliveryQueue, ownsQueue: boolean, counters: RelayCounters) {
    this.#server = server;
    this.#queue = queue;
    this.#ownsQueue = ownsQueue;
    this.#counters = counters;
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("relay is not listening on TCP");
    this.host = address.address;
    this.port = address.port;
  }

  /** Starts listening; resolves once the relay accepts connections. */
  static async start(options: RelayOptions): Promise<NetworkRelay> {
    const timers = options.timers ?? systemTimers;
    const queue = options.queue ?? new DeliveryQueue(timers);
    const counters: RelayCounters = {
      connectionsOpened: 0,
      forwardChunks: 0,
      forwardBytes: 0,
      backwardChunks: 0,
      backwardBytes: 0,
    };
    const legs = legsToward(options.profile, options.toward);
    let relay: NetworkRelay | undefined;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, (client: Socket) => {
      if (relay === undefined || relay.#closed) {
        client.destroy();
        return;
      }
      const index = counters.connectionsOpened++;
      const schedule = new ConnectionSchedule(
        legs,
        options.profile.setupRoundTrips,
        options.rng.fork(`connection-${index}`),
        timers.nowMs(),
      );
      const connection = new RelayedConnection(
        client,
        options.target,
        { schedule, queue, timers, counters },
        () => relay!.#connections.delete(connection),
      );
      relay.#connections.add(connection);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: options.host ?? RELAY_DEFAULTS.host, port: 0 }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    relay = new NetworkRelay(server, queue, options.queue === undefined, counters);
    return relay;
  }

  /** `http://HOST:PORT`, no trailing slash. */
  get origin(): string {
    const host = this.host.includes(":") ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  stats(): RelayStats {
    return { ...this.#counters, connectionsOpen: this.#connections.size, queue: this.#queue.stats() };
  }

  /** Stops accepting, destroys every relayed connection (both sockets) and drops what is in flight. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const connection of this.#connections) connection.destroy();
    this.#connections.clear();
    if (this.#ownsQueue) this.#queue.close();
    await closed;
  }
}
