/**
 * Options of {@link compare}: all optional, resolved once against `defaults.ts`.
 */
import {
  COMPARE_DEFAULTS,
  CORRECTIONS,
  type Correction,
  DEFAULT_THRESHOLDS_PERCENT,
  METRIC_NAMES,
  type MetricName,
} from "./defaults.ts";

/** How to compare two reports. Every field is optional; defaults are in `defaults.ts`. */
export interface CompareOptions {
  /** Significance level, in (0, 1). Default {@link COMPARE_DEFAULTS.alpha} (0.05). */
  alpha?: number;
  /** Thresholds in percent of the base median, per metric; missing ones keep their default. */
  thresholdsPercent?: Partial<Record<MetricName, number>>;
  /** Multiple-comparison correction. Default {@link COMPARE_DEFAULTS.correction} (`holm`). */
  correction?: Correction;
  /** How the two sides are named in the output (file paths, git refs). Default `base` / `head`. */
  labels?: { base?: string; head?: string };
}

/** {@link CompareOptions} with every default filled in. */
export interface ResolvedCompareOptions {
  alpha: number;
  thresholdsPercent: Record<MetricName, number>;
  correction: Correction;
  labels: { base: string; head: string };
}

/** An option value compare cannot use; the message says what would work. */
export class CompareOptionsError extends Error {
  override readonly name = "CompareOptionsError";
  /** The option at fault, as the CLI spells it. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/** Fills in defaults and checks ranges. Throws {@link CompareOptionsError}. */
export function resolveCompareOptions(options: CompareOptions = {}): ResolvedCompareOptions {
  const alpha = options.alpha ?? COMPARE_DEFAULTS.alpha;
  if (!(alpha > 0 && alpha < 1)) {
    throw new CompareOptionsError(
      "alpha",
      `--alpha must be a number between 0 and 1 (exclusive), got ${alpha}`,
    );
  }
  const correction = options.correction ?? COMPARE_DEFAULTS.correction;
  if (!CORRECTIONS.includes(correction)) {
    throw new CompareOptionsError(
      "correction",
      `--correction must be one of ${CORRECTIONS.join(", ")}, got ${String(correction)}`,
    );
  }
  const thresholdsPercent = { ...DEFAULT_THRESHOLDS_PERCENT };
  for (const [name, value] of Object.entries(options.thresholdsPercent ?? {})) {
    if (!isMetricName(name)) throw unknownMetric(name);
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new CompareOptionsError(
        "threshold",
        `--threshold ${name} must be a percentage ≥ 0, got ${value}`,
      );
    }
    thresholdsPercent[name] = value;
  }
  return {
    alpha,
    thresholdsPercent,
    correction,
    labels: { base: options.labels?.base ?? "base", head: options.labels?.head ?? "head" },
  };
}

/**
 * Parses `--threshold` values, each `<metric>=<percent>` (`p99=25`, `cpu=20%`). Several may be given
 * in one value, separated by commas. Throws {@link CompareOptionsError}.
 */
export function parseThresholds(specs: readonly string[]): Partial<Record<MetricName, number>> {
  const result: Partial<Record<MetricName, number>> = {};
  for (const spec of specs.flatMap((s) => s.split(","))) {
    const match = /^\s*([A-Za-z0-9]+)\s*=\s*([+-]?[0-9]*\.?[0-9]+)\s*%?\s*$/.exec(spec);
    if (match === null) {
      throw new CompareOptionsError(
        "threshold",
        `--threshold takes <metric>=<percent>, e.g. p99=25; got "${spec}"`,
      );
    }
    const name = match[1]!;
    if (!isMetricName(name)) throw unknownMetric(name);
    result[name] = Number(match[2]);
  }
  return result;
}

const isMetricName = (name: string): name is MetricName => (METRIC_NAMES as readonly string[]).includes(name);

const unknownMetric = (name: string) =>
  new CompareOptionsError(
    "threshold",
    `unknown metric "${name}" in --threshold; use one of ${METRIC_NAMES.join(", ")}`,
  );
