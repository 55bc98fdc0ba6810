/**
 * Simulated message texts: the correlation token, then random words, cut to a chosen length.
 */
import type { Rng } from "./rng.ts";

/**
 * A text of exactly `lengthChars` UTF-16 code units that starts with `token` followed by words
 * from `words`, e.g. `"#42 lorem ipsum dol"`. Never shorter than the token itself. It never ends
 * in whitespace (Telegram would trim it, changing the length), nor in half a surrogate pair; such
 * a last character becomes `.`.
 */
export function buildText(token: string, lengthChars: number, words: readonly string[], rng: Rng): string {
  let text = token;
  while (text.length < lengthChars) {
    const next = ` ${rng.pick(words)}`;
    const room = lengthChars - text.length;
    // The last word is cut to fit here rather than the whole text afterwards: the text is never a
    // slice of a longer string that it would keep alive.
    text += next.length > room ? next.slice(0, room) : next;
  }
  return endsBadly(text) ? `${text.slice(0, -1)}.` : text;
}

function endsBadly(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  const isHighSurrogate = last >= 0xd8_00 && last <= 0xdb_ff;
  return isHighSurrogate || /\s$/.test(text);
}
