/**
 * Latency histograms: a thin wrapper over hdr-histogram-js with one fixed range, in microseconds.
 * Every histogram of a run is built here, so any two can be merged. The pure-JS implementation is
 * used (not WASM) so that everything is synchronous and needs no initialisation.
 */
import * as hdr from "hdr-histogram-js";
import { LATENCY_HISTOGRAM_RANGE } from "./defaults.ts";

const MIN_US = LATENCY_HISTOGRAM_RANGE.lowestDiscernibleUs;
const MAX_US = LATENCY_HISTOGRAM_RANGE.highestTrackableUs;

/**
 * The figures a report shows for one histogram; every value in µs, all null when nothing was
 * recorded (no data is not 0 µs). Like the percentiles, min and max are given at the histogram's
 * resolution (the lowest and highest value equivalent to the true one, within 0.1 %), as
 * HdrHistogram's Java `getMaxValue` does, so that max ≥ p99.9 always and a decoded histogram
 * summarises exactly like the original.
 */
export interface LatencySummary {
  count: number;
  minUs: number | null;
  meanUs: number | null;
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  /** 99.9th percentile. */
  p999Us: number | null;
  maxUs: number | null;
}

/** The percentiles every summary has, as HdrHistogram takes them (0 … 100), by summary key. */
export const SUMMARY_PERCENTILES = {
  p50Us: 50,
  p90Us: 90,
  p99Us: 99,
  p999Us: 99.9,
  maxUs: 100,
} as const;

/** The key of one of {@link SUMMARY_PERCENTILES}. */
export type SummaryPercentile = keyof typeof SUMMARY_PERCENTILES;

/**
 * One distinct recorded value (at the histogram's resolution, as percentiles report it) and how
 * many values fell on it.
 */
export interface RecordedValue {
  valueUs: number;
  count: number;
}

/** A text given to {@link decodeLatencyHistogram} that is not an encoded histogram. */
export class LatencyHistogramDecodeError extends Error {
  /** What hdr-histogram-js reported. */
  readonly reason: string;

  constructor(reason: string) {
    super(`not an encoded latency histogram (${reason}); pass the text that encode() returned`);
    this.name = "LatencyHistogramDecodeError";
    this.reason = reason;
  }
}

function buildHdr(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: MIN_US,
    highestTrackableValue: MAX_US,
    numberOfSignificantValueDigits: LATENCY_HISTOGRAM_RANGE.significantValueDigits,
  });
}

/**
 * Latencies in µs, 1 µs … 1 h at three significant digits. Create with
 * {@link createLatencyHistogram}.
 */
export class LatencyHistogram {
  readonly #hdr: hdr.Histogram;
  #clampedCount = 0;

  /** @internal Use {@link createLatencyHistogram} or {@link decodeLatencyHistogram}. */
  constructor(histogram: hdr.Histogram = buildHdr()) {
    this.#hdr = histogram;
  }

  /**
   * Records one latency in µs, rounded to a whole µs. Values outside 1 µs … 1 h (and NaN) are
   * clamped to the nearest end and counted in {@link clampedCount} rather than thrown.
   */
  recordUs(valueUs: number): void {
    let us = Math.round(valueUs);
    if (!(us >= MIN_US)) {
      us = MIN_US;
      this.#clampedCount++;
    } else if (us > MAX_US) {
      us = MAX_US;
      this.#clampedCount++;
    }
    this.#hdr.recordValue(us);
  }

  /** Number of recorded values. */
  get count(): number {
    return this.#hdr.totalCount;
  }

  /** Values that were outside 1 µs … 1 h and were clamped; not carried by {@link encode}. */
  get clampedCount(): number {
    return this.#clampedCount;
  }

  /** Count, min, mean, p50, p90, p99, p99.9 and max, in µs; every figure null when nothing was recorded. */
  summary(): LatencySummary {
    const h = this.#hdr;
    const count = h.totalCount;
    if (count === 0) {
      return {
        count: 0,
        minUs: null,
        meanUs: null,
        p50Us: null,
        p90Us: null,
        p99Us: null,
        p999Us: null,
        maxUs: null,
      };
    }
    return {
      count,
      minUs: h.getValueAtPercentile(0),
      meanUs: h.mean,
      p50Us: h.getValueAtPercentile(SUMMARY_PERCENTILES.p50Us),
      p90Us: h.getValueAtPercentile(SUMMARY_PERCENTILES.p90Us),
      p99Us: h.getValueAtPercentile(SUMMARY_PERCENTILES.p99Us),
      p999Us: h.getValueAtPercentile(SUMMARY_PERCENTILES.p999Us),
      maxUs: h.getValueAtPercentile(SUMMARY_PERCENTILES.maxUs),
    };
  }

  /**
   * The value at `percentile` (0 … 100) in µs, as HdrHistogram computes it (the highest value
   * equivalent to the one at that rank); null when nothing was recorded.
   */
  valueAtPercentile(percentile: number): number | null {
    return this.#hdr.totalCount === 0 ? null : this.#hdr.getValueAtPercentile(percentile);
  }

  /**
   * Every distinct recorded value in ascending order, each at the resolution percentiles report
   * (the highest equivalent value) with its count: the histogram as data, for resampling.
   */
  recordedValues(): RecordedValue[] {
    const values: RecordedValue[] = [];
    if (this.#hdr.totalCount === 0) return values;
    // build() makes a JsHistogram (the pure-JS implementation), which has this iterator.
    const iterator = (this.#hdr as hdr.JsHistogram).recordedValuesIterator;
    iterator.reset();
    while (iterator.hasNext()) {
      const step = iterator.next();
      values.push({ valueUs: step.valueIteratedTo, count: step.countAtValueIteratedTo });
    }
    return values;
  }

  /** Adds every value of `other` to this histogram (e.g. per-bot into per-run); `other` is unchanged. */
  merge(other: LatencyHistogram): void {
    this.#hdr.add(other.#hdr);
    this.#clampedCount += other.#clampedCount;
  }

  /**
   * The values as HdrHistogram's compressed base64 text (V2 encoding), readable by
   * {@link decodeLatencyHistogram} and by other HdrHistogram implementations.
   */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.#hdr);
  }

  /** Forgets every value, and the clamped count. */
  reset(): void {
    this.#hdr.reset();
    this.#clampedCount = 0;
  }
}

/** A new, empty latency histogram (µs, 1 µs … 1 h, three significant digits). */
export function createLatencyHistogram(): LatencyHistogram {
  return new LatencyHistogram();
}

/**
 * The histogram that {@link LatencyHistogram.encode} wrote. The values are copied into a histogram
 * of the standard range, so the result merges with any other. Throws
 * {@link LatencyHistogramDecodeError} when `text` is not an encoded histogram.
 */
export function decodeLatencyHistogram(text: string): LatencyHistogram {
  let decoded: hdr.Histogram;
  try {
    decoded = hdr.decodeFromCompressedBase64(text);
  } catch (error: unknown) {
    throw new LatencyHistogramDecodeError(error instanceof Error ? error.message : String(error));
  }
  const histogram = buildHdr();
  histogram.add(decoded);
  return new LatencyHistogram(histogram);
}
