/**
 * Does `tgbench saturate`'s webhook figure agree with a plain autocannon run? One reference bot in
 * webhook mode against the fake API; each round runs saturate's closed loop (autocannon with a
 * different update per request and reply matching, src/capacity/closed-loop.ts) and autocannon on
 * its own (one fixed well-formed update, the secret header, same connections and duration) against
 * the same endpoint of the same bot, in alternating order. Prints both figures per round, the
 * medians and their difference; exits 1 when they differ by more than 10 %.
 *
 *   npm run bench:saturate-check [-- --duration-seconds 5 --rounds 3 --connections 40]
 *
 * Writes results/<UTC stamp>-saturate-check/saturate-check.{json,md}.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { type BotSession, startBotSession, warmUpChats } from "../../src/capacity/bot-session.ts";
import { runClosedLoop } from "../../src/capacity/closed-loop.ts";
import { SATURATE_DEFAULTS } from "../../src/capacity/defaults.ts";
import { resolveSaturateOptions } from "../../src/capacity/options.ts";
import { saturateScenario } from "../../src/capacity/scenario.ts";
import { POPULATION_IDS } from "../../src/generator/defaults.ts";
import { readProcessStats } from "../../src/metrics/process-sampler.ts";
import { runDirectory } from "../../src/report/writer.ts";
import { cellsOf } from "../../src/runner/scenario.ts";
import { registerBench } from "../index.ts";
import { AGREEMENT_LIMIT, agreement, orderOf, type Round, type Side } from "./agreement.ts";
import { runPlainAutocannon } from "./plain-autocannon.ts";

const args = yargs(hideBin(process.argv))
  .option("duration-seconds", { type: "number", default: 3, describe: "Length of each side's run" })
  .option("rounds", { type: "number", default: 8, describe: "Rounds, each running both sides back to back" })
  .option("connections", {
    type: "number",
    default: SATURATE_DEFAULTS.connections,
    describe: "autocannon connections",
  })
  .option("results-dir", {
    type: "string",
    default: "results",
    describe: "Where results/<stamp>-saturate-check/ goes",
  })
  .strict()
  .parseSync();
if (!(args["duration-seconds"] > 0) || !(args.rounds >= 1)) {
  console.error("--duration-seconds must be > 0 and --rounds >= 1");
  process.exit(2);
}

registerBench();
const options = resolveSaturateOptions({
  durationMs: args["duration-seconds"] * 1000,
  connections: args.connections,
});
const scenario = saturateScenario({ bot: "reference", mode: "webhook", handlerDelayMs: 0 }, options);
const cell = cellsOf(scenario)[0];
if (cell === undefined) throw new Error("no cell");
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => controller.abort());
const startedAt = new Date();

/** The bot's CPU time so far, ms; null when /proc cannot be read. */
function botCpuMs(session: BotSession): number | null {
  const pid = session.bot.pid;
  const stats = pid === undefined ? undefined : readProcessStats(pid);
  return stats === undefined ? null : stats.cpuUserMs + stats.cpuSystemMs;
}

function perRequestUs(fromMs: number | null, toMs: number | null, requests: number): number | null {
  return fromMs === null || toMs === null || requests === 0 ? null : ((toMs - fromMs) * 1000) / requests;
}

async function saturateSide(session: BotSession, durationMs: number): Promise<Side> {
  const cpu = process.cpuUsage();
  const bot = botCpuMs(session);
  const r = await runClosedLoop(session, {
    ...options,
    durationMs,
    seed: `saturate-check/${performance.now()}`,
    signal: controller.signal,
  });
  if (r.non2xx + r.errors + r.timeouts > 0 || r.unanswered > 0)
    throw new Error(
      `saturate's closed loop: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.unanswered} unanswered`,
    );
  return {
    requestsPerSecond: r.requestsPerSecond,
    repliesPerSecond: r.repliesPerSecond,
    harnessCpuUsPerRequest: cpuUs(process.cpuUsage(cpu)) / r.requests,
    botCpuUsPerRequest: perRequestUs(bot, botCpuMs(session), r.requests),
  };
}

async function plainSide(session: BotSession, durationMs: number): Promise<Side> {
  const cpu = process.cpuUsage();
  const bot = botCpuMs(session);
  const r = await runPlainAutocannon(session, { ...options, durationMs, signal: controller.signal });
  if (r.failed > 0) throw new Error(`plain autocannon: ${r.failed} failed requests`);
  return {
    requestsPerSecond: r.requestsPerSecond,
    repliesPerSecond: (r.replies / r.requests) * r.requestsPerSecond,
    harnessCpuUsPerRequest: cpuUs(process.cpuUsage(cpu)) / r.requests,
    botCpuUsPerRequest: perRequestUs(bot, botCpuMs(session), r.requests),
  };
}

