/**
 * What simulated updates contain: the mix of kinds, text lengths, commands and words.
 */
import { CONTENT_DEFAULTS, MAX_TEXT_CHARS } from "./defaults.ts";
import { requireInteger, withoutUndefined } from "./option-checks.ts";
import type { UpdateKind } from "./types.ts";

/** Relative weights of the update kinds; they need not sum to 1. */
export type UpdateMix = Readonly<Record<UpdateKind, number>>;

/** Options of the update content. All optional; defaults in `CONTENT_DEFAULTS`. */
export interface ContentOptions {
  /**
   * Relative weights of the kinds, each >= 0, at least one > 0. A given mix replaces the default
   * as a whole: kinds it leaves out get weight 0. Default `{ text: 0.85, command: 0.15, callback: 0 }`.
   */
  mix?: Partial<UpdateMix>;
  /** Shortest text in UTF-16 code units, correlation token included, >= 1. Default 8. */
  minTextChars?: number;
  /** Longest text in UTF-16 code units, correlation token included, <= 4096. Default 64. */
  maxTextChars?: number;
  /** Commands to send, each like `/start` (1–32 letters, digits or `_`). Default `/start`, `/help`, `/echo`. */
  commands?: readonly string[];
  /** Words texts are made of; no whitespace or `#` inside a word. Default: a built-in list of 50. */
  words?: readonly string[];
}

/** Content options with defaults applied; `mix` is normalised to shares that sum to 1. */
export interface ResolvedContentOptions {
  mix: UpdateMix;
  minTextChars: number;
  maxTextChars: number;
  commands: readonly string[];
  words: readonly string[];
}

/** The update kinds, in the order mixes and registries list them. */
export const UPDATE_KINDS: readonly UpdateKind[] = Object.freeze(["text", "command", "callback"]);

const COMMAND = /^\/[A-Za-z0-9_]{1,32}$/;
const WORD = /^[^\s#]+$/;

/** Applies the defaults and checks every option; throws a RangeError naming the bad one. */
export function resolveContentOptions(options: ContentOptions = {}): ResolvedContentOptions {
  const given = withoutUndefined(options);
  const minTextChars = requireInteger("minTextChars", given.minTextChars ?? CONTENT_DEFAULTS.minTextChars, 1);
  const maxTextChars = requireInteger("maxTextChars", given.maxTextChars ?? CONTENT_DEFAULTS.maxTextChars, 1);
  if (minTextChars > maxTextChars || maxTextChars > MAX_TEXT_CHARS) {
    throw new RangeError(
      `need minTextChars <= maxTextChars <= ${MAX_TEXT_CHARS}, got ${minTextChars} and ${maxTextChars}`,
    );
  }
  return {
    mix: resolveMix(given.mix ?? CONTENT_DEFAULTS.mix),
    minTextChars,
    maxTextChars,
    commands: checkedList("commands", given.commands ?? CONTENT_DEFAULTS.commands, COMMAND, "like /start"),
    words: checkedList("words", given.words ?? CONTENT_DEFAULTS.words, WORD, "without whitespace or #"),
  };
}

function resolveMix(mix: Partial<UpdateMix>): UpdateMix {
  for (const key of Object.keys(mix)) {
    if (!(UPDATE_KINDS as readonly string[]).includes(key)) {
      throw new RangeError(`mix.${key} is not an update kind; use ${UPDATE_KINDS.join(", ")}`);
    }
  }
  const weights = UPDATE_KINDS.map((kind) => mix[kind] ?? 0);
  for (const [index, weight] of weights.entries()) {
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`mix.${UPDATE_KINDS[index]} must be a finite weight >= 0, got ${weight}`);
    }
  }
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0) throw new RangeError("mix needs at least one weight above 0");
  const shares = Object.fromEntries(UPDATE_KINDS.map((kind, index) => [kind, weights[index]! / total]));
  return Object.freeze(shares as Record<UpdateKind, number>);
}

function checkedList(
  name: string,
  items: readonly string[],
  pattern: RegExp,
  hint: string,
): readonly string[] {
  if (items.length === 0) throw new RangeError(`${name} needs at least one entry`);
  for (const [index, item] of items.entries()) {
    if (!pattern.test(item)) throw new RangeError(`${name}[${index}] must be ${hint}, got "${item}"`);
  }
  return Object.freeze([...items]);
}
