import { cellLabel, formatCount, formatUs } from "../report/figures.ts";
import { describeOutcome, describeStop, failureDetail, fellBehindBecause } from "../results/index.ts";
import type { RunnerEvent } from "../runner/events.ts";

/** A clock for elapsed time, ms (injectable for tests). */
export type NowMs = () => number;

/** `0:42`, `1:03:09` */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * Prints runner events as one line each on stderr (stdout stays free for --json), each cell with
 * the run's elapsed time and an estimate of the time left (the mean time of the cells so far ×
 * the cells to go). A trial says whether it kept up, by the one definition (src/results/kept-up.ts).
 */
export class ProgressDisplay {
  readonly #out: NodeJS.WritableStream;
  readonly #now: NowMs;
  #startMs: number | null = null;
  #cellsDone = 0;
  /** The running cells, by index: when each started, and whether another ran beside it. */
  readonly #running = new Map<number, { startMs: number; overlapped: boolean }>();
  /** Cells' start-to-end times, summed: every cell's, and those of cells that ran alone. */
  readonly #timed = { all: { ms: 0, cells: 0 }, alone: { ms: 0, cells: 0 } };

  constructor(out: NodeJS.WritableStream = process.stderr, now: NowMs = () => performance.now()) {
    this.#out = out;
    this.#now = now;
  }

  /** `[3/45 · 0:42 elapsed · ~3:10 left]` */
  #position(index: number, total: number): string {
    this.#startMs ??= this.#now();
    const elapsedMs = this.#now() - this.#startMs;
    // The mean time a cell took, start to end: of the cells that ran alone once there are any
    // (cells that run together, first, each take longer than their share of the run).
    const { all, alone } = this.#timed;
    const mean = alone.cells > 0 ? alone : all;
    const left =
      mean.cells === 0 ? "" : ` · ~${formatClock((mean.ms / mean.cells) * (total - this.#cellsDone))} left`;
    return `[${index + 1}/${total} · ${formatClock(elapsedMs)} elapsed${left}]`;
  }

  print(event: RunnerEvent): void {
    const out = this.#out;
    const tty = (out as NodeJS.WriteStream).isTTY === true;
    const name = (cell: {
      subject: { name: string };
      mode: string;
      ratePerSecond: number;
      network: { name: string };
    }) =>
      cellLabel({
        bot: cell.subject.name,
        mode: cell.mode as never,
        ratePerSecond: cell.ratePerSecond,
        network: cell.network,
      });
    switch (event.type) {
      case "cell-start":
        out.write(`${this.#position(event.index, event.total)} ${name(event.cell)} …\n`);
        for (const other of this.#running.values()) other.overlapped = true;
        this.#running.set(event.index, { startMs: this.#now(), overlapped: this.#running.size > 0 });
        break;
      case "cell-skipped":
        out.write(
          `${this.#position(event.index, event.total)} ${name(event.cell)}: skipped (${event.reason.message})\n`,
        );
        this.#cellsDone++;
        break;
      case "cell-end": {
        this.#cellsDone++;
        const started = this.#running.get(event.index);
        this.#running.delete(event.index);
        if (started !== undefined) {
          const ms = this.#now() - started.startMs;
          this.#timed.all.ms += ms;
          this.#timed.all.cells++;
          if (!started.overlapped) {
            this.#timed.alone.ms += ms;
            this.#timed.alone.cells++;
          }
        }
        break;
      }
      case "trial-progress":
        // A live line on a terminal, overwritten each second; nothing in logs.
        if (tty) {
          out.write(
            `\r    trial ${event.trial}: ${event.second} s, ${formatCount(event.offered, 0)} sent, ${formatCount(event.answered, 0)} answered, ${formatCount(event.pending, 0)} waiting   `,
          );
        }
        break;
      case "bot-waiting":
        if (tty) out.write("\r\x1b[2K");
        out.write(
          `    trial ${event.trial}: waiting ${Math.round(event.waitedMs / 1000)} s for ${event.waitingFor}; ` +
            `the fake API saw ${event.seen}${event.errors > 0 ? ` (${event.errors} API errors)` : ""}\n`,
        );
        break;
      case "trial-end": {
        if (tty) out.write("\r\x1b[2K");
        const r = event.result;
        const behind = fellBehindBecause(r);
        // Whether it kept up: the one definition (src/results/kept-up.ts), as in the tables and the verdict.
        const status =
          event.failures.length > 0
            ? "FAILED"
            : r.outcome.kind !== "completed"
              ? `stopped: ${describeOutcome(r.outcome)}`
              : behind === null
                ? "kept up"
                : `did not keep up (${behind})`;
        const other = this.#running.size > 1 ? `${name(event.cell)}: ` : "";
        out.write(
          `    ${other}trial ${event.trial}: ${formatCount(r.ledger.answered, 0)}/${formatCount(r.ledger.generated, 0)} answered, ` +
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
}

const indent = (text: string, prefix: string) =>
  text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
