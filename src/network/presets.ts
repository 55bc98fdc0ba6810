/**
 * Named networks: how far a bot is from Telegram. Each figure is a round trip measured between
 * real hosts (docs/network.md lists the sources and the measurements behind each).
 * `jitterMs` is the standard deviation of the round trip, which is what `ping` reports as `mdev`.
 */
export interface NetworkPreset {
  readonly rttMs: number;
  readonly jitterMs: number;
  /** One line for `--help` and reports. */
  readonly description: string;
}

/** Every preset; `--network` choices come from its keys. */
export const NETWORK_PRESETS = {
  loopback: {
    rttMs: 0,
    jitterMs: 0,
    description: "the bare machine: no relay, nothing added",
  },
  "same-dc": {
    rttMs: 1,
    jitterMs: 0.1,
    description: "bot in Telegram's data centre (another availability zone): ~1 ms RTT",
  },
  region: {
    rttMs: 20,
    jitterMs: 1,
    description: "bot in a nearby city on the same continent (e.g. Milan ↔ Paris): ~20 ms RTT",
  },
  continent: {
    rttMs: 60,
    jitterMs: 2,
    description: "bot across a continent (e.g. Paris ↔ Moscow, US east ↔ west): ~60 ms RTT",
  },
  intercontinental: {
    rttMs: 160,
    jitterMs: 4,
    description: "bot on another continent (e.g. Milan ↔ California): ~160 ms RTT",
  },
} as const satisfies Record<string, NetworkPreset>;

export type NetworkPresetName = keyof typeof NETWORK_PRESETS;

/** The preset names, in order of distance. */
export const NETWORK_PRESET_NAMES = Object.keys(NETWORK_PRESETS) as NetworkPresetName[];

export function isNetworkPresetName(name: string): name is NetworkPresetName {
  return Object.hasOwn(NETWORK_PRESETS, name);
}
