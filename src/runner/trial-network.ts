import {
  NetworkEmulator,
  type NetworkProfile,
  type NetworkStats,
  type RelayTarget,
} from "../network/index.ts";

/**
 * The network of one trial, as the trial uses it: URLs in, routed URLs out (the bot's API root
 * toward `telegram`, the webhook URL the dispatcher POSTs to toward `bot`), the emulator's counters,
 * and a close that ends every relayed connection. The runner's own is tgbench's relay
 * ({@link relayNetwork}); a benchmark can supply another (bench/network-validate/ runs the same
 * cells through Toxiproxy).
 */
export interface TrialNetworkRoute {
  /** Which emulator carries the traffic: `none` (loopback, nothing between), `relay`, or the supplier's name. */
  readonly emulator: string;
  route(url: string, target: RelayTarget): Promise<string>;
  /** What the emulator counted so far; null when nothing runs. */
  stats(): NetworkStats | null;
  /** Closes every relay and relayed connection. Idempotent. */
  close(): Promise<void>;
}

/** Opens the network for one trial of a cell (`seed`: the trial's, for the jitter and loss draws). */
export type NetworkFactory = (profile: NetworkProfile, seed: string) => TrialNetworkRoute;

/** tgbench's own network: a {@link NetworkEmulator} per trial (no relay at all on loopback). */
export const relayNetwork: NetworkFactory = (profile, seed) => {
  const emulator = new NetworkEmulator(profile, { seed });
  return {
    emulator: emulator.isLoopback ? "none" : "relay",
    route: (url, target) => emulator.route(url, target),
    stats: () => (emulator.isLoopback ? null : emulator.stats()),
    close: () => emulator.close(),
  };
};
