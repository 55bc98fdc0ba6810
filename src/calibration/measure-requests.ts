import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { runAutocannon } from "../capacity/autocannon-run.ts";

/** The bot the calibration's getMe requests are for. */
export const CALIBRATION_TOKEN = "1000001:tgbench-calibration";

const SERVERS = fileURLToPath(new URL("./ceiling-servers.ts", import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** Requests per second of getMe, through the fake API and to a bare fastify route. */
export interface RequestsCeiling {
  fakeApiRequestsPerSecond: number;
  bareFastifyRequestsPerSecond: number;
}

/**
 * autocannon (closed loop, `connections` connections) for `durationMs` against each of the two
 * servers of ceiling-servers.ts, after `warmupMs` against each, in a child process that is stopped
 * whatever happens.
 */
export async function measureRequests(
  options: { durationMs: number; warmupMs: number; connections: number },
  signal: AbortSignal,
): Promise<RequestsCeiling> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), SERVERS], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  try {
    const ports = await serverPorts(child);
    // Both warm (JIT, connections) before either is measured, so the order favours neither.
    const warmup = { durationMs: options.warmupMs, connections: options.connections };
    await requestsPerSecond(ports.bare, warmup, signal);
    await requestsPerSecond(ports.fake, warmup, signal);
    const bare = await requestsPerSecond(ports.bare, options, signal);
    const fake = await requestsPerSecond(ports.fake, options, signal);
    return { fakeApiRequestsPerSecond: fake, bareFastifyRequestsPerSecond: bare };
  } finally {
    child.stdin?.end();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      const kill = setTimeout(() => child.kill("SIGKILL"), 2_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(kill);
    }
  }
}

async function serverPorts(child: ChildProcess): Promise<{ fake: number; bare: number }> {
  let timer: NodeJS.Timeout | undefined;
  const lines = createInterface({ input: child.stdout! });
  try {
    const line = await Promise.race([
      once(lines, "line").then(([text]) => text as string),
      once(child, "exit").then(() => {
        throw new Error("the calibration's servers exited before listening");
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("the calibration's servers did not start")),
          START_TIMEOUT_MS,
        );
      }),
    ]);
    return JSON.parse(line) as { fake: number; bare: number };
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}

async function requestsPerSecond(
  port: number,
  options: { durationMs: number; connections: number },
  signal: AbortSignal,
): Promise<number> {
  if (signal.aborted) throw new Error("cancelled");
  const { result } = await runAutocannon(
    {
      url: `http://127.0.0.1:${port}/bot${CALIBRATION_TOKEN}/getMe`,
      method: "POST",
      connections: options.connections,
      duration: options.durationMs / 1000,
    },
    signal,
  );
  if (signal.aborted) throw new Error("cancelled");
  if (result["2xx"] === 0) throw new Error(`no request to port ${port} was answered 2xx`);
  return result["2xx"] / (result.duration > 0 ? result.duration : options.durationMs / 1000);
}
