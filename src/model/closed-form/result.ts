import { emptyLatency, type LatencyFiguresMs, MODEL_PERCENTILES, type ModelFigures } from "../figures.ts";

/**
 * The closed forms' answer for one cell: every figure that has an exact closed form under the
 * input's conditions, null for the rest, and one note per figure left out (or assumption made).
 */
export interface ClosedFormResult {
  figures: ModelFigures;
  notes: string[];
}

export function blankFigures(): ModelFigures {
  return {
    emptyShare: null,
    pollsPerHour: null,
    requestsPerHour: null,
    emptyRequestsPerHour: null,
    requestsPerAnsweredUpdate: null,
    deliveryWaitMs: emptyLatency(),
    endToEndMs: emptyLatency(),
    throughputCeilingPerSecond: null,
  };
}

/** A latency from a mean and (optionally) a quantile function, both shifted by `shiftMs`. */
export function latencyFrom(
  meanMs: number | null,
  quantileMs: ((q: number) => number | null) | null,
  shiftMs = 0,
): LatencyFiguresMs {
  const out = emptyLatency();
  out.meanMs = meanMs === null ? null : meanMs + shiftMs;
  if (quantileMs !== null) {
    for (const { key, q } of MODEL_PERCENTILES) {
      const v = quantileMs(q);
      out[key] = v === null ? null : v + shiftMs;
    }
  }
  return out;
}

/**
 * `latency` moved by a shift: `meanShiftMs` for the mean (null: unknown), `quantileShiftMs` for the
 * percentiles (null unless the shift is the same for every update).
 */
export function shiftLatency(
  latency: LatencyFiguresMs,
  meanShiftMs: number | null,
  quantileShiftMs: number | null,
): LatencyFiguresMs {
  const out = emptyLatency();
  out.meanMs = latency.meanMs === null || meanShiftMs === null ? null : latency.meanMs + meanShiftMs;
  if (quantileShiftMs !== null) {
    for (const { key } of MODEL_PERCENTILES)
      out[key] = latency[key] === null ? null : latency[key]! + quantileShiftMs;
  }
  return out;
}
