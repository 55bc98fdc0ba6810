/**
 * Full tgbench cells through Toxiproxy instead of the in-process relay: the real runner, the
 * reference bot, the fake API, in short polling, long polling and webhook mode, with the network
 * supplied as a {@link NetworkFactory} that puts Toxiproxy proxies in front of the fake API and the
 * bot's webhook. Each cell runs through both emulators at the same time, from the same seed.
 *
 * Like for like: Toxiproxy models no connection set-up, loss or bandwidth, so the relay's profile
 * is given no handshake either (`setupRoundTrips: 0`, a `+no-handshake` name); jitter goes to
 * Toxiproxy as its uniform ±j with the same standard deviation (run.ts `toxicOf`).
 */
import type { NetworkProfile } from "../../src/network/index.ts";
import type { CellResult, Report, TrialResult } from "../../src/results/index.ts";
import { runScenario } from "../../src/runner/run.ts";
import { resolveScenario } from "../../src/runner/scenario.ts";
import { type NetworkFactory, relayNetwork } from "../../src/runner/trial-network.ts";
import type { LatencyToxic, Toxiproxy } from "./toxiproxy.ts";

export const CELL_MODES = ["short-polling", "long-polling", "webhook"] as const;
export type CellMode = (typeof CELL_MODES)[number];

export interface CellRunOptions {
  ratePerSecond: number;
  durationMs: number;
  seed: string;
}

/** What one emulator measured for one cell. */
export interface MeasuredCell {
  network: string;
  rttMs: number;
  mode: CellMode;
  emulator: "relay" | "toxiproxy";
  answered: number;
  getUpdates: number;
  sendMessage: number;
  webhookPosts: number;
  requests: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  failed: string | null;
}

/** The relay's profile without set-up cost, as Toxiproxy has none. */
export function withoutHandshake(profile: NetworkProfile): NetworkProfile {
  return { ...profile, name: `${profile.name}+no-handshake`, setupRoundTrips: 0 };
}

/**
 * Toxiproxy as a trial's network: one proxy toward the fake API (upstream = the bot's requests,
 * toTelegram) and one toward each webhook URL (upstream = the POSTs, toBot); removed on close.
 */
export function toxiproxyNetwork(
  toxiproxy: Toxiproxy,
  toxicOf: (leg: NetworkProfile["toTelegram"]) => Omit<LatencyToxic, "stream">,
): NetworkFactory {
  return (profile) => {
    const names: string[] = [];
    const toTelegram = toxicOf(profile.toTelegram);
    const toBot = toxicOf(profile.toBot);
    return {
      emulator: "toxiproxy",
      route: async (url, target) => {
        const real = new URL(url);
        const [up, down] = target === "telegram" ? [toTelegram, toBot] : [toBot, toTelegram];
        const { name, listen } = await toxiproxy.proxy(real.host, [
          { stream: "upstream", ...up },
          { stream: "downstream", ...down },
        ]);
        names.push(name);
        real.host = listen;
        const routed = real.toString();
        return real.pathname === "/" && !url.endsWith("/") ? routed.slice(0, -1) : routed;
      },
      stats: () => null,
      close: async () => {
        await Promise.all(names.splice(0).map((name) => toxiproxy.remove(name)));
      },
    };
  };
}

function scenarioFor(mode: CellMode, profile: NetworkProfile, options: CellRunOptions) {
  const scenario = resolveScenario({
    name: `network-validate ${mode} ${profile.name}`,
    bots: ["reference"],
    modes: [mode],
    ratesPerSecond: [options.ratePerSecond],
    durationMs: options.durationMs,
    warmupUpdates: 8,
    trials: 1,
    seed: options.seed,
    drainTimeoutMs: 15_000,
  });
  return { ...scenario, networks: [profile] };
}

function measuredOf(
  report: Report,
  mode: CellMode,
  profile: NetworkProfile,
  emulator: MeasuredCell["emulator"],
): MeasuredCell {
  const cell: CellResult | undefined = report.cells[0];
  const trial: TrialResult | undefined = cell?.trials[0];
  const failed =
    cell === undefined
      ? "no cell"
      : cell.status === "failed"
        ? cell.reasons.map((r) => r.kind).join(", ")
        : null;
  const us = (v: number | null | undefined) => (v == null ? null : v / 1_000);
  return {
    network: profile.name,
    rttMs: profile.rttMs,
    mode,
    emulator,
    answered: trial?.ledger.answered ?? 0,
    getUpdates: trial?.requests.getUpdates ?? 0,
    sendMessage: trial?.counters.requestsByMethod.sendmessage ?? 0,
    webhookPosts: trial?.requests.webhookPosts ?? 0,
    requests: trial?.requests.total ?? 0,
    p50Ms: us(trial?.latency.endToEnd.p50Us),
    p90Ms: us(trial?.latency.endToEnd.p90Us),
    p99Ms: us(trial?.latency.endToEnd.p99Us),
    failed,
  };
}

