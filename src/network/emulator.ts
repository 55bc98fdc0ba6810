import { createRng, type Rng } from "../generator/rng.ts";
import { NETWORK_DEFAULTS, RELAY_DEFAULTS } from "./defaults.ts";
import { DeliveryQueue, type DeliveryQueueStats } from "./delivery-queue.ts";
import { isLoopback, type NetworkProfile, type RelayTarget } from "./profile.ts";
import { NetworkRelay, type RelayStats } from "./relay.ts";
import { type RelayTimers, systemTimers } from "./timers.ts";

export interface NetworkEmulatorOptions {
  /** Seed of every jitter and loss draw; record it beside results. Default {@link NETWORK_DEFAULTS.seed}. */
  seed?: string | number;
  timers?: RelayTimers;
  /** See {@link RELAY_DEFAULTS.spinBudgetShare}. */
  spinBudgetShare?: number;
}

/** Traffic per relay (keyed `telegram <origin>` / `bot <origin>`) and the shared queue's punctuality. */
export interface NetworkStats {
  relays: Record<string, Omit<RelayStats, "queue">>;
  queue: DeliveryQueueStats;
}

/**
 * The network between a bot and the fake Telegram, in one place: give it a URL a client would
 * use, get back the URL to use instead. For `loopback` that is the URL itself and nothing runs; for
 * any other profile it is a {@link NetworkRelay} on 127.0.0.1 in front of the URL's host and port,
 * one per target, all sharing one delivery queue (one timer).
 *
 * ```ts
 * const network = new NetworkEmulator(profile, { seed });
 * const apiRoot = await network.route(await fakeApi.listen(), "telegram"); // give this to the bot
 * const webhookUrl = await network.route(botsWebhookUrl, "bot");          // POST here instead
 * …
 * await network.close();
 * ```
 */
export class NetworkEmulator {
  readonly profile: NetworkProfile;
  readonly #rng: Rng;
  readonly #timers: RelayTimers;
  readonly #queue: DeliveryQueue;
  readonly #starting = new Map<string, Promise<NetworkRelay>>();
  readonly #relays = new Map<string, NetworkRelay>();
  #closed = false;

  constructor(profile: NetworkProfile, options: NetworkEmulatorOptions = {}) {
    this.profile = profile;
    this.#rng = createRng(options.seed ?? NETWORK_DEFAULTS.seed).fork(`network/${profile.name}`);
    this.#timers = options.timers ?? systemTimers;
    this.#queue = new DeliveryQueue(this.#timers, options.spinBudgetShare ?? RELAY_DEFAULTS.spinBudgetShare);
  }

  /** True when the profile adds nothing: {@link route} returns URLs unchanged. */
  get isLoopback(): boolean {
    return isLoopback(this.profile);
  }

  /**
   * The URL a client should use to reach `url` across the network: same scheme, credentials, path
   * and query, with host and port replaced by a relay toward `target` (`telegram` for the API root
   * the bot is given, `bot` for the webhook URL the dispatcher POSTs to). The same origin and
   * target always get the same relay. `http:` URLs only: the relay carries plain bytes, and the
   * TLS handshake's cost is part of the profile instead.
   */
  async route(url: string, target: RelayTarget): Promise<string> {
    if (this.#closed) throw new Error("network emulator is closed");
    if (this.isLoopback) return url;
    const parsed = new URL(url);
    if (parsed.protocol !== "http:") {
      throw new Error(
        `the network relay carries plain HTTP; got a ${parsed.protocol} URL (${parsed.origin})`,
      );
    }
    const key = `${target} ${parsed.origin}`;
    let relay = this.#starting.get(key);
    if (relay === undefined) {
      relay = NetworkRelay.start({
        profile: this.profile,
        toward: target,
        target: { host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(parsed.port || 80) },
        // Forked by target and order, not by origin: ports change from run to run, draws must not.
        rng: this.#rng.fork(`${target}-${this.#countFor(target)}`),
        queue: this.#queue,
        timers: this.#timers,
      });
      this.#starting.set(key, relay);
    }
    const started = await relay;
    if (this.#closed) {
      await started.close();
      throw new Error("network emulator is closed");
    }
    this.#relays.set(key, started);
    const { host, port } = started;
    parsed.hostname = host.includes(":") ? `[${host}]` : host;
    parsed.port = String(port);
    const routed = parsed.toString();
    // URL serialises a bare origin with a trailing "/"; keep an API root without one as it was.
    const bareOrigin =
      parsed.pathname === "/" && parsed.search === "" && parsed.hash === "" && !url.endsWith("/");
    return bareOrigin ? routed.slice(0, -1) : routed;
  }

  #countFor(target: RelayTarget): number {
    let n = 0;
    for (const key of this.#starting.keys()) if (key.startsWith(`${target} `)) n++;
    return n;
  }

  /** What every relay carried so far, and how punctual the shared queue was. */
  stats(): NetworkStats {
    const relays: NetworkStats["relays"] = {};
    for (const [key, relay] of this.#relays) {
      const { queue: _queue, ...counters } = relay.stats();
      relays[key] = counters;
    }
    return { relays, queue: this.#queue.stats() };
  }

  /** Closes every relay and every relayed socket, and cancels what is in flight. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const relays = await Promise.allSettled(this.#starting.values());
    await Promise.all(relays.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
    this.#queue.close();
  }
}
