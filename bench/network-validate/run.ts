/**
 * The in-process network relay against an independent emulator, Toxiproxy, side by side in one
 * run: the same seeded bot ↔ API traffic (long polling and webhook) goes through each, with
 * Toxiproxy's latency toxics set to the same one-way delays and jitter, at the region (20 ms),
 * continent (60 ms) and intercontinental (160 ms) presets. Prints both sets of figures and the
 * agreement: the same requests counted, p50 end-to-end latency within 10%.
 *
 *   npm run bench:network [-- --updates 150 --rate 3 --network region continent]
 *
 * Then full tgbench cells (cells.ts): the real runner with the reference bot in short polling,
 * long polling and webhook mode, through Toxiproxy instead of the relay, side by side in one run:
 * the update-driven request counts must be equal and the p50 end-to-end latency within 10%.
 *
 *   npm run bench:network -- --no-traffic        # the full cells only
 *
 * Needs Go to install Toxiproxy (once, into node_modules/.cache); skips with one line without it.
 * Toxiproxy models no handshakes, so the connections are opened in a warm-up before measuring.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { NetworkEmulator, type NetworkProfile, resolveNetworkProfiles } from "../../src/network/index.ts";
import { registerBench } from "../index.ts";
import {
  CELL_MODES,
  type CellAgreement,
  compareMeasuredCells,
  formatCellTables,
  type MeasuredCell,
  measureCells,
  toxiproxyNetwork,
} from "./cells.ts";
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
  .option("traffic", { type: "boolean", default: true, describe: "Compare the minimal bot ↔ API traffic" })
  .option("cells", { type: "boolean", default: true, describe: "Compare full tgbench cells (every mode)" })
  .option("cell-rate", { type: "number", default: 5, describe: "Full cells: updates per second (Poisson)" })
  .option("cell-seconds", { type: "number", default: 30, describe: "Full cells: measured seconds" })
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
  for (const profile of args.traffic ? profiles : []) {
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
  if (args.traffic) console.log(formatTables(measured, agreement));
  const cellAgreement = args.cells ? await fullCells(profiles) : [];
  await stop(agreement.every((a) => a.agrees) && cellAgreement.every((a) => a.agrees) ? 0 : 1);
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : String(error));
  await stop(1);
}

/** Every mode of the reference bot as full cells through both emulators, network by network. */
async function fullCells(profiles: readonly NetworkProfile[]): Promise<CellAgreement[]> {
  registerBench();
  const factory = toxiproxyNetwork(toxiproxy, toxicOf);
  const measured: MeasuredCell[] = [];
  for (const profile of profiles) {
    console.error(`full cells at ${profile.name}: ${CELL_MODES.join(", ")}, relay and Toxiproxy at once …`);
    measured.push(
      ...(await measureCells(profile, factory, {
        ratePerSecond: args["cell-rate"],
        durationMs: (args.quick ? 6 : args["cell-seconds"]) * 1_000,
        seed: `${args.seed}/cells`,
      })),
    );
  }
  const agreements = compareMeasuredCells(measured);
  console.log(`\nFull tgbench cells (reference bot, ${args["cell-rate"]}/s Poisson):\n`);
  console.log(formatCellTables(measured, agreements));
  return agreements;
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
      `http://${
        (
          await toxiproxy.proxy(new URL(url).host, [
            { stream: "upstream", ...toTelegram },
            { stream: "downstream", ...toBot },
          ])
        ).listen
      }`,
    webhookUrl: async (url) => {
      const real = new URL(url);
      const { listen } = await toxiproxy.proxy(real.host, [
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
