import type { Argv } from "yargs";
import {
  describeNetwork,
  describePreset,
  NETWORK_PRESET_NAMES,
  NetworkEmulator,
  NetworkOptionError,
  type NetworkOptions,
  type NetworkProfile,
  resolveNetworkProfiles,
} from "../network/index.ts";
import { UsageError } from "./usage-error.ts";

/**
 * The network flags of `tgbench run` and `tgbench serve`: the distance between the bot and the
 * fake API (src/network/, docs/network.md). Values are passed on as typed, so that
 * `resolveNetworkProfiles` can say in one line what is wrong with one, in the user's units.
 */
export function networkOptions<T>(y: Argv<T>) {
  const presets = NETWORK_PRESET_NAMES.map((name) => `${name} (${describePreset(name)})`).join("; ");
  return y
    .option("network", {
      type: "array",
      string: true,
      describe: `Network preset(s) between bot and Telegram, each a cell of its own: ${presets}`,
    })
    .option("rtt-ms", {
      type: "array",
      string: true,
      describe: "Round trip(s) in ms, each a network of its own (rtt-<n>ms)",
    })
    .option("jitter-ms", {
      type: "string",
      describe: "Standard deviation of the round trip, ms (replaces a preset's own; 0 for --rtt-ms)",
    })
    .option("loss-percent", { type: "string", describe: "Share of TCP segments lost per direction, %" })
    .option("bandwidth-mbit", { type: "string", describe: "Bandwidth per connection and direction, Mbit/s" })
    .option("https", {
      type: "boolean",
      describe: "New connections pay a TLS 1.3 handshake after TCP's (default on; --no-https)",
    });
}

/** The network flags given on the command line; undefined when none was. */
export function networkOptionsFrom(args: Record<string, unknown>): NetworkOptions | undefined {
  const options: NetworkOptions = {
    ...(args.network === undefined ? {} : { networks: args.network as string[] }),
    ...(args["rtt-ms"] === undefined ? {} : { rttMs: args["rtt-ms"] as string[] }),
    ...(args["jitter-ms"] === undefined ? {} : { jitterMs: args["jitter-ms"] as string }),
    ...(args["loss-percent"] === undefined ? {} : { lossPercent: args["loss-percent"] as string }),
    ...(args["bandwidth-mbit"] === undefined
      ? {}
      : { bandwidthMbitPerSecond: args["bandwidth-mbit"] as string }),
    ...(args.https === undefined ? {} : { https: args.https as boolean }),
  };
  return Object.keys(options).length === 0 ? undefined : options;
}

/**
 * The one network of `tgbench serve` (several make no sense for one server): an emulator for it,
 * or a usage error in one line. On loopback the emulator routes every URL to itself.
 */
export function serveNetwork(args: Record<string, unknown>): NetworkEmulator {
  let profiles: NetworkProfile[];
  try {
    profiles = resolveNetworkProfiles(networkOptionsFrom(args));
  } catch (error: unknown) {
    if (error instanceof NetworkOptionError) throw new UsageError(error.message);
    throw error;
  }
  if (profiles.length > 1) {
    throw new UsageError(
      `serve takes one network, got ${profiles.length} (${profiles.map((p) => p.name).join(", ")})`,
    );
  }
  return new NetworkEmulator(profiles[0]!);
}

/** What `serve` prints about its network: where the bot's API root leads, and what the relay adds. */
export function serveNetworkLines(network: NetworkEmulator, directRoot: string): string[] {
  if (network.isLoopback) return [];
  return [
    `  across the network ${describeNetwork(network.profile)} (a relay on 127.0.0.1); webhook POSTs cross it too`,
    `  the fake API itself, for the control API below: ${directRoot}`,
  ];
}
