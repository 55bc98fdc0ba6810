import { NETWORK_PRESETS, type NetworkPresetName } from "./presets.ts";

/** One direction of the path between a bot and Telegram. */
export interface NetworkLeg {
  /** Median one-way delay, ms. */
  readonly delayMs: number;
  /** Standard deviation of the one-way delay, ms (the leg's share of the round trip's jitter). */
  readonly jitterMs: number;
  /** Probability that one TCP segment is lost in this direction, 0–1. */
  readonly lossProbability: number;
  /** Rate at which one connection's bytes leave in this direction; `null` = not limited. */
  readonly bandwidthBitsPerSecond: number | null;
}

/**
 * A resolved network between the bot and "Telegram" (the fake API and its webhook dispatcher). It
 * is plain data, stored in every result, and the only description of delays in the code.
 */
export interface NetworkProfile {
  /** Names the cell's network in reports: a preset (`continent`), `rtt-40ms`, plus any overrides. */
  readonly name: string;
  /** The preset it started from, if any. */
  readonly preset: NetworkPresetName | null;
  /** Median round trip, ms. */
  readonly rttMs: number;
  /** Standard deviation of the round trip, ms (`ping`'s mdev). */
  readonly jitterMs: number;
  /** Share of segments lost in each direction, percent. */
  readonly lossPercent: number;
  /** Per connection and direction; `null` = not limited. */
  readonly bandwidthMbitPerSecond: number | null;
  /** New connections pay a TLS 1.3 handshake after TCP's. */
  readonly https: boolean;
  /** Round trips a new connection pays before its first byte: TCP's handshake, plus TLS's when https. */
  readonly setupRoundTrips: number;
  /** Bot → Telegram: API requests, webhook responses. */
  readonly toTelegram: NetworkLeg;
  /** Telegram → bot: API responses (long-poll answers included), webhook POSTs. */
  readonly toBot: NetworkLeg;
}

/** Which end a relay forwards to: the fake API (`telegram`) or the bot's webhook server (`bot`). */
export type RelayTarget = "telegram" | "bot";

/** True when the profile adds nothing at all, so no relay is needed (the `loopback` preset). */
export function isLoopback(profile: NetworkProfile): boolean {
  return legIsFree(profile.toTelegram) && legIsFree(profile.toBot);
}

function legIsFree(leg: NetworkLeg): boolean {
  return (
    leg.delayMs === 0 &&
    leg.jitterMs === 0 &&
    leg.lossProbability === 0 &&
    leg.bandwidthBitsPerSecond === null
  );
}

/**
 * The legs a relay toward `target` uses: `forward` carries what its clients send (bot → Telegram
 * for the API relay, Telegram → bot for the webhook relay), `backward` the answers.
 */
export function legsToward(
  profile: NetworkProfile,
  target: RelayTarget,
): { forward: NetworkLeg; backward: NetworkLeg } {
  return target === "telegram"
    ? { forward: profile.toTelegram, backward: profile.toBot }
    : { forward: profile.toBot, backward: profile.toTelegram };
}

/** One line for reports and progress: `continent: 60 ms RTT ± 2 ms, TLS 1.3 handshake`. */
export function describeNetwork(profile: NetworkProfile): string {
  if (isLoopback(profile)) return `${profile.name}: nothing added`;
  const parts = [`${profile.rttMs} ms RTT${profile.jitterMs > 0 ? ` ± ${profile.jitterMs} ms` : ""}`];
  parts.push(profile.https ? "TCP + TLS 1.3 handshake" : "TCP handshake");
  if (profile.lossPercent > 0) parts.push(`${profile.lossPercent}% loss`);
  if (profile.bandwidthMbitPerSecond !== null) parts.push(`${profile.bandwidthMbitPerSecond} Mbit/s`);
  return `${profile.name}: ${parts.join(", ")}`;
}

/** The description of a preset, for `--help`. */
export function describePreset(name: NetworkPresetName): string {
  return NETWORK_PRESETS[name].description;
}
