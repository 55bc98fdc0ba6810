/**
 * The network a cell was measured at: how far its bot was from "Telegram". Every report reads it
 * through {@link cellNetwork}, so that the cell's stored profile is the only source.
 */
import type { NetworkProfile } from "../network/profile.ts";
import type { CellResult } from "../results/index.ts";

/** What reports need of a cell's network. */
export interface CellNetwork {
  /** `loopback`, a preset name (`continent`), or `rtt-40ms`. */
  name: string;
  /** Median round trip, ms. */
  rttMs: number;
  /** Standard deviation of the round trip, ms. */
  jitterMs: number;
}

/** The network of a cell measured without a relay. */
export const LOOPBACK_NETWORK: CellNetwork = { name: "loopback", rttMs: 0, jitterMs: 0 };

/**
 * A cell's network: the profile the runner stored in it, or loopback for cells recorded before the
 * runner stored one (every such run measured on loopback).
 */
export function cellNetwork(cell: CellResult): CellNetwork {
  const profile = (cell as CellResult & { network?: NetworkProfile | null }).network;
  if (profile === undefined || profile === null) return LOOPBACK_NETWORK;
  return { name: profile.name, rttMs: profile.rttMs, jitterMs: profile.jitterMs };
}

/** `loopback`, `continent (60 ms RTT)`. */
export function networkWords(network: CellNetwork): string {
  return network.rttMs === 0 ? network.name : `${network.name} (${trim(network.rttMs)} ms RTT)`;
}

/** The distinct networks of a report's cells, nearest first. */
export function reportNetworks(cells: readonly CellResult[]): CellNetwork[] {
  const byName = new Map<string, CellNetwork>();
  for (const cell of cells) {
    const n = cellNetwork(cell);
    if (!byName.has(n.name)) byName.set(n.name, n);
  }
  return [...byName.values()].sort((a, b) => a.rttMs - b.rttMs);
}

const trim = (value: number) => String(Number(value.toFixed(1)));
