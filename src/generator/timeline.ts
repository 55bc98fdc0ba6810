/**
 * Timelines for the `replay` arrival process: relative send times in ms, e.g. exported from a
 * production log, one number per line.
 */

/** A line of a timeline file that is not a valid timestamp. */
export class TimelineParseError extends Error {
  /** 1-based line number in the parsed text. */
  readonly lineNumber: number;
  /** The offending line, trimmed. */
  readonly line: string;

  constructor(lineNumber: number, line: string, problem: string) {
    super(`line ${lineNumber}: ${problem}`);
    this.name = "TimelineParseError";
    this.lineNumber = lineNumber;
    this.line = line;
  }
}

/** A plain non-negative decimal; rejects `0x10`, `1e3`, `Infinity` and the like on purpose. */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * Parses a timeline: one timestamp per line, in ms from the start of the run, non-decreasing.
 * Blank lines and lines starting with `#` are skipped; `\r\n` line ends are fine.
 * Throws a {@link TimelineParseError} naming the line number of the first bad line.
 */
export function parseTimeline(text: string): number[] {
  const timelineMs: number[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const lineNumber = index + 1;
    if (!DECIMAL.test(line)) {
      const problem = line.startsWith("-")
        ? `"${line}" is negative; timestamps are ms from the start of the run`
        : `"${line}" is not a number of milliseconds; write one non-negative number per line`;
      throw new TimelineParseError(lineNumber, line, problem);
    }
    const timestampMs = Number(line);
    const previousMs = timelineMs.at(-1);
    if (previousMs !== undefined && timestampMs < previousMs) {
      throw new TimelineParseError(
        lineNumber,
        line,
        `${line} is earlier than the previous timestamp ${previousMs}; sort the timeline (e.g. sort -n)`,
      );
    }
    timelineMs.push(timestampMs);
  }
  return timelineMs;
}

/**
 * Throws a RangeError unless every timestamp is finite, >= 0 and not earlier than the one before;
 * for timelines given as arrays rather than parsed from text.
 */
export function checkTimeline(name: string, timelineMs: readonly number[]): void {
  let previousMs = 0;
  for (const [index, timestampMs] of timelineMs.entries()) {
    if (!(Number.isFinite(timestampMs) && timestampMs >= previousMs)) {
      throw new RangeError(
        `${name}[${index}] must be a finite number >= 0 and >= the timestamp before it, got ${timestampMs}`,
      );
    }
    previousMs = timestampMs;
  }
}
