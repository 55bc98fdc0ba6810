/**
 * The machine probe of `npm run bench:model`: what the model calls the network and the timers,
 * measured on this machine while the grid runs, beside the cells and at the same time:
 * - an API round trip: another Node process (probe-process.mjs, a stand-in for a bot) calls getMe
 *   on a fake Bot API in this process every 50 ms over a keep-alive connection; on a busy machine
 *   it is the two processes' wake-up, scheduling and request handling, which every request of a
 *   cell pays too;
 * - the same API round trip through a relay of this process (src/network/, {@link PROBE_RELAY_RTT_MS}
 *   with no jitter), as a relayed cell's bot reaches its fake API: beyond the relay's nominal round
 *   trip it costs two more socket hops inside this process (bot → relay → API and back), the
 *   relay's handling of each chunk and its delivery queue's timer lateness, which a relayed cell's
 *   every message pays too;
 * - the other direction: an HTTP GET from this process to that one, as a webhook POST is;
 * - this process's timer lateness (the fake API's batching window and poll timeouts);
 * - the other process's timer lateness (a bot's pacing and handler sleeps).
 * Samples carry their wall-clock time, so that a cell can take those of its own run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { type FakeApi, startFakeApi } from "../../src/fake-api/index.ts";
import { NetworkEmulator, networkWithRtt } from "../../src/network/index.ts";

/** [epoch ms, value ms] */
export type TimedSample = [number, number];

export interface ProbeSamples {
  /** The probe process's getMe on the fake API, there and back. */
  apiRoundTripMs: TimedSample[];
  /**
   * The same getMe through a relay of {@link ProbeSamples.relayRttMs} (no jitter, keep-alive: the
   * connection's handshake is not a sample); absent in grids saved before it was measured.
   */
  relayedApiRoundTripMs?: TimedSample[];
  /** The probe relay's nominal round trip, ms. */
  relayRttMs?: number;
  /** The probe relay's delivery queue: its mean lateness over the run, ms. */
  relayMeanLatenessMs?: number;
  /** This process's GET /ping to the probe process, there and back. */
  roundTripMs: TimedSample[];
  harnessTimerLatenessMs: TimedSample[];
  botTimerLatenessMs: TimedSample[];
}

const PING_EVERY_MS = 50;
/** The probe relay's round trip: the grid's shorter relayed one (what the relay costs beyond it does not depend on it). */
export const PROBE_RELAY_RTT_MS = 20;
const HARNESS_DELAYS_MS = [1, 5, 20, 50];
const PROCESS = fileURLToPath(new URL("./probe-process.mjs", import.meta.url));

export class MachineProbe {
  readonly #child: ChildProcess;
  readonly #pool: Pool;
  readonly #api: FakeApi;
  readonly #relay: NetworkEmulator;
  readonly #samples: ProbeSamples = {
    apiRoundTripMs: [],
    roundTripMs: [],
    harnessTimerLatenessMs: [],
    botTimerLatenessMs: [],
  };
  #stopped = false;
  #pinging: Promise<void>;
  #timer: NodeJS.Timeout | undefined;

  private constructor(child: ChildProcess, port: number, api: FakeApi, relay: NetworkEmulator) {
    this.#child = child;
    this.#api = api;
    this.#relay = relay;
    this.#pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1, pipelining: 1 });
    this.#pinging = this.#pingLoop();
    this.#timerLoop(0);
  }

  /** Starts the other process and both loops. */
  static async start(): Promise<MachineProbe> {
    const api = await startFakeApi({ callLogCapacity: 16 });
    const relay = new NetworkEmulator(networkWithRtt(PROBE_RELAY_RTT_MS, { https: false }), {
      seed: "machine-probe",
    });
    const relayedRoot = await relay.route(api.apiRoot, "telegram");
    const child = spawn(process.execPath, [PROCESS], {
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_RELAYED_API_ROOT: relayedRoot,
        BOT_TOKEN: "6000000:probe",
      },
    });
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    const port = await new Promise<number>((resolve, reject) => {
      let text = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        if (text.includes("\n")) resolve(Number(text.trim()));
      });
      child.once("exit", (code) => reject(new Error(`probe process exited (${code}) before listening`)));
    });
    return new MachineProbe(child, port, api, relay);
  }

  async #pingLoop(): Promise<void> {
    while (!this.#stopped) {
      const started = performance.now();
      try {
        const response = await this.#pool.request({ path: "/ping", method: "GET" });
        await response.body.text();
        this.#samples.roundTripMs.push([Date.now(), performance.now() - started]);
      } catch {
        if (this.#stopped) return;
      }
      await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
    }
  }

  #timerLoop(n: number): void {
    if (this.#stopped) return;
    const delayMs = HARNESS_DELAYS_MS[n % HARNESS_DELAYS_MS.length]!;
    const started = performance.now();
    this.#timer = setTimeout(() => {
      this.#samples.harnessTimerLatenessMs.push([Date.now(), performance.now() - started - delayMs]);
      this.#timerLoop(n + 1);
    }, delayMs);
  }

  /** Stops both loops, collects the other process's samples and ends it. */
  async stop(): Promise<ProbeSamples> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#pinging;
    try {
      const response = await this.#pool.request({ path: "/samples", method: "GET" });
      const other = (await response.body.json()) as {
        timers: TimedSample[];
        apiRoundTrips: TimedSample[];
        relayedRoundTrips: TimedSample[];
      };
      this.#samples.botTimerLatenessMs = other.timers;
      this.#samples.apiRoundTripMs = other.apiRoundTrips;
      this.#samples.relayedApiRoundTripMs = other.relayedRoundTrips;
      this.#samples.relayRttMs = PROBE_RELAY_RTT_MS;
      this.#samples.relayMeanLatenessMs = this.#relay.stats().queue.meanLatenessMs;
    } finally {
      await this.#pool.close();
      this.#child.kill("SIGTERM");
      await this.#relay.close();
      await this.#api.close();
    }
    return this.#samples;
  }
}
