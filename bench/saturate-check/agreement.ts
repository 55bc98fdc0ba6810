import { median } from "../../src/report/figures.ts";

/** saturate's closed loop and plain autocannon within this share of each other (issue 14). */
export const AGREEMENT_LIMIT = 0.1;

/** One side of a round. */
export interface Side {
  requestsPerSecond: number;
  repliesPerSecond: number;
  /** This process's CPU (autocannon, the fake API, the matching) per completed request, µs. */
  harnessCpuUsPerRequest: number;
  /** The bot's CPU per completed request, µs (clock-tick resolution); null when it could not be read. */
  botCpuUsPerRequest: number | null;
}

/** One round: both sides against the same bot, back to back, in the order they ran. */
export interface Round {
  order: ["saturate", "plain"] | ["plain", "saturate"];
  saturate: Side;
  plain: Side;
}

/** The rounds' verdict: medians of both sides and of the rounds' own ratios. */
export interface Agreement {
  saturateRepliesPerSecond: number;
  saturateRequestsPerSecond: number;
  plainRequestsPerSecond: number;
  /**
   * The median over rounds of (saturate replies/s − plain requests/s) / plain requests/s. Each
   * round's two sides ran back to back, so a round shares the machine's load of the moment; the
   * median of those paired differences is what is judged.
   */
  difference: number;
  /** The same from the two sides' medians, for reference. */
  differenceOfMedians: number;
  agrees: boolean;
}

/** The order of round `n` (from 0): alternating, so neither side always runs on a warmer bot. */
export function orderOf(n: number): Round["order"] {
  return n % 2 === 0 ? ["saturate", "plain"] : ["plain", "saturate"];
}

/** Compares saturate's headline figure (replies/s) with plain autocannon's requests/s. */
export function agreement(rounds: readonly Round[]): Agreement {
  const saturateReplies = median(rounds.map((r) => r.saturate.repliesPerSecond)) ?? Number.NaN;
  const saturateRequests = median(rounds.map((r) => r.saturate.requestsPerSecond)) ?? Number.NaN;
  const plain = median(rounds.map((r) => r.plain.requestsPerSecond)) ?? Number.NaN;
  const difference =
    median(
      rounds.map(
        (r) => (r.saturate.repliesPerSecond - r.plain.requestsPerSecond) / r.plain.requestsPerSecond,
      ),
    ) ?? Number.NaN;
  return {
    saturateRepliesPerSecond: saturateReplies,
    saturateRequestsPerSecond: saturateRequests,
    plainRequestsPerSecond: plain,
    difference,
    differenceOfMedians: (saturateReplies - plain) / plain,
    agrees: Number.isFinite(difference) && Math.abs(difference) <= AGREEMENT_LIMIT,
  };
}
