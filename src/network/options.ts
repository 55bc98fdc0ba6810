import { NETWORK_DEFAULTS, NETWORK_LIMITS, TCP } from "./defaults.ts";
import {
  isNetworkPresetName,
  NETWORK_PRESET_NAMES,
  NETWORK_PRESETS,
  type NetworkPresetName,
} from "./presets.ts";
import type { NetworkLeg, NetworkProfile } from "./profile.ts";

/**
 * How a scenario or the command line names its networks. Every field is optional;
 * {@link resolveNetworkProfiles} applies the defaults once. Numbers may come as strings (as typed).
 *
 * The networks form a sweep dimension: one profile per preset in `networks` and one per value in
 * `rttMs`. `jitterMs`, `lossPercent`, `bandwidthMbitPerSecond` and `https` apply to every one of
 * them except `loopback`, which always stays the bare machine.
 */
export interface NetworkOptions {
  /** Presets (`--network`): loopback, same-dc, region, continent, intercontinental. */
  networks?: readonly string[];
  /** Round trips in ms (`--rtt-ms`), each a network of its own. */
  rttMs?: readonly (number | string)[];
  /** Standard deviation of the round trip, ms (`--jitter-ms`); replaces a preset's own. */
  jitterMs?: number | string;
  /** Share of segments lost per direction, percent (`--loss-percent`). */
  lossPercent?: number | string;
  /** Per connection and direction, Mbit/s (`--bandwidth-mbit`). */
  bandwidthMbitPerSecond?: number | string;
  /** New connections pay a TLS 1.3 handshake too (`--https`, default on; `--no-https`). */
  https?: boolean;
}

/** A network option that cannot be used; the message is one line in the user's units. */
export class NetworkOptionError extends Error {
  override readonly name = "NetworkOptionError";
}

/** The networks of a sweep, in the order given (presets first, then `rttMs`); never empty. */
export function resolveNetworkProfiles(options: NetworkOptions = {}): NetworkProfile[] {
  const presets = [...(options.networks ?? [])];
  const rtts = (options.rttMs ?? []).map((v) =>
    checkedNumber("--rtt-ms", v, 0, NETWORK_LIMITS.maxRttMs, "ms"),
  );
  const extras = resolveExtras(options);
  if (presets.length === 0 && rtts.length === 0) presets.push(NETWORK_DEFAULTS.preset);
  for (const name of presets) {
    if (!isNetworkPresetName(name)) {
      throw new NetworkOptionError(
        `unknown network "${name}"; choose from ${NETWORK_PRESET_NAMES.join(", ")}`,
      );
    }
  }
  const profiles = [
    ...(presets as NetworkPresetName[]).map((name) => presetProfile(name, extras)),
    ...rtts.map((rttMs) => customProfile(rttMs, extras)),
  ];
  if (extras.given.length > 0 && profiles.every((p) => p.preset === "loopback")) {
    throw new NetworkOptionError(
      `${extras.given.join(", ")} ${extras.given.length === 1 ? "needs" : "need"} a network other than loopback; add --network <preset> or --rtt-ms <n>`,
    );
  }
  const seen = new Set<string>();
  for (const profile of profiles) {
    if (seen.has(profile.name)) throw new NetworkOptionError(`network "${profile.name}" is listed twice`);
    seen.add(profile.name);
  }
  return profiles;
}

/** The profile of one preset with its defaults (`loopback`, `continent` …). */
export function networkPreset(name: NetworkPresetName): NetworkProfile {
  return presetProfile(name, resolveExtras({}));
}

/** A profile for one round trip, with the given extras (the programmatic form of `--rtt-ms`). */
export function networkWithRtt(
  rttMs: number,
  options: Omit<NetworkOptions, "networks" | "rttMs"> = {},
): NetworkProfile {
  const [profile] = resolveNetworkProfiles({ ...options, rttMs: [rttMs] });
  return profile!;
}

interface Extras {
  jitterMs: number | undefined;
  lossPercent: number;
  bandwidthMbitPerSecond: number | null;
  https: boolean;
  /** Flags set away from their defaults, for the loopback error. */
  given: string[];
}

