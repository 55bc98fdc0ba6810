/**
 * What the fake API saw a bot do, as data: its calls by method, the API errors it received (the
 * first few with Telegram's descriptions), its last call, and the webhook POSTs that failed. Every
 * failure that concerns a bot carries one, so that a report says what the bot did, not only that
 * it failed.
 */

/** One kind of API error a bot received: a method, an error code and a description. */
export interface ApiErrorSample {
  /** Lower-case method name, e.g. `sendmessage`. */
  method: string;
  /** Telegram's `error_code` (the HTTP status). */
  errorCode: number;
  /** Telegram's description, e.g. `Bad Request: chat not found`. */
  description: string;
  /** When it first came, ms after the activity's window began. */
  atMs: number;
  /** How many times it came. */
  count: number;
}

/** A bot's API activity over one window (its start-up, or the measured part of a trial). */
export interface ApiActivity {
  /** How long the window lasted, ms. */
  windowMs: number;
  /** Calls the bot made, by lower-case method name. */
  callsByMethod: Record<string, number>;
  /** All calls, the sum of {@link callsByMethod}. */
  calls: number;
  /**
   * Calls answered with an error. Long polls the bot itself cancelled (it hung up before the
   * answer, as a stopping bot does) are not errors the bot received and are not counted.
   */
  errors: number;
  /** The first few kinds of error, in the order they first came, each with its count. */
  firstErrors: ApiErrorSample[];
  /** The last call that arrived: its method and when (ms after the window began); null: none. */
  lastCall: { method: string; atMs: number } | null;
  /** Webhook POSTs to the bot that failed (a refused connection, a 5xx, a timeout). */
  webhookFailures: number;
  /** The first few of those failures, as the fake API's dispatcher described them. */
  firstWebhookFailures: string[];
}

/** `getupdates ×12, sendmessage ×3`, in descending order of count; `no call` when empty. */
export function formatCallsByMethod(callsByMethod: Readonly<Record<string, number>>): string {
  const entries = Object.entries(callsByMethod).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length === 0 ? "no call" : entries.map(([method, n]) => `${method} ×${n}`).join(", ");
}

/** `sendmessage 400 "Bad Request: chat not found" ×43` */
export const formatApiError = (e: ApiErrorSample): string =>
  `${e.method} ${e.errorCode} "${e.description}"${(e.count ?? 1) > 1 ? ` ×${e.count}` : ""}`;

/** The kinds of error shown, and how many errors are of other kinds. */
export function formatApiErrors(errors: number, firstErrors: readonly ApiErrorSample[]): string {
  const shown = firstErrors.reduce((sum, e) => sum + (e.count ?? 1), 0);
  const more = errors - shown;
  return `${firstErrors.map(formatApiError).join("; ")}${more > 0 ? `; ${more} of other kinds` : ""}`;
}

/**
 * The lines of a failure's account of what the fake API saw, for the terminal and the reports:
 * calls by method and the last call, the API errors (the first few), failed webhook POSTs.
 */
export function describeActivity(activity: ApiActivity): string[] {
  const lines: string[] = [];
  const last =
    activity.lastCall === null
      ? ""
      : `; last call ${activity.lastCall.method} at ${formatSeconds(activity.lastCall.atMs)}`;
  lines.push(
    `the fake API saw in ${formatSeconds(activity.windowMs)}: ${formatCallsByMethod(activity.callsByMethod)}${last}`,
  );
  if (activity.errors > 0) {
    lines.push(
      `API errors it received: ${activity.errors} of ${activity.calls} calls: ${formatApiErrors(activity.errors, activity.firstErrors)}`,
    );
  }
  if (activity.webhookFailures > 0) {
    const shown = activity.firstWebhookFailures.join("; ");
    lines.push(`webhook POSTs that failed: ${activity.webhookFailures}: ${shown}`);
  }
  return lines;
}

const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
