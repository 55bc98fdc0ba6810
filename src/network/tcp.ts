import type { Rng } from "../generator/rng.ts";
import { TCP } from "./defaults.ts";

/**
 * TCP's retransmission timeout for a path of round trip `srttMs` and variation `rttVarMs`:
 * RTO = SRTT + 4·RTTVAR (RFC 6298 (2.3)), at least Linux's TCP_RTO_MIN (200 ms) and at most
 * TCP_RTO_MAX (120 s) (RFC 6298 (2.4)/(2.5) allow both). On any path under ~200 ms it is 200 ms.
 */
export function retransmissionTimeoutMs(srttMs: number, rttVarMs: number): number {
  return Math.min(TCP.maxRtoMs, Math.max(TCP.minRtoMs, srttMs + 4 * rttVarMs));
}

/** How many segments a chunk of `bytes` travels in (at least one: a FIN or an empty write is one). */
export function segmentCount(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / TCP.mssBytes));
}

/** Attempts after which Linux gives up on a segment (net.ipv4.tcp_retries2 = 15); a bound on the loop. */
const MAX_ATTEMPTS = 15;

/**
 * Extra time a chunk of `segments` segments waits because some were lost: each segment is lost
 * with `lossProbability`; a lost one is resent after `rtoMs`, and each further loss of the same
 * segment doubles the timeout (exponential backoff, RFC 6298 (5.5)). The chunk is complete when
 * its slowest segment arrives, so the wait is the largest of its segments'. Draws nothing when
 * `lossProbability` is 0.
 *
 * Not modelled: fast retransmit on three duplicate ACKs (RFC 5681 §3.2) and Linux's tail loss
 * probe (RFC 8985), which recover some losses in about one to two round trips instead; the
 * timeout is the cost a lone lost segment of a small request or answer pays at worst.
 */
export function lossDelayMs(rng: Rng, lossProbability: number, segments: number, rtoMs: number): number {
  if (lossProbability <= 0) return 0;
  let worstMs = 0;
  for (let s = 0; s < segments; s++) {
    let waitMs = 0;
    let timeoutMs = rtoMs;
    for (let attempt = 1; attempt < MAX_ATTEMPTS && rng.chance(lossProbability); attempt++) {
      waitMs += timeoutMs;
      timeoutMs = Math.min(TCP.maxRtoMs, timeoutMs * 2);
    }
    if (waitMs > worstMs) worstMs = waitMs;
  }
  return worstMs;
}

/** Draws the one-way delays of a connection's two directions (ms, ≥ 0). */
export interface LegDelays {
  forwardMs(): number;
  backwardMs(): number;
}

/**
 * How long a new connection takes before its client's first byte can leave: `roundTrips` round
 * trips of handshake (TCP's SYN / SYN-ACK, then TLS 1.3's ClientHello / ServerHello…Finished), each
 * of a forward and a backward flight with their own jitter. A lost SYN or SYN-ACK waits the initial
 * 1 s timeout (RFC 6298 (2.1), Linux TCP_TIMEOUT_INIT), since no RTT is measured yet; a lost TLS
 * flight waits `rtoMs`.
 */
export function handshakeMs(
  delays: LegDelays,
  roundTrips: number,
  loss: { rng: Rng; forwardProbability: number; backwardProbability: number; rtoMs: number },
): number {
  let totalMs = 0;
  for (let trip = 0; trip < roundTrips; trip++) {
    const timeoutMs = trip === 0 ? TCP.initialRtoMs : loss.rtoMs;
    totalMs += delays.forwardMs() + lossDelayMs(loss.rng, loss.forwardProbability, 1, timeoutMs);
    totalMs += delays.backwardMs() + lossDelayMs(loss.rng, loss.backwardProbability, 1, timeoutMs);
  }
  return totalMs;
}
