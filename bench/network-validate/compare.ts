/** The agreement between the relay and Toxiproxy, cell by cell, and the tables the benchmark prints. */
import type { DeliveryQueueStats, NetworkProfile } from "../../src/network/index.ts";
import type { TrafficMode, TrafficResult } from "./traffic.ts";

export type Emulator = "relay" | "toxiproxy";

export interface Measured {
  profile: NetworkProfile;
  emulator: Emulator;
  result: TrafficResult;
  /** The relay's delivery punctuality; null for Toxiproxy. */
  queue: DeliveryQueueStats | null;
}

export interface Agreement {
  network: string;
  rttMs: number;
  mode: TrafficMode;
  /** Requests driven by updates (sendMessage, webhook POSTs) and answered updates: equal on both. */
  countsEqual: boolean;
  /** getUpdates depends on how updates fall into polls; it is shown, and must be within 5%. */
  getUpdatesClose: boolean;
  p50RelayMs: number;
  p50ToxiproxyMs: number;
  /** (relay − toxiproxy) / toxiproxy. */
  p50Difference: number;
  agrees: boolean;
}

/** Targets of issue 12: p50 within 10%; the counts equal. */
const P50_TOLERANCE = 0.1;
const GET_UPDATES_TOLERANCE = 0.05;

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function compareCells(measured: readonly Measured[]): Agreement[] {
  const agreements: Agreement[] = [];
  for (const relay of measured.filter((m) => m.emulator === "relay")) {
    const toxi = measured.find(
      (m) =>
        m.emulator === "toxiproxy" &&
        m.profile.name === relay.profile.name &&
        m.result.mode === relay.result.mode,
    );
    if (toxi === undefined) continue;
    const a = relay.result;
    const b = toxi.result;
    const countsEqual =
      a.answered === b.answered &&
      a.sendMessage === b.sendMessage &&
      a.webhookPosts === b.webhookPosts &&
      a.errors === 0 &&
      b.errors === 0;
    const getUpdatesClose =
      Math.abs(a.getUpdates - b.getUpdates) <= GET_UPDATES_TOLERANCE * Math.max(a.getUpdates, b.getUpdates);
    const p50RelayMs = percentile(a.latenciesMs, 0.5);
    const p50ToxiproxyMs = percentile(b.latenciesMs, 0.5);
    const p50Difference = (p50RelayMs - p50ToxiproxyMs) / p50ToxiproxyMs;
    agreements.push({
      network: relay.profile.name,
      rttMs: relay.profile.rttMs,
      mode: a.mode,
      countsEqual,
      getUpdatesClose,
      p50RelayMs,
      p50ToxiproxyMs,
      p50Difference,
      agrees: countsEqual && getUpdatesClose && Math.abs(p50Difference) <= P50_TOLERANCE,
    });
  }
  return agreements;
}

const ms = (value: number) => value.toFixed(1);

export function formatTables(measured: readonly Measured[], agreements: readonly Agreement[]): string {
  const lines = [
    "| network | RTT | mode | emulator | answered | getUpdates | sendMessage | webhook POSTs | errors | p50 ms | p90 ms | p99 ms | relay lateness mean / max ms |",
    "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const m of measured) {
    const r = m.result;
    const lateness =
      m.queue === null ? "–" : `${m.queue.meanLatenessMs.toFixed(3)} / ${m.queue.maxLatenessMs.toFixed(2)}`;
    lines.push(
      `| ${m.profile.name} | ${m.profile.rttMs} | ${r.mode} | ${m.emulator} | ${r.answered} | ${r.getUpdates} | ${r.sendMessage} | ${r.webhookPosts} | ${r.errors} | ${ms(percentile(r.latenciesMs, 0.5))} | ${ms(percentile(r.latenciesMs, 0.9))} | ${ms(percentile(r.latenciesMs, 0.99))} | ${lateness} |`,
    );
  }
  lines.push(
    "",
    "| RTT | mode | counts equal | getUpdates within 5% | p50 relay ms | p50 Toxiproxy ms | difference | agrees (p50 within 10%) |",
    "| ---: | --- | --- | --- | ---: | ---: | ---: | --- |",
  );
  for (const a of agreements) {
    const sign = a.p50Difference >= 0 ? "+" : "";
    lines.push(
      `| ${a.rttMs} | ${a.mode} | ${a.countsEqual ? "yes" : "NO"} | ${a.getUpdatesClose ? "yes" : "NO"} | ${ms(a.p50RelayMs)} | ${ms(a.p50ToxiproxyMs)} | ${sign}${(100 * a.p50Difference).toFixed(1)}% | ${a.agrees ? "yes" : "NO"} |`,
    );
  }
  const agreeing = agreements.filter((a) => a.agrees).length;
  lines.push("", `${agreeing} of ${agreements.length} cells agree.`);
  return lines.join("\n");
}
