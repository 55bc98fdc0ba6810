import type { MeasuredCeiling } from "../results/index.ts";
import type { CalibrationKey } from "./cache.ts";
import { CALIBRATION_DEFAULTS } from "./defaults.ts";
import { measureReference } from "./measure-reference.ts";
import { measureRequests } from "./measure-requests.ts";

/**
 * Measures the harness's ceiling now: autocannon against the fake API and against bare fastify
 * (measure-requests.ts), then the reference bot in webhook mode through the whole fake API in a
 * closed loop (measure-reference.ts). A reference part that cannot run (no reference bot
 * registered, it failed) leaves that figure null with a note; the requests part failing fails
 * the calibration.
 */
export async function measureHarnessCeiling(
  key: CalibrationKey,
  signal: AbortSignal,
): Promise<MeasuredCeiling> {
  const d = CALIBRATION_DEFAULTS;
  const startedMs = performance.now();
  const measuredAt = new Date().toISOString();
  const requests = await measureRequests(
    { durationMs: d.requestsDurationMs, warmupMs: d.requestsWarmupMs, connections: d.requestsConnections },
    signal,
  );
  let referenceWebhookPerSecond: number | null = null;
  let referenceNote: string | undefined;
  try {
    const reference = await measureReference(
      { durationMs: d.referenceDurationMs, inFlight: d.referenceInFlight, users: d.referenceUsers },
      signal,
    );
    referenceWebhookPerSecond = reference.answeredPerSecond;
  } catch (error: unknown) {
    referenceNote = error instanceof Error ? error.message : String(error);
  }
  if (signal.aborted) throw new Error("cancelled");
  return {
    status: "measured",
    source: "fresh",
    measuredAt,
    commit: key.commit,
    host: key.host,
    cpuModel: key.cpuModel,
    ...requests,
    referenceWebhookPerSecond,
    referenceInFlight: d.referenceInFlight,
    referenceDurationMs: d.referenceDurationMs,
    ...(referenceNote === undefined ? {} : { referenceNote }),
    tookMs: performance.now() - startedMs,
    nearLimitShare: d.nearLimitShare,
  };
}