function resolveExtras(options: NetworkOptions): Extras {
  const given: string[] = [];
  const jitterMs =
    options.jitterMs === undefined
      ? undefined
      : checkedNumber("--jitter-ms", options.jitterMs, 0, NETWORK_LIMITS.maxJitterMs, "ms");
  if (jitterMs !== undefined && jitterMs > 0) given.push("--jitter-ms");
  const lossPercent =
    options.lossPercent === undefined
      ? NETWORK_DEFAULTS.lossPercent
      : checkedNumber("--loss-percent", options.lossPercent, 0, NETWORK_LIMITS.maxLossPercent, "%");
  if (lossPercent > 0) given.push("--loss-percent");
  const bandwidthMbitPerSecond =
    options.bandwidthMbitPerSecond === undefined
      ? NETWORK_DEFAULTS.bandwidthMbitPerSecond
      : checkedNumber(
          "--bandwidth-mbit",
          options.bandwidthMbitPerSecond,
          NETWORK_LIMITS.minBandwidthMbitPerSecond,
          NETWORK_LIMITS.maxBandwidthMbitPerSecond,
          "Mbit/s",
        );
  if (bandwidthMbitPerSecond !== null) given.push("--bandwidth-mbit");
  return {
    jitterMs,
    lossPercent,
    bandwidthMbitPerSecond,
    https: options.https ?? NETWORK_DEFAULTS.https,
    given,
  };
}

function presetProfile(name: NetworkPresetName, extras: Extras): NetworkProfile {
  const preset = NETWORK_PRESETS[name];
  if (name === "loopback") return buildProfile(name, name, preset.rttMs, preset.jitterMs, bare(extras));
  const suffixes: string[] = [];
  if (extras.jitterMs !== undefined && extras.jitterMs !== preset.jitterMs)
    suffixes.push(`jitter-${extras.jitterMs}ms`);
  suffixes.push(...extraSuffixes(extras));
  const jitterMs = extras.jitterMs ?? preset.jitterMs;
  return buildProfile([name, ...suffixes].join("+"), name, preset.rttMs, jitterMs, extras);
}

function customProfile(rttMs: number, extras: Extras): NetworkProfile {
  const jitterMs = extras.jitterMs ?? NETWORK_DEFAULTS.jitterMs;
  const suffixes = jitterMs > 0 ? [`jitter-${jitterMs}ms`] : [];
  suffixes.push(...extraSuffixes(extras));
  return buildProfile([`rtt-${rttMs}ms`, ...suffixes].join("+"), null, rttMs, jitterMs, extras);
}

function extraSuffixes(extras: Extras): string[] {
  const suffixes: string[] = [];
  if (extras.lossPercent > 0) suffixes.push(`loss-${extras.lossPercent}%`);
  if (extras.bandwidthMbitPerSecond !== null) suffixes.push(`${extras.bandwidthMbitPerSecond}mbit`);
  if (extras.https !== NETWORK_DEFAULTS.https) suffixes.push(extras.https ? "https" : "no-tls");
  return suffixes;
}

/** loopback ignores the extras: it is the bare machine by definition. */
function bare(extras: Extras): Extras {
  return { ...extras, lossPercent: 0, bandwidthMbitPerSecond: null };
}

function buildProfile(
  name: string,
  preset: NetworkPresetName | null,
  rttMs: number,
  jitterMs: number,
  extras: Extras,
): NetworkProfile {
  // Each leg takes half the round trip; independent legs with sd jitter/√2 give the round trip sd jitter.
  const leg: NetworkLeg = {
    delayMs: rttMs / 2,
    jitterMs: jitterMs / Math.SQRT2,
    lossProbability: extras.lossPercent / 100,
    bandwidthBitsPerSecond:
      extras.bandwidthMbitPerSecond === null ? null : extras.bandwidthMbitPerSecond * 1e6,
  };
  return {
    name,
    preset,
    rttMs,
    jitterMs,
    lossPercent: extras.lossPercent,
    bandwidthMbitPerSecond: extras.bandwidthMbitPerSecond,
    https: extras.https,
    setupRoundTrips: TCP.handshakeRoundTrips + (extras.https ? TCP.tls13HandshakeRoundTrips : 0),
    toTelegram: leg,
    toBot: leg,
  };
}

function checkedNumber(flag: string, value: number | string, min: number, max: number, unit: string): number {
  const n = typeof value === "number" ? value : value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    const shown = typeof value === "string" ? `"${value}"` : String(value);
    throw new NetworkOptionError(`${flag} must be a number from ${min} to ${max} (${unit}), got ${shown}`);
  }
  return n;
}