const ROUND_HEADER = [
  "| round | order | saturate replies/s | saturate requests/s | plain requests/s | difference | harness µs CPU/request (saturate / plain) | bot µs CPU/request (saturate / plain) |",
  "|---:|---|---:|---:|---:|---:|---:|---:|",
];
const us = (v: number | null) => (v === null ? "–" : v.toFixed(0));

function roundRow(n: number, r: Round): string {
  const diff = (r.saturate.repliesPerSecond - r.plain.requestsPerSecond) / r.plain.requestsPerSecond;
  return `| ${n + 1} | ${r.order.join(" then ")} | ${r.saturate.repliesPerSecond.toFixed(0)} | ${r.saturate.requestsPerSecond.toFixed(0)} | ${r.plain.requestsPerSecond.toFixed(0)} | ${(diff * 100).toFixed(1)} % | ${us(r.saturate.harnessCpuUsPerRequest)} / ${us(r.plain.harnessCpuUsPerRequest)} | ${us(r.saturate.botCpuUsPerRequest)} / ${us(r.plain.botCpuUsPerRequest)} |`;
}

const cpuUs = (u: NodeJS.CpuUsage) => u.user + u.system;

const session = await startBotSession(scenario, cell, controller.signal);
const rounds: Round[] = [];
try {
  await warmUpChats(
    session,
    options.users,
    POPULATION_IDS.firstUserId,
    scenario.startupTimeoutMs,
    controller.signal,
  );
  console.log(
    `saturate-check: reference bot, webhook, ${options.connections} connections, ${args.rounds} round(s) × 2 sides × ${args["duration-seconds"]} s`,
  );
  await saturateSide(session, 1000); // warm-up of both paths, not counted
  await plainSide(session, 1000);
  console.log(`\n${ROUND_HEADER.join("\n")}`);
  for (let n = 0; n < args.rounds && !controller.signal.aborted; n++) {
    const order = orderOf(n);
    const sides: Partial<Pick<Round, "saturate" | "plain">> = {};
    for (const side of order)
      sides[side] = await (side === "saturate" ? saturateSide : plainSide)(session, options.durationMs);
    if (sides.saturate === undefined || sides.plain === undefined) break;
    const round: Round = { order, saturate: sides.saturate, plain: sides.plain };
    rounds.push(round);
    console.log(roundRow(n, round));
  }
} finally {
  await session.close();
}
if (controller.signal.aborted) process.exit(130);

const a = agreement(rounds);
const table = [
  "| side | requests/s (median) | replies/s (median) |",
  "|---|---:|---:|",
  `| saturate's closed loop (a different update per request, replies matched) | ${a.saturateRequestsPerSecond.toFixed(0)} | ${a.saturateRepliesPerSecond.toFixed(0)} |`,
  `| plain autocannon (one fixed update) | ${a.plainRequestsPerSecond.toFixed(0)} | – |`,
  "",
  `Difference (saturate replies/s vs plain requests/s), median of the rounds' paired differences: ${(a.difference * 100).toFixed(1)} % (of the medians: ${(a.differenceOfMedians * 100).toFixed(1)} %) — ${a.agrees ? "agrees" : "does NOT agree"} within ${AGREEMENT_LIMIT * 100} %.`,
];
console.log(`\n${table.join("\n")}`);
const directory = runDirectory(args["results-dir"], "saturate-check", startedAt);
await mkdir(directory, { recursive: true });
const md = `# saturate-check: reference bot, webhook, ${options.connections} connections, ${args["duration-seconds"]} s per side\n\n${[...ROUND_HEADER, ...rounds.map((r, n) => roundRow(n, r))].join("\n")}\n\n${table.join("\n")}\n`;
await writeFile(join(directory, "saturate-check.md"), md);
await writeFile(
  join(directory, "saturate-check.json"),
  `${JSON.stringify({ schema: "tgbench/saturate-check@1", startedAt: startedAt.toISOString(), connections: options.connections, durationSeconds: args["duration-seconds"], rounds, agreement: a }, null, 2)}\n`,
);
console.log(`Results: ${directory}`);
process.exitCode = a.agrees ? 0 : 1;
