/**
 * What the fake API costs: empty getUpdates and sendMessage through the fake API against a bare
 * fastify route that parses the same JSON body and answers an object of the same shape. Both
 * sides are measured in the same run, interleaved (bare, fake, bare, fake …), each server in its
 * own process and autocannon in this one; the figure is the ratio of medians.
 *
 *   npm run bench:fake-api-cost [-- --duration-seconds 5 --rounds 3 --connections 10]
 *
 * Target (issue #2): fake/bare >= 0.85 for both calls.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { median } from "../../src/report/figures.ts";
import { BENCH_CHAT_ID, BENCH_TOKEN } from "./constants.ts";

const TARGET_RATIO = 0.85;

const args = yargs(hideBin(process.argv))
  .option("duration-seconds", { type: "number", default: 5, describe: "Length of each measured trial" })
  .option("rounds", { type: "number", default: 3, describe: "Interleaved rounds per call and server" })
  .option("connections", { type: "number", default: 10, describe: "autocannon connections" })
  .option("quick", { type: "boolean", default: false, describe: "1 round of 2 s (a smoke run)" })
  .strict()
  .parseSync();
const durationSeconds = args.quick ? 2 : args["duration-seconds"];
const rounds = args.quick ? 1 : args.rounds;

const CALLS = {
  "getUpdates (empty)": { path: `/bot${BENCH_TOKEN}/getUpdates`, body: { offset: 0, timeout: 0 } },
  sendMessage: {
    path: `/bot${BENCH_TOKEN}/sendMessage`,
    body: { chat_id: BENCH_CHAT_ID, text: "hello there" },
  },
} as const;
type CallName = keyof typeof CALLS;
type ServerKind = "bare" | "fake";

async function startServer(kind: ServerKind): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL("./target-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return { child, port: (JSON.parse(line) as { port: number }).port };
}

async function measure(port: number, call: CallName, seconds: number): Promise<number> {
  const { path, body } = CALLS[call];
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    connections: args.connections,
    duration: seconds,
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${call} on port ${port}: ${failed} failed requests`);
  return result.requests.average;
}

const servers = { bare: await startServer("bare"), fake: await startServer("fake") };
const stopAll = () => {
  for (const { child } of Object.values(servers)) child.kill("SIGTERM");
};
process.once("SIGINT", () => {
  stopAll();
  process.exit(130);
});

const samples: Record<CallName, Record<ServerKind, number[]>> = {
  "getUpdates (empty)": { bare: [], fake: [] },
  sendMessage: { bare: [], fake: [] },
};
try {
  console.log(`fake API cost: ${rounds} round(s) × ${durationSeconds} s, ${args.connections} connections`);
  for (const kind of ["bare", "fake"] as const) {
    for (const call of Object.keys(CALLS) as CallName[]) await measure(servers[kind].port, call, 1); // warm-up
  }
  for (let round = 1; round <= rounds; round++) {
    for (const call of Object.keys(CALLS) as CallName[]) {
      for (const kind of ["bare", "fake"] as const) {
        const rps = await measure(servers[kind].port, call, durationSeconds);
        samples[call][kind].push(rps);
        console.log(`  round ${round} ${call.padEnd(18)} ${kind}: ${rps.toFixed(0)} req/s`);
      }
    }
  }
} finally {
  stopAll();
}

let allMet = true;
console.log("\ncall                 bare req/s   fake req/s   fake/bare   target");
for (const call of Object.keys(CALLS) as CallName[]) {
  const bare = median(samples[call].bare) ?? Number.NaN;
  const fake = median(samples[call].fake) ?? Number.NaN;
  const ratio = fake / bare;
  allMet &&= ratio >= TARGET_RATIO;
  console.log(
    `${call.padEnd(20)} ${bare.toFixed(0).padStart(10)} ${fake.toFixed(0).padStart(12)} ${ratio.toFixed(3).padStart(11)}   >= ${TARGET_RATIO} ${ratio >= TARGET_RATIO ? "met" : "NOT met"}`,
  );
}
process.exitCode = allMet ? 0 : 1;
