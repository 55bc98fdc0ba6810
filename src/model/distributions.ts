/**
 * Durations the model draws: network jitter, handler time, timer latency, injection lateness.
 * A plain number is a constant; the other shapes are the usual ones for service and delay times,
 * jitter's tail included (lognormal, Pareto). Every shape has an exact mean, which is what the
 * closed forms use; the simulation draws from the full distribution.
 */
import type { Rng } from "../generator/rng.ts";

/** A duration in ms: a constant, or a distribution of non-negative values. */
export type DurationSpec =
  | number
  | { kind: "constant"; ms: number }
  /** Uniform on [minMs, maxMs]. */
  | { kind: "uniform"; minMs: number; maxMs: number }
  /** Exponential with mean `meanMs`. */
  | { kind: "exponential"; meanMs: number }
  /** exp(N(ln medianMs, sigma²)): median `medianMs`, mean medianMs·e^{σ²/2}. */
  | { kind: "lognormal"; medianMs: number; sigma: number }
  /** Pareto (type I) from `minMs` with tail index `shape` > 1 (mean minMs·shape/(shape−1)). */
  | { kind: "pareto"; minMs: number; shape: number }
  /** Normal N(meanMs, sdMs²) clamped at 0 (negative draws become 0). */
  | { kind: "normal"; meanMs: number; sdMs: number }
  /** Draws uniformly from measured values (e.g. a bot's handler times). */
  | { kind: "empirical"; samplesMs: readonly number[] };

/** A checked distribution: draw, mean, second moment, and whether it is a constant. */
export interface Duration {
  readonly spec: DurationSpec;
  /** True for a constant: the closed forms are exact only when the durations they use are. */
  readonly constant: boolean;
  readonly meanMs: number;
  /** E[X²], ms² (for Pollaczek–Khinchine). */
  readonly secondMomentMs2: number;
  sample(rng: Rng): number;
}

const finiteAtLeast = (name: string, value: number, min: number): number => {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a finite number ≥ ${min}, got ${value}`);
  }
  return value;
};

/** Standard normal density and distribution function (Abramowitz–Stegun 7.1.26 for erf, |ε| < 1.5e-7). */
function phi(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
function bigPhi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** A standard normal draw (Box–Muller). */
function standardNormal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Checks `spec` (RangeError naming `name` when invalid) and returns its distribution. Means are
 * exact; the clamped normal's uses E[max(0, X)] = μΦ(μ/σ) + σφ(μ/σ).
 */
export function duration(name: string, spec: DurationSpec): Duration {
  const s = typeof spec === "number" ? ({ kind: "constant", ms: spec } as const) : spec;
  switch (s.kind) {
    case "constant": {
      const ms = finiteAtLeast(name, s.ms, 0);
      return { spec, constant: true, meanMs: ms, secondMomentMs2: ms * ms, sample: () => ms };
    }
    case "uniform": {
      const a = finiteAtLeast(`${name}.minMs`, s.minMs, 0);
      const b = finiteAtLeast(`${name}.maxMs`, s.maxMs, a);
      return {
        spec,
        constant: a === b,
        meanMs: (a + b) / 2,
        secondMomentMs2: (a * a + a * b + b * b) / 3,
        sample: (rng) => a + (b - a) * rng.next(),
      };
    }
    case "exponential": {
      const m = finiteAtLeast(`${name}.meanMs`, s.meanMs, 0);
      return {
        spec,
        constant: m === 0,
        meanMs: m,
        secondMomentMs2: 2 * m * m,
        sample: (rng) => -m * Math.log(1 - rng.next()),
      };
    }
    case "lognormal": {
      const median = finiteAtLeast(`${name}.medianMs`, s.medianMs, 0);
      const sigma = finiteAtLeast(`${name}.sigma`, s.sigma, 0);
      return {
        spec,
        constant: sigma === 0 || median === 0,
        meanMs: median * Math.exp((sigma * sigma) / 2),
        secondMomentMs2: median * median * Math.exp(2 * sigma * sigma),
        sample: (rng) => median * Math.exp(sigma * standardNormal(rng)),
      };
    }
    case "pareto": {
      const xm = finiteAtLeast(`${name}.minMs`, s.minMs, 0);
      const shape = s.shape;
      if (!(Number.isFinite(shape) && shape > 1)) {
        throw new RangeError(`${name}.shape must be > 1 (a finite mean), got ${shape}`);
      }
      return {
        spec,
        constant: xm === 0,
        meanMs: (xm * shape) / (shape - 1),
        secondMomentMs2: shape > 2 ? (xm * xm * shape) / (shape - 2) : Number.POSITIVE_INFINITY,
        sample: (rng) => xm / (1 - rng.next()) ** (1 / shape),
      };
    }
    case "normal": {
      const mu = finiteAtLeast(`${name}.meanMs`, s.meanMs, Number.NEGATIVE_INFINITY);
      const sd = finiteAtLeast(`${name}.sdMs`, s.sdMs, 0);
      if (sd === 0) {
        const ms = Math.max(0, mu);
        return { spec, constant: true, meanMs: ms, secondMomentMs2: ms * ms, sample: () => ms };
      }
      const z = mu / sd;
      return {
        spec,
        constant: false,
        meanMs: mu * bigPhi(z) + sd * phi(z),
        // E[max(0,X)²] = (μ² + σ²)Φ(z) + μσφ(z)
        secondMomentMs2: (mu * mu + sd * sd) * bigPhi(z) + mu * sd * phi(z),
        sample: (rng) => Math.max(0, mu + sd * standardNormal(rng)),
      };
    }
    case "empirical": {
      const xs = s.samplesMs;
      if (xs.length === 0) throw new RangeError(`${name}.samplesMs needs at least one value`);
      for (const x of xs) finiteAtLeast(`${name}.samplesMs[]`, x, 0);
      const mean = xs.reduce((sum, x) => sum + x, 0) / xs.length;
      return {
        spec,
        constant: xs.every((x) => x === xs[0]),
        meanMs: mean,
        secondMomentMs2: xs.reduce((sum, x) => sum + x * x, 0) / xs.length,
        sample: (rng) => xs[Math.floor(rng.next() * xs.length)]!,
      };
    }
    default:
      throw new RangeError(
        `${name}: unknown distribution kind ${JSON.stringify((s as { kind: unknown }).kind)}`,
      );
  }
}

/** The zero duration. */
export const ZERO_DURATION: Duration = duration("zero", 0);
