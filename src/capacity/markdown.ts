import type { OpenLoopEnd } from "./knee.ts";
import type { SaturateResult } from "./saturate.ts";

const ms = (us: number | null) => (us === null ? "–" : (us / 1000).toFixed(2));
const rate = (r: number | null) => (r === null ? "–" : r.toFixed(1));
const share = (s: number | null) => (s === null ? "–" : `${Math.round(s * 100)} %`);

/** The open loop's end in a sentence. */
export function endSentence(r: SaturateResult): string {
  const e: OpenLoopEnd = r.knee.end;
  const sustained = `highest sustained step: ${rate(r.knee.highestSustainedPerSecond)}/s`;
  const max = r.openLoop.plannedPerSecond.at(-1) ?? null;
  switch (e.kind) {
    case "knee":
      return `Knee at ${rate(r.knee.atPerSecond)}/s (${e.reason}; confirmed by the step at ${rate(r.openLoop.steps[e.confirmedBy]?.offeredPerSecond ?? null)}/s); ${sustained}. ${r.openLoop.steps[e.index]?.harnessBound ? "The knee's own step was harness-bound, but the harness kept its schedule at the confirming step: the bot is the limit." : "The bot is the limit: the harness kept its schedule at the knee."}`;
    case "harness-ceiling":
      return `Stopped at the harness's ceiling at ${rate(r.knee.atPerSecond)}/s (${e.reason}; there and at the next step the harness could not keep its own schedule, so the harness was the limit); ${sustained}. The bot's own knee is at or above this rate on this machine.`;
    case "max-rate":
      return `No knee up to the highest planned rate, ${rate(max)}/s (${r.options.maxRatePerSecond === "auto" ? "planned from the closed-loop capacity" : "--max-rate"}): ${e.reason}; ${sustained}.`;
    case "open":
      return `No knee confirmed (${e.reason}); ${sustained}.`;
  }
}

/** The closed and the open loop's headline figures side by side, each labelled. */
function sideBySide(r: SaturateResult): string[] {
  const c = r.closedLoop;
  const closedHow =
    c.kind === "closed-loop"
      ? `autocannon, ${c.connections} connections on the webhook`
      : `${c.prefilled} updates prefilled, drained via getUpdates`;
  const closedLatency =
    c.kind === "closed-loop"
      ? `POST p50 ${c.latencyMs.p50} ms, p99 ${c.latencyMs.p99} ms (autocannon's, whole ms, no queueing counted)`
      : "– (a drain has no offered rate)";
  const knee =
    r.knee.atPerSecond === null ? "none confirmed" : `${rate(r.knee.atPerSecond)}/s (${r.knee.end.kind})`;
  return [
    "| | closed loop | open loop |",
    "|---|---|---|",
    `| what drives the bot | ${closedHow}: the next update goes when the bot is ready | tgbench's generator at a constant offered rate per step, whatever the bot does |`,
    `| updates/s | ${rate(c.repliesPerSecond)} replies/s (capacity) | ${rate(r.knee.highestSustainedPerSecond)}/s highest sustained on the floor; knee ${knee} |`,
    `| latency | ${closedLatency} | floor p50 ${ms(r.openLoop.floorUs)} ms, from the intended send time |`,
  ];
}

/** saturate.md, and the table the CLI prints. */
export function renderSaturateMarkdown(r: SaturateResult): string {
  const lines = [`# tgbench saturate: ${r.bot} (${r.mode}), handler delay ${r.handlerDelayMs} ms`, ""];
  lines.push(...sideBySide(r), "", endSentence(r), "");
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
    `tgbench's generator at a constant offered rate per step (planned from the closed-loop figure: ${r.openLoop.plannedPerSecond.join(", ")}/s), ${r.options.durationMs} ms each; end-to-end latency from the intended send time.`,
    "",
    "| offered/s | answered/s | kept up | p50 ms | p99 ms | generator late p50 ms | harness CPU | on the floor |",
    "|---:|---:|:---:|---:|---:|---:|---:|---|",
  );
  for (const [i, s] of r.openLoop.steps.entries()) {
    const mark = r.openLoop.marks[i];
    const judged = mark === undefined ? "–" : mark.onFloor ? "yes" : `no: ${mark.reason}`;
    lines.push(
      `| ${rate(s.offeredPerSecond)} | ${rate(s.answeredPerSecond)} | ${s.keptUp ? "yes" : "no"} | ${ms(s.p50Us)} | ${ms(s.p99Us)} | ${ms(s.generatorLatenessP50Us)} | ${share(s.harnessCpuShare)}${s.harnessBound ? " (harness-bound)" : ""} | ${judged} |`,
    );
  }
  lines.push(
    "",
    "## Knee",
    "",
    endSentence(r),
    "",
    `${r.knee.definition} Here k = ${r.knee.factor}. ${r.knee.harnessBoundDefinition}`,
    "",
    "## Concurrency",
    "",
    r.concurrency.verdict,
    "",
  );
  return lines.join("\n");
}
