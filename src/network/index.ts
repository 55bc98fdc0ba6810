/**
 * The network between a bot and the fake Telegram: profiles (presets, `--rtt-ms` …), the relay
 * that applies one to real TCP connections, and the emulator that places relays in front of URLs.
 * Nothing else in tgbench knows about delays.
 */
export { ConnectionSchedule, DirectionSchedule } from "./connection-schedule.ts";
export { NETWORK_DEFAULTS, NETWORK_LIMITS, RELAY_DEFAULTS, TCP } from "./defaults.ts";
export { DeliveryQueue, type DeliveryQueueStats } from "./delivery-queue.ts";
export { NetworkEmulator, type NetworkEmulatorOptions, type NetworkStats } from "./emulator.ts";
export { createJitter, JITTER_LOG_SIGMA, jitterFloorMs } from "./jitter.ts";
export {
  NetworkOptionError,
  type NetworkOptions,
  networkPreset,
  networkWithRtt,
  resolveNetworkProfiles,
} from "./options.ts";
export {
  isNetworkPresetName,
  NETWORK_PRESET_NAMES,
  NETWORK_PRESETS,
  type NetworkPreset,
  type NetworkPresetName,
} from "./presets.ts";
export {
  describeNetwork,
  describePreset,
  isLoopback,
  legsToward,
  type NetworkLeg,
  type NetworkProfile,
  type RelayTarget,
} from "./profile.ts";
export { NetworkRelay, type RelayOptions, type RelayStats } from "./relay.ts";
export type { RelayCounters } from "./relayed-connection.ts";
export { handshakeMs, lossDelayMs, retransmissionTimeoutMs, segmentCount } from "./tcp.ts";
export { ManualTimers, type RelayTimers, systemTimers } from "./timers.ts";
