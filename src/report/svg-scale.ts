/** Maps data values to SVG coordinates, linearly or logarithmically, with round tick values. */
export interface Scale {
  /** The SVG coordinate of a value (values outside the domain land outside the range). */
  (value: number): number;
  /** The domain after rounding out to tick values. */
  readonly domain: readonly [number, number];
  /** Round values inside the domain to label. */
  readonly ticks: readonly number[];
}

/**
 * A linear scale over [min, max] rounded out to 1, 2 or 5 × 10ⁿ steps (about `tickCount` ticks,
 * no step below `minStep`: 1 keeps ticks on whole numbers). A degenerate domain (min = max) is
 * widened so that the value sits inside it.
 */
export function linearScale(
  min: number,
  max: number,
  range: readonly [number, number],
  tickCount = 5,
  minStep = 0,
): Scale {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi === lo) hi = lo === 0 ? 1 : lo + Math.abs(lo);
  const step = Math.max(niceStep((hi - lo) / tickCount), minStep);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; start + i * step <= end + step / 2; i++) ticks.push(round(start + i * step));
  return makeScale([start, end], range, ticks, (v) => v);
}

/**
 * A log₁₀ scale over [min, max] (both > 0) rounded out to whole decades. Ticks are the decades,
 * with 2 and 5 × 10ⁿ added when the domain spans at most two decades.
 */
export function logScale(min: number, max: number, range: readonly [number, number]): Scale {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (!(lo > 0) || !Number.isFinite(hi)) [lo, hi] = [1, 10];
  const fromDecade = Math.floor(Math.log10(lo));
  let toDecade = Math.ceil(Math.log10(hi));
  if (toDecade === fromDecade) toDecade++;
  const ticks: number[] = [];
  for (let d = fromDecade; d <= toDecade; d++) {
    ticks.push(round(10 ** d));
    if (toDecade - fromDecade <= 2 && d < toDecade) ticks.push(round(2 * 10 ** d), round(5 * 10 ** d));
  }
  return makeScale([10 ** fromDecade, 10 ** toDecade], range, ticks, Math.log10);
}

function makeScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  ticks: readonly number[],
  transform: (v: number) => number,
): Scale {
  const t0 = transform(domain[0]);
  const span = transform(domain[1]) - t0 || 1;
  const scale = (value: number) => range[0] + ((transform(value) - t0) / span) * (range[1] - range[0]);
  return Object.assign(scale, { domain, ticks });
}

/** The 1, 2 or 5 × 10ⁿ step nearest above `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** Rounds away binary noise (0.30000000000000004 → 0.3) so ticks print cleanly. */
const round = (value: number) => Number(value.toPrecision(12));

/** A coordinate for SVG attributes: at most one decimal. */
export const coord = (value: number): string => String(Math.round(value * 10) / 10);
