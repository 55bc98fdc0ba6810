/**
 * How a reply is matched to the update that caused it. Every text and command carries the token
 * `#<seq>`; a bot that echoes (part of) the text echoes the token, and the runner finds it with
 * {@link parseCorrelationToken}. Callback presses carry `btn:<seq>` as their data instead.
 */

/** The correlation token of update `seq`: `#<seq>`, e.g. `#42`. */
export function correlationToken(seq: number): string {
  return `#${seq}`;
}

/** `#` then digits; `\d+` is greedy, so `#42` inside `#421` is never matched as 42. */
const TOKEN = /#(\d+)/;

/**
 * The `seq` of the first correlation token in `text`, or `undefined` if there is none. Use this
 * rather than a substring search: `"#4"` is a substring of `"#42"`.
 */
export function parseCorrelationToken(text: string): number | undefined {
  const match = TOKEN.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** The callback data of a button press made by update `seq`: `btn:<seq>` (well under Telegram's 64 bytes). */
export function callbackDataFor(seq: number): string {
  return `btn:${seq}`;
}

/** The `seq` in callback data made by {@link callbackDataFor}, or `undefined` for other data. */
export function parseCallbackData(data: string): number | undefined {
  const match = /^btn:(\d+)$/.exec(data);
  return match === null ? undefined : Number(match[1]);
}