/** Every mode at one network, through the relay and through Toxiproxy, all at once. */
export async function measureCells(
  profile: NetworkProfile,
  toxiproxy: NetworkFactory,
  options: CellRunOptions,
): Promise<MeasuredCell[]> {
  const relayProfile = withoutHandshake(profile);
  const runs = CELL_MODES.flatMap((mode) => [
    runScenario(scenarioFor(mode, relayProfile, options), {
      toolVersion: "bench:network",
      requireRuntimes: false,
      model: false,
      network: relayNetwork,
    }).then((r) => measuredOf(r, mode, relayProfile, "relay")),
    runScenario(scenarioFor(mode, profile, options), {
      toolVersion: "bench:network",
      requireRuntimes: false,
      model: false,
      network: toxiproxy,
    }).then((r) => measuredOf(r, mode, profile, "toxiproxy")),
  ]);
  return Promise.all(runs);
}

/** Issue 12's targets for full cells: update-driven counts equal, p50 within 10%. */
const P50_TOLERANCE = 0.1;
const GET_UPDATES_TOLERANCE = 0.05;

export interface CellAgreement {
  rttMs: number;
  mode: CellMode;
  countsEqual: boolean;
  getUpdatesClose: boolean;
  p50RelayMs: number;
  p50ToxiproxyMs: number;
  p50Difference: number;
  agrees: boolean;
}

export function compareMeasuredCells(measured: readonly MeasuredCell[]): CellAgreement[] {
  const out: CellAgreement[] = [];
  for (const relay of measured.filter((m) => m.emulator === "relay")) {
    const toxi = measured.find(
      (m) => m.emulator === "toxiproxy" && m.rttMs === relay.rttMs && m.mode === relay.mode,
    );
    if (toxi === undefined) continue;
    const countsEqual =
      relay.failed === null &&
      toxi.failed === null &&
      relay.answered === toxi.answered &&
      relay.sendMessage === toxi.sendMessage &&
      relay.webhookPosts === toxi.webhookPosts;
    const getUpdatesClose =
      Math.abs(relay.getUpdates - toxi.getUpdates) <=
      Math.max(1, GET_UPDATES_TOLERANCE * Math.max(relay.getUpdates, toxi.getUpdates));
    const p50RelayMs = relay.p50Ms ?? Number.NaN;
    const p50ToxiproxyMs = toxi.p50Ms ?? Number.NaN;
    const p50Difference = (p50RelayMs - p50ToxiproxyMs) / p50ToxiproxyMs;
    out.push({
      rttMs: relay.rttMs,
      mode: relay.mode,
      countsEqual,
      getUpdatesClose,
      p50RelayMs,
      p50ToxiproxyMs,
      p50Difference,
      agrees: countsEqual && getUpdatesClose && Math.abs(p50Difference) <= P50_TOLERANCE,
    });
  }
  return out;
}

const ms = (v: number | null) => (v === null || !Number.isFinite(v) ? "–" : v.toFixed(1));

export function formatCellTables(
  measured: readonly MeasuredCell[],
  agreements: readonly CellAgreement[],
): string {
  const lines = [
    "| network | RTT | mode | emulator | answered | getUpdates | sendMessage | webhook POSTs | requests | p50 ms | p90 ms | p99 ms |",
    "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const m of measured) {
    lines.push(
      `| ${m.network} | ${m.rttMs} | ${m.mode} | ${m.emulator}${m.failed === null ? "" : ` (failed: ${m.failed})`} | ${m.answered} | ${m.getUpdates} | ${m.sendMessage} | ${m.webhookPosts} | ${m.requests} | ${ms(m.p50Ms)} | ${ms(m.p90Ms)} | ${ms(m.p99Ms)} |`,
    );
  }
  lines.push(
    "",
    "| RTT | mode | update-driven counts equal | getUpdates within 5% | p50 relay ms | p50 Toxiproxy ms | difference | agrees (p50 within 10%) |",
    "| ---: | --- | --- | --- | ---: | ---: | ---: | --- |",
  );
  for (const a of agreements) {
    const sign = a.p50Difference >= 0 ? "+" : "";
    lines.push(
      `| ${a.rttMs} | ${a.mode} | ${a.countsEqual ? "yes" : "NO"} | ${a.getUpdatesClose ? "yes" : "NO"} | ${ms(a.p50RelayMs)} | ${ms(a.p50ToxiproxyMs)} | ${sign}${(100 * a.p50Difference).toFixed(1)}% | ${a.agrees ? "yes" : "NO"} |`,
    );
  }
  lines.push("", `${agreements.filter((a) => a.agrees).length} of ${agreements.length} full cells agree.`);
  return lines.join("\n");
}
