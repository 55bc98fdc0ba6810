import type { Rng } from "../generator/rng.ts";
import { createJitter } from "./jitter.ts";
import type { NetworkLeg } from "./profile.ts";
import { handshakeMs, lossDelayMs, retransmissionTimeoutMs, segmentCount } from "./tcp.ts";

/**
 * When each chunk of one direction of one connection reaches the far end. Pure arithmetic on the
 * times it is given (no clock), so it is tested without sockets or timers.
 */
export class DirectionSchedule {
  readonly #leg: NetworkLeg;
  readonly #jitter: () => number;
  readonly #lossRng: Rng;
  readonly #rtoMs: number;
  #lastDeliveryMs = Number.NEGATIVE_INFINITY;
  #linkFreeMs = Number.NEGATIVE_INFINITY;

  constructor(leg: NetworkLeg, rng: Rng, rtoMs: number) {
    this.#leg = leg;
    this.#jitter = createJitter(leg.jitterMs, rng.fork("jitter"));
    this.#lossRng = rng.fork("loss");
    this.#rtoMs = rtoMs;
  }

  /** One draw of the one-way delay: the median plus jitter, never below 0. */
  sampleDelayMs(): number {
    return Math.max(0, this.#leg.delayMs + this.#jitter());
  }

  /**
   * The delivery time of `bytes` handed to the relay at `arrivalMs`, sent no earlier than
   * `notBeforeMs` (the end of the handshake): the bytes leave after the ones before them on this
   * link (bandwidth), travel one sampled delay, wait out any lost segment's timeout, and are never
   * delivered before an earlier chunk of this direction (TCP delivers in order; a late chunk holds
   * back those behind it). `bytes = 0` schedules a FIN: ordered, no serialisation time.
   */
  deliveryTimeMs(arrivalMs: number, bytes: number, notBeforeMs: number): number {
    let leaveMs = Math.max(arrivalMs, notBeforeMs);
    const bandwidth = this.#leg.bandwidthBitsPerSecond;
    if (bandwidth !== null && bytes > 0) {
      leaveMs = Math.max(leaveMs, this.#linkFreeMs) + (bytes * 8 * 1000) / bandwidth;
      this.#linkFreeMs = leaveMs;
    }
    const lossMs = lossDelayMs(this.#lossRng, this.#leg.lossProbability, segmentCount(bytes), this.#rtoMs);
    const dueMs = leaveMs + this.sampleDelayMs() + lossMs;
    this.#lastDeliveryMs = Math.max(this.#lastDeliveryMs, dueMs);
    return this.#lastDeliveryMs;
  }
}

/**
 * The schedule of one relayed connection: its handshake, then each direction's chunks.
 * `forward` carries what the connecting client sends, `backward` what the target answers.
 */
export class ConnectionSchedule {
  /** When the client's first byte may leave: opened + the sampled TCP (and TLS) handshake. */
  readonly readyAtMs: number;
  readonly forward: DirectionSchedule;
  readonly backward: DirectionSchedule;

  constructor(
    legs: { forward: NetworkLeg; backward: NetworkLeg },
    setupRoundTrips: number,
    rng: Rng,
    openedAtMs: number,
  ) {
    // RFC 6298's estimator settles at SRTT ≈ the round trip and RTTVAR ≈ its variation.
    const srttMs = legs.forward.delayMs + legs.backward.delayMs;
    const rttVarMs = Math.hypot(legs.forward.jitterMs, legs.backward.jitterMs);
    const rtoMs = retransmissionTimeoutMs(srttMs, rttVarMs);
    this.forward = new DirectionSchedule(legs.forward, rng.fork("forward"), rtoMs);
    this.backward = new DirectionSchedule(legs.backward, rng.fork("backward"), rtoMs);
    const setupMs = handshakeMs(
      { forwardMs: () => this.forward.sampleDelayMs(), backwardMs: () => this.backward.sampleDelayMs() },
      setupRoundTrips,
      {
        rng: rng.fork("handshake-loss"),
        forwardProbability: legs.forward.lossProbability,
        backwardProbability: legs.backward.lossProbability,
        rtoMs,
      },
    );
    this.readyAtMs = openedAtMs + setupMs;
  }

  /** Delivery time of a chunk the client sent at `arrivalMs`. */
  forwardDeliveryMs(arrivalMs: number, bytes: number): number {
    return this.forward.deliveryTimeMs(arrivalMs, bytes, this.readyAtMs);
  }

  /** Delivery time of a chunk the target sent at `arrivalMs`. */
  backwardDeliveryMs(arrivalMs: number, bytes: number): number {
    return this.backward.deliveryTimeMs(arrivalMs, bytes, this.readyAtMs);
  }
}
