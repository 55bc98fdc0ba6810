/**
 * The simulated network between the bot and Telegram: a one-way delay per message (base + jitter +
 * retransmission timeouts for losses), and client-side connection pools whose new connections
 * cost a handshake. Every connection carries one request at a time (no pipelining, as undici's
 * Pool and telegram-bot-api's webhook connections), so TCP's in-order delivery never holds a
 * message back and each message's delay is drawn independently.
 */
import type { Rng } from "../../generator/rng.ts";
import type { ResolvedModelInput } from "../inputs.ts";

/** Connections open when a run starts (what the warm-up left), per client. */
export interface OpenConnections {
  /** The bot's to the API. */
  api: number;
  /** Telegram's webhook dispatcher's to the bot. */
  webhook: number;
}

/** One-way delays, drawn per message; and the connections open at the start. */
export class SimNetwork {
  readonly #input: ResolvedModelInput;
  readonly #rng: Rng;
  readonly openAtStart: OpenConnections;

  constructor(input: ResolvedModelInput, rng: Rng, openAtStart: OpenConnections = { api: 1, webhook: 1 }) {
    this.#input = input;
    this.#rng = rng;
    this.openAtStart = openAtStart;
  }

  /** Bot → Telegram. */
  upMs(): number {
    return this.#oneWay(this.#input.upMs);
  }

  /** Telegram → bot. */
  downMs(): number {
    return this.#oneWay(this.#input.downMs);
  }

  /** The handshake of a new connection opened by the bot (`fromBot`) or by Telegram. */
  setupMs(fromBot: boolean): number {
    let total = 0;
    for (let i = 0; i < this.#input.connectionSetupRoundTrips; i++) {
      total += fromBot ? this.upMs() + this.downMs() : this.downMs() + this.upMs();
    }
    return total;
  }

  #oneWay(baseMs: number): number {
    const input = this.#input;
    let delay = baseMs + input.jitter.sample(this.#rng);
    if (input.lossShare > 0) {
      let rto = input.retransmitTimeoutMs;
      while (this.#rng.next() < input.lossShare) {
        delay += rto;
        rto *= 2;
      }
    }
    return delay;
  }
}

/** A connection handed out by {@link ConnectionPool.acquire}: what its set-up cost, and how to give it back. */
export type WithConnection = (setupMs: number, release: () => void) => void;

/**
 * A client's connection pool: reuses an idle connection, else opens a new one (paying the
 * handshake) while under `maxConnections`, else queues the request (FIFO) until one is released.
 * `perCall` closes every connection after its request (telegraf over http://).
 */
export class ConnectionPool {
  readonly #max: number;
  readonly #perCall: boolean;
  readonly #setupMs: () => number;
  #open: number;
  #idle: number;
  readonly #waiting: WithConnection[] = [];
  #waitingHead = 0;
  /** Connections opened during the run (after the warm ones). */
  opened = 0;

  constructor(maxConnections: number, perCall: boolean, openAtStart: number, setupMs: () => number) {
    this.#max = maxConnections;
    this.#perCall = perCall;
    this.#setupMs = setupMs;
    this.#open = perCall ? 0 : Math.min(openAtStart, maxConnections);
    this.#idle = this.#open;
  }

  acquire(use: WithConnection): void {
    if (this.#idle > 0) {
      this.#idle--;
      use(0, this.#releaser());
    } else if (this.#open < this.#max) {
      this.#open++;
      this.opened++;
      use(this.#setupMs(), this.#releaser());
    } else {
      this.#waiting.push(use);
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.#perCall) this.#open--;
      else this.#idle++;
      if (this.#waitingHead < this.#waiting.length) {
        const next = this.#waiting[this.#waitingHead++]!;
        if (this.#waitingHead > 1024) {
          this.#waiting.splice(0, this.#waitingHead);
          this.#waitingHead = 0;
        }
        this.acquire(next);
      }
    };
  }
}
