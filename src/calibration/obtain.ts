import type { HarnessCeiling, MeasuredCeiling } from "../results/index.ts";
import { type CalibrationKey, type CeilingCache, cacheable } from "./cache.ts";

/** How {@link obtainHarnessCeiling} gets its parts; each is injected so tests can fake it. */
export interface ObtainOptions {
  /** False with --no-calibrate: nothing is measured or read. */
  enabled: boolean;
  /** What the calibration is valid for (commit, host, CPU). */
  key: () => Promise<CalibrationKey>;
  cache: CeilingCache;
  /** Measures the ceiling now (see measure.ts). */
  measure: (key: CalibrationKey, signal: AbortSignal) => Promise<MeasuredCeiling>;
  /** Gives up on measuring after this long (ms). */
  timeoutMs: number;
  /** The run's own signal (Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * The harness's ceiling for a run: a fresh cached calibration of the same commit and machine if
 * there is one (`source: "cached"`), else one measured now (`"fresh"`, then cached). Never throws:
 * when calibration is switched off or fails, the ceiling is "not measured" with the reason, and
 * the run goes on.
 */
export async function obtainHarnessCeiling(options: ObtainOptions): Promise<HarnessCeiling> {
  if (!options.enabled) return { status: "not-measured", reason: "calibration skipped (--no-calibrate)" };
  try {
    const key = await options.key();
    const cached = await options.cache.read(key);
    if (cached !== null) return { ...cached, source: "cached" };
    const measured = await withTimeout(options, (signal) => options.measure(key, signal));
    if (cacheable(key)) await options.cache.write(key, measured).catch(() => {});
    return { ...measured, source: "fresh" };
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: "not-measured", reason: `calibration failed: ${message}` };
  }
}

async function withTimeout<T>(options: ObtainOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`not done in ${options.timeoutMs / 1000} s`));
      controller.abort(); // after the rejection, so that the timeout is the reason given
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
