/**
 * Numeric flags read from the text the user typed, so that a mistake is echoed back as typed and
 * in the flag's own unit (`--rate: "abc" is not a number of updates per second`), never as NaN or
 * in another unit. yargs calls these as `coerce` functions; what they throw is a usage error.
 */
import { UsageError } from "./usage-error.ts";

/** One value of a numeric flag: a finite number, else a usage error naming the flag, the value and the unit. */
export function parseNumber(flag: string, unit: string, raw: unknown): number {
  const text = String(raw).trim();
  const value = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${flag}: "${String(raw)}" is not a number (${unit})`);
  return value;
}

/** A `coerce` for a numeric flag, one value or several. */
export function numberFlag(flag: string, unit: string): (raw: unknown) => number | number[] {
  return (raw) =>
    Array.isArray(raw) ? raw.map((r) => parseNumber(flag, unit, r)) : parseNumber(flag, unit, raw);
}

/** A `coerce` for a flag given in seconds that must be positive and at most `maxSeconds`. */
export function secondsFlag(flag: string, maxSeconds: number): (raw: unknown) => number {
  return (raw) => {
    const seconds = parseNumber(flag, "seconds", raw);
    if (seconds <= 0 || seconds > maxSeconds) {
      throw new UsageError(
        `--${flag} must be more than 0 and at most ${maxSeconds} seconds, got ${String(raw)}`,
      );
    }
    return seconds;
  };
}
