import type { NetworkProfile, NetworkStats } from "../network/index.ts";

/**
 * The network a trial ran across (src/network/): its profile, the seed of its jitter and loss
 * draws, which emulator carried it, and what the emulator counted.
 */
export interface TrialNetwork {
  profile: NetworkProfile;
  /** Seed of the emulator's draws (the scenario's seed and the trial). */
  seed: string;
  /**
   * `none`: loopback, nothing between the bot and the fake API; `relay`: tgbench's network relay
   * (src/network/relay.ts); any other name: an emulator the caller supplied (e.g. `toxiproxy`).
   */
  emulator: string;
  /** The emulator's counters and punctuality; null when there was no relay. */
  stats: NetworkStats | null;
}
