/**
 * The seeded pseudo-random number generator behind every random choice of the generator.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes PractRand)
 * seeded by cyrb128, a 128-bit string hash. Both are tiny, fast in JS's 32-bit integer arithmetic
 * and identical on every platform, which is what a reproducible benchmark needs; neither is
 * cryptographic, which a benchmark does not need.
 *
 * Sub-streams are derived from the seed *key* (the root seed plus fork labels), never from the
 * parent's current state: forking does not consume draws, and a stream's output does not depend
 * on when or in what order other streams were forked or used.
 */

/** A deterministic stream of random numbers. Not thread-safe; each consumer should fork its own. */
export interface Rng {
  /**
   * What this stream was seeded from: the root seed as a string, then one `/label` per fork
   * (e.g. `"42/arrivals"`). Record it beside results to reproduce them.
   */
  readonly seedKey: string;
  /** A uniform float in [0, 1) with 53 bits of precision. */
  next(): number;
  /** A uniform integer in [minInclusive, maxInclusive]; unbiased (rejection sampling). */
  int(minInclusive: number, maxInclusive: number): number;
  /** A uniformly chosen element. Throws a RangeError for an empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with the given probability (0–1). */
  chance(probability: number): boolean;
  /** An exponentially distributed waiting time in **seconds** for events at `ratePerSecond`. */
  exponential(ratePerSecond: number): number;
  /**
   * An independent sub-stream named `label`. The same label on the same stream always yields the
   * same sub-stream, so adding a new consumer (a new label) never shifts the draws of others.
   */
  fork(label: string): Rng;
}

/**
 * A seeded {@link Rng}. Numbers are seeded through their decimal string, so `42` and `"42"` give
 * the same stream (seeds from a CLI or a JSON scenario agree). Throws a RangeError for a
 * non-finite number.
 */
export function createRng(seed: number | string): Rng {
  if (typeof seed === "number" && !Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number or a string, got ${seed}`);
  }
  return new Sfc32Rng(String(seed));
}

/** Separates fork labels in a seed key; a label is free text, so use a character no one types. */
const FORK_SEPARATOR = "\u001f";
/** Outputs discarded after seeding so that similar seeds have diverged (sfc32's recommendation). */
const WARM_UP_DRAWS = 15;
const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;

class Sfc32Rng implements Rng {
  readonly seedKey: string;
  readonly #hashKey: string;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(hashKey: string) {
    this.#hashKey = hashKey;
    this.seedKey = hashKey.split(FORK_SEPARATOR).join("/");
    [this.#a, this.#b, this.#c, this.#d] = cyrb128(hashKey);
    for (let i = 0; i < WARM_UP_DRAWS; i++) this.#uint32();
  }

  next(): number {
    // 27 + 26 high bits of two draws, as in the usual 53-bit double construction.
    const high = this.#uint32() >>> 5;
    const low = this.#uint32() >>> 6;
    return (high * 67_108_864 + low) / TWO_POW_53;
  }

  int(minInclusive: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxInclusive)) {
      throw new RangeError(`int() needs integer bounds, got ${minInclusive} and ${maxInclusive}`);
    }
    const span = maxInclusive - minInclusive + 1;
    if (span < 1 || span > TWO_POW_32) {
      throw new RangeError(
        `int() needs minInclusive <= maxInclusive within 2^32 of each other, got ${minInclusive}..${maxInclusive}`,
      );
    }
    // Reject the top sliver of the 32-bit range so that every value is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % span);
    let draw = this.#uint32();
    while (draw >= limit) draw = this.#uint32();
    return minInclusive + (draw % span);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() needs at least one item");
    return items[this.int(0, items.length - 1)] as T;
  }

  chance(probability: number): boolean {
    if (!(probability >= 0 && probability <= 1)) {
      throw new RangeError(`chance() needs a probability in [0, 1], got ${probability}`);
    }
    return this.next() < probability;
  }

  exponential(ratePerSecond: number): number {
    if (!(ratePerSecond > 0 && Number.isFinite(ratePerSecond))) {
      throw new RangeError(`exponential() needs a positive finite ratePerSecond, got ${ratePerSecond}`);
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    return -Math.log(1 - this.next()) / ratePerSecond;
  }

  fork(label: string): Rng {
    return new Sfc32Rng(`${this.#hashKey}${FORK_SEPARATOR}${label}`);
  }

  #uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }
}

/** cyrb128 by bryc (public domain): four well-mixed 32-bit words from a string. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1_779_033_703;
  let h2 = 3_144_134_277;
  let h3 = 1_013_904_242;
  let h4 = 2_773_480_762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597_399_067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2_869_860_233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951_274_213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2_716_044_179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597_399_067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2_869_860_233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951_274_213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2_716_044_179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
