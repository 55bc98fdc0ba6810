/**
 * The in-process network relay against an independent emulator, Toxiproxy, side by side in one
 * run: the same seeded bot ↔ API traffic (long polling and webhook) goes through each, with
 * Toxiproxy's latency toxics set to the same one-way delays and jitter, at the region (20 ms),
 * continent (60 ms) and intercontinental (160 ms) presets. Prints both sets of figures and the
 * agreement: the same requests counted, p50 end-to-end latency within 10%.
 *
 *   npm run bench:network [-- --updates 150 --rate 3 --network region continent]
 *
 * Needs Go to install Toxiproxy (once, into node_modules/.cache); skips with one line without it.
 * Toxiproxy models no handshakes, so the connections are opened in a warm-up before measuring.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { NetworkEmulator, type NetworkProfile, resolveNetworkProfiles } from "../../src/network/index.ts";
import { compareCells, formatTables, type Measured } from "./compare.ts";
import { installToxiproxy, type LatencyToxic, Toxiproxy } from "./toxiproxy.ts";
import { runTraffic, type TrafficMode, type TrafficNetwork, type TrafficOptions } from "./traffic.ts";

const args = yargs(hideBin(process.argv))
  .option("network", {
    type: "array",
    string: true,
    default: ["region", "continent", "intercontinental"],
    describe: "Presets to compare at",
  })
  .option("updates", { type: "number", default: 150, describe: "Measured updates per cell" })
  .option("rate", { type: "number", default: 3, describe: "Updates per second (Poisson)" })
  .option("seed", { type: "string", default: "network-validate" })
  .option("quick", { type: "boolean", default: false, describe: "30 updates per cell (a smoke run)" })
  .strict()
  .parseSync();

const MODES: readonly TrafficMode[] = ["long-polling", "webhook"];

const install = installToxiproxy();
if ("skip" in install) {
  console.log(install.skip);
  process.exit(0);
}
if ("error" in install) {
  console.error(install.error);
  process.exit(1);
}
const toxiproxy = await Toxiproxy.start(install.binary, 42);
const stop = async (code: number) => {
  await toxiproxy.stop();
  process.exit(code);
};
process.once("SIGINT", () => void stop(130));
process.once("SIGTERM", () => void stop(143));

try {
  const profiles = resolveNetworkProfiles({ networks: args.network, https: false });
  const measured: Measured[] = [];
  for (const profile of profiles) {
    console.error(`measuring ${profile.name} (${profile.rttMs} ms RTT ± ${profile.jitterMs} ms) …`);
    // Both emulators and both modes at once, so that the machine's load is the same for all four.
    const cells = MODES.flatMap((mode) => [
      measureRelay(profile, trafficOptions(mode)),
      measureToxiproxy(profile, trafficOptions(mode)),
    ]);
    measured.push(...(await Promise.all(cells)));
    await toxiproxy.reset();
  }
  const agreement = compareCells(measured);
  console.log(formatTables(measured, agreement));
  await stop(agreement.every((a) => a.agrees) ? 0 : 1);
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : String(error));
  await stop(1);
}

function trafficOptions(mode: TrafficMode): TrafficOptions {
  return {
    mode,
    updates: args.quick ? 30 : args.updates,
    warmupUpdates: 8,
    ratePerSecond: args.rate,
    seed: `${args.seed}/${mode}`,
    pollTimeoutSeconds: 30,
    webhookMaxConnections: 4,
    drainTimeoutMs: 15_000,
  };
}

async function measureRelay(profile: NetworkProfile, options: TrafficOptions): Promise<Measured> {
  const network = new NetworkEmulator(profile, { seed: args.seed });
  try {
    const routes: TrafficNetwork = {
      apiRoot: (url) => network.route(url, "telegram"),
      webhookUrl: (url) => network.route(url, "bot"),
    };
    const result = await runTraffic(options, routes);
    return { profile, emulator: "relay", result, queue: network.stats().queue };
  } finally {
    await network.close();
  }
}

async function measureToxiproxy(profile: NetworkProfile, options: TrafficOptions): Promise<Measured> {
  // upstream = client → server. The API's client is the bot; the webhook's is Telegram.
  const toTelegram = toxicOf(profile.toTelegram);
  const toBot = toxicOf(profile.toBot);
  const routes: TrafficNetwork = {
    apiRoot: async (url) =>
      `http://${await toxiproxy.proxy(new URL(url).host, [
        { stream: "upstream", ...toTelegram },
        { stream: "downstream", ...toBot },
      ])}`,
    webhookUrl: async (url) => {
      const real = new URL(url);
      const listen = await toxiproxy.proxy(real.host, [
        { stream: "upstream", ...toBot },
        { stream: "downstream", ...toTelegram },
      ]);
      return `http://${listen}${real.pathname}`;
    },
  };
  const result = await runTraffic(options, routes);
  return { profile, emulator: "toxiproxy", result, queue: null };
}

/**
 * Toxiproxy's latency toxic adds latency ± jitter, uniform, in whole ms (toxics/latency.go); a
 * uniform ±j has sd j/√3, so j = √3 · the leg's sd, rounded.
 */
function toxicOf(leg: NetworkProfile["toTelegram"]): Omit<LatencyToxic, "stream"> {
  return { latencyMs: Math.round(leg.delayMs), jitterMs: Math.round(leg.jitterMs * Math.sqrt(3)) };
}
