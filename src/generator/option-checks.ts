/**
 * Checks shared by the option resolvers. Each throws a RangeError whose message names the option
 * (as the caller spells it, e.g. `arrivals.ratePerSecond`) and the value it got.
 */

/** A copy of `value` without the keys whose value is `undefined`, so spreading it keeps defaults. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive finite number, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is a finite number >= 0. */
export function requireNonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is a safe integer >= `min`. */
export function requireInteger(name: string, value: number, min: number): number {
  if (!(Number.isSafeInteger(value) && value >= min)) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is a share in [0, 1]. */
export function requireShare(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be a share between 0 and 1, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is one of `choices`; for options that arrive as strings from JSON. */
export function requireChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new RangeError(`${name} must be one of ${choices.join(", ")}, got "${value}"`);
  }
  return value as T;
}
