import { cellLabel, formatCount, formatUs } from "../report/figures.ts";
import { describeOutcome, describeStop, failureDetail } from "../results/index.ts";
import type { RunnerEvent } from "../runner/events.ts";

/** Prints runner events as one line each on stderr (stdout stays free for --json). */
export function printProgress(event: RunnerEvent, out: NodeJS.WritableStream = process.stderr): void {
  const name = (cell: { subject: { name: string }; mode: string; ratePerSecond: number }) =>
    cellLabel({ bot: cell.subject.name, mode: cell.mode as never, ratePerSecond: cell.ratePerSecond });
  switch (event.type) {
    case "cell-start":
      out.write(`[${event.index + 1}/${event.total}] ${name(event.cell)} …\n`);
      break;
    case "cell-skipped":
      out.write(
        `[${event.index + 1}/${event.total}] ${name(event.cell)}: skipped (${event.reason.message})\n`,
      );
      break;
    case "trial-progress":
      // A live line on a terminal, overwritten each second; nothing in logs.
      if ((out as NodeJS.WriteStream).isTTY === true) {
        out.write(
          `\r    trial ${event.trial}: ${event.second} s, ${formatCount(event.offered, 0)} sent, ${formatCount(event.answered, 0)} answered, ${formatCount(event.pending, 0)} waiting   `,
        );
      }
      break;
    case "bot-waiting":
      if ((out as NodeJS.WriteStream).isTTY === true) out.write("\r\x1b[2K");
      out.write(
        `    trial ${event.trial}: waiting ${Math.round(event.waitedMs / 1000)} s for ${event.waitingFor}; ` +
          `the fake API saw ${event.seen}${event.errors > 0 ? ` (${event.errors} API errors)` : ""}\n`,
      );
      break;
    case "trial-end": {
      if ((out as NodeJS.WriteStream).isTTY === true) out.write("\r\x1b[2K");
      const r = event.result;
      const failed = event.failures.length > 0;
      const status = failed
        ? "FAILED"
        : r.outcome.kind === "completed"
          ? "ok"
          : `stopped: ${describeOutcome(r.outcome)}`;
      out.write(
        `    trial ${event.trial}: ${formatCount(r.ledger.answered, 0)}/${formatCount(r.ledger.generated, 0)} answered, ` +
          `${formatCount(r.matching.unmatched, 0)} unmatched, ${formatCount(r.matching.duplicates, 0)} duplicate replies, ` +
          (r.latency.endToEnd.count === 0
            ? "no latency, "
            : `p50 ${formatUs(r.latency.endToEnd.p50Us)}, p99 ${formatUs(r.latency.endToEnd.p99Us)}, `) +
          `${formatCount(r.requests.perAnsweredUpdate.requests, 2)} requests/update, ${status}\n`,
      );
      for (const failure of event.failures) out.write(`${indent(failureDetail(failure), "      ")}\n`);
      const stop = r.behaviour?.stop;
      const note = stop === undefined || stop === null ? null : describeStop(stop);
      if (note !== null) out.write(`      note: the bot ${note}\n`);
      break;
    }
    case "notice":
      out.write(`${event.message}\n`);
      break;
    case "trial-failed":
      out.write(
        `    trial ${event.trial} failed: ${indent(failureDetail(event.reason), "      ").trimStart()}\n`,
      );
      break;
    default:
      break;
  }
}

const indent = (text: string, prefix: string) =>
  text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
