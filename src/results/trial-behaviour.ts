/**
 * What a trial saw the bot do beyond its figures: the mode it actually used, its API activity
 * while measured, how it stopped, and what the webhook front (the reverse proxy tgbench may put in
 * front of a webhook bot) cost. The runner checks these (src/runner/cell-checks.ts); reports show
 * them.
 */
import type { ApiActivity } from "./api-activity.ts";
import type { ModeName } from "./mode-name.ts";
import { type ExitStatus, exitText } from "./outcome.ts";

/** The delivery mode a bot was seen to use, from the fake API's side, in the measured window. */
export interface ObservedMode {
  /**
   * What its calls show: `short-polling` (getUpdates asking for timeout 0), `long-polling`
   * (getUpdates with a timeout), `webhook` (updates POSTed to it, no getUpdates), or null when
   * there was neither a getUpdates nor a webhook POST.
   */
  mode: ModeName | null;
  /** getUpdates calls that the fake API accepted in the window. */
  getUpdates: number;
  /**
   * The `timeout` most of those asked for (s, as requested, before Telegram's anti-busy-loop hold);
   * null without getUpdates.
   */
  pollTimeoutSeconds: number | null;
  /** How many of them asked for {@link pollTimeoutSeconds}. */
  pollTimeoutShare: number;
  /** Median time between the starts of two getUpdates, ms; null with fewer than two. */
  medianPollIntervalMs: number | null;
  /** Webhook POSTs sent to the bot in the window. */
  webhookPosts: number;
  /** One line: `getUpdates with timeout 50 (12 calls, 1.0 s apart)`, `webhook POSTs (40)`. */
  summary: string;
}

/** How the bot stopped at the end of a trial (tgbench sends SIGTERM, then SIGKILL after a grace). */
export interface BotStop {
  /** How it exited (for a `--bot-command`, the status of the shell running it, which is the command's). */
  exit: ExitStatus;
  /** From SIGTERM to its exit, ms. */
  afterMs: number;
  /** The grace it had before SIGKILL, ms. */
  graceMs: number;
  /** It did not exit within the grace and was killed. */
  killed: boolean;
  /** It exited 0 within the grace, as docs/bot-contract.md asks. */
  clean: boolean;
}

/** What the reverse proxy in front of a webhook bot (`--webhook-front proxy`) did and cost. */
export interface WebhookFrontCost {
  kind: "proxy";
  /** Requests it received from the fake API's webhook dispatcher. */
  requests: number;
  /** Of those, answered 502 because the bot was not listening (or not reachable). */
  badGateway: number;
  /** Requests answered 502 before the measurement (during start-up and warm-up: the bot was not listening yet). */
  badGatewayBeforeMeasuring: number;
  /** Its own CPU time (user + system) in the measured window, ms; null when not readable. */
  cpuMs: number | null;
  /** Its CPU time per forwarded request, µs; null without requests. */
  cpuUsPerRequest: number | null;
  /** Time a request spent in the proxy itself (receiving, forwarding, relaying the answer, minus the bot's time), µs. */
  inProxyP50Us: number | null;
  inProxyP99Us: number | null;
}

/** {@link ObservedMode}, activity, stop and webhook front of one trial. */
export interface TrialBehaviour {
  observedMode: ObservedMode;
  /** The bot's API activity while it was measured (warm-up excluded). */
  activity: ApiActivity;
  /** When the bot's last answer came, ms after the schedule started; null: it answered nothing. */
  lastAnswerAtMs: number | null;
  /** How it stopped; null when the trial ended without stopping it (it had exited). */
  stop: BotStop | null;
  webhookFront: WebhookFrontCost | null;
}

/** What a report notes about a stop that was not clean, or null when it was. */
export function describeStop(stop: BotStop): string | null {
  if (stop.clean) return null;
  const grace = `${stop.graceMs / 1000} s`;
  if (stop.killed) return `did not exit within ${grace} of SIGTERM and was killed (SIGKILL)`;
  return `exited with ${exitText(stop.exit)} on SIGTERM, not 0 (after ${(stop.afterMs / 1000).toFixed(1)} s)`;
}
