import type { SaturateResult } from "./saturate.ts";

const ms = (us: number | null) => (us === null ? "–" : (us / 1000).toFixed(2));
const rate = (r: number | null) => (r === null ? "–" : r.toFixed(1));

/** saturate.md, and the table the CLI prints. */
export function renderSaturateMarkdown(r: SaturateResult): string {
  const lines = [`# tgbench saturate: ${r.bot} (${r.mode}), handler delay ${r.handlerDelayMs} ms`, ""];
  const c = r.closedLoop;
  lines.push("## Closed loop", "");
  if (c.kind === "closed-loop") {
    lines.push(
      `autocannon, ${c.connections} connections, ${c.durationMs} ms, POSTing a different update each time to the bot's webhook (closed loop: a connection sends its next update when the last one was answered, so this is the most the bot took, not a latency at a given rate).`,
      "",
      "| requests/s | replies/s | 2xx | replies | unanswered | non-2xx | errors | POST p50 ms | POST p99 ms |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      `| ${rate(c.requestsPerSecond)} | ${rate(c.repliesPerSecond)} | ${c.responses2xx} | ${c.replies} | ${c.unanswered} | ${c.non2xx} | ${c.errors} | ${c.latencyMs.p50} | ${c.latencyMs.p99} |`,
      "",
      "POST latencies are autocannon's, in whole milliseconds (its histogram's resolution).",
    );
  } else {
    lines.push(
      `${c.prefilled} updates queued at once, drained through getUpdates (closed loop: the bot takes them as fast as it can).`,
      "",
      "| replies/s | replies | drain ms | getUpdates calls |",
      "|---:|---:|---:|---:|",
      `| ${rate(c.repliesPerSecond)} | ${c.replies}/${c.prefilled} | ${c.drainMs.toFixed(0)} | ${c.getUpdatesCalls} |`,
    );
  }
  lines.push(
    "",
    "## Open loop",
    "",
    "tgbench's generator at a fixed offered rate per step; end-to-end latency from the intended send time.",
    "",
  );
  lines.push("| offered/s | answered/s | kept up | p50 ms | p99 ms |", "|---:|---:|:---:|---:|---:|");
  for (const s of r.openLoop)
    lines.push(
      `| ${rate(s.offeredPerSecond)} | ${rate(s.answeredPerSecond)} | ${s.keptUp ? "yes" : "no"} | ${ms(s.p50Us)} | ${ms(s.p99Us)} |`,
    );
  lines.push("", "## Knee", "");
  lines.push(
    r.knee.atPerSecond === null
      ? `No knee found up to the max rate (${r.options.maxRatePerSecond}/s).`
      : `Knee at ${rate(r.knee.atPerSecond)}/s (${r.knee.reason}); highest sustained step: ${rate(r.knee.highestSustainedPerSecond)}/s.`,
    "",
    `${r.knee.definition} Here k = ${r.knee.factor}.`,
    "",
    "## Concurrency",
    "",
    r.concurrency.verdict,
    "",
  );
  return lines.join("\n");
}
