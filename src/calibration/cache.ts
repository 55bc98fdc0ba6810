import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MeasuredCeiling } from "../results/index.ts";

/** What a calibration is valid for: the same code on the same machine. */
export interface CalibrationKey {
  /** The git commit of the tool; a calibration of uncommitted changes is never cached. */
  commit: string;
  /** True when the tool's working tree has uncommitted changes. */
  dirty: boolean;
  host: string;
  cpuModel: string;
}

/** Whether calibrations for this key may be cached: a known commit with no uncommitted changes. */
export const cacheable = (key: CalibrationKey): boolean => key.commit !== "unknown" && !key.dirty;

const CACHE_SCHEMA = "tgbench/harness-ceiling@1";

/**
 * Calibrations on disk, one file per key (commit + host + CPU model), reused while younger than
 * `maxAgeMs` by the injected clock (epoch ms). A file that cannot be read, is of another key or
 * schema, or is too old is no calibration; writing is atomic (temporary file, then rename).
 */
export class CeilingCache {
  readonly #directory: string;
  readonly #maxAgeMs: number;
  readonly #nowMs: () => number;

  constructor(options: { directory: string; maxAgeMs: number; nowMs?: () => number }) {
    this.#directory = options.directory;
    this.#maxAgeMs = options.maxAgeMs;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** The file of a key. */
  fileOf(key: CalibrationKey): string {
    const digest = createHash("sha256").update(`${key.commit}\n${key.host}\n${key.cpuModel}`).digest("hex");
    return join(this.#directory, `harness-ceiling-${digest.slice(0, 16)}.json`);
  }

  /** The cached calibration of `key` if there is a fresh one, else null. */
  async read(key: CalibrationKey): Promise<MeasuredCeiling | null> {
    if (!cacheable(key)) return null;
    let stored: { schema?: unknown; ceiling?: MeasuredCeiling };
    try {
      stored = JSON.parse(await readFile(this.fileOf(key), "utf8"));
    } catch {
      return null;
    }
    const ceiling = stored.ceiling;
    if (stored.schema !== CACHE_SCHEMA || ceiling?.status !== "measured") return null;
    if (ceiling.commit !== key.commit || ceiling.host !== key.host || ceiling.cpuModel !== key.cpuModel)
      return null;
    const ageMs = this.#nowMs() - Date.parse(ceiling.measuredAt);
    if (!(ageMs >= 0 && ageMs < this.#maxAgeMs)) return null;
    return ceiling;
  }

  /** Stores a calibration for its key (a no-op for a key that is not cacheable). */
  async write(key: CalibrationKey, ceiling: MeasuredCeiling): Promise<void> {
    if (!cacheable(key)) return;
    await mkdir(this.#directory, { recursive: true });
    const file = this.fileOf(key);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ schema: CACHE_SCHEMA, ceiling }, null, 2)}\n`);
    await rename(temporary, file);
  }
}
