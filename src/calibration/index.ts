/**
 * The harness's own ceiling on this machine, for every `tgbench run` report: measured now or read
 * from a fresh calibration of the same commit and machine (node_modules/.cache/tgbench/).
 */
import { fileURLToPath } from "node:url";
import type { HarnessCeiling } from "../results/index.ts";
import { CeilingCache } from "./cache.ts";
import { CALIBRATION_DEFAULTS } from "./defaults.ts";
import { calibrationKey } from "./key.ts";
import { measureHarnessCeiling } from "./measure.ts";
import { obtainHarnessCeiling } from "./obtain.ts";

export { type CalibrationKey, CeilingCache, cacheable } from "./cache.ts";
export { CALIBRATION_DEFAULTS } from "./defaults.ts";
export { obtainHarnessCeiling } from "./obtain.ts";

/** tgbench's package root: the commit is its own, and the cache lives under its node_modules. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The harness ceiling for a run of this tool here: cached while fresh, else measured (never throws). */
export function harnessCeilingForRun(options: {
  enabled: boolean;
  signal?: AbortSignal;
}): Promise<HarnessCeiling> {
  const d = CALIBRATION_DEFAULTS;
  return obtainHarnessCeiling({
    enabled: options.enabled,
    key: () => calibrationKey(ROOT),
    cache: new CeilingCache({ directory: `${ROOT}${d.cacheDirectory}`, maxAgeMs: d.maxAgeMs }),
    measure: (key, signal) => measureHarnessCeiling(key, signal),
    timeoutMs: d.timeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}
