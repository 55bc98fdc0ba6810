import type { FakeApi } from "../fake-api/index.ts";
import type { BotStop, TrialBehaviour, WebhookFrontCost } from "../results/index.ts";
import { BotActivityRecorder } from "./bot-activity.ts";
import { ModeObserver } from "./mode-observer.ts";

/**
 * Watches a bot while a trial measures it, for the checks of cell-checks.ts: the mode it uses
 * (mode-observer.ts), its API activity (bot-activity.ts) and when its last answer came. Start it
 * after the trial's probe has attached (so that `answered()` already counts the reply an event
 * announces) and {@link TrialWatch.finish} it when the drain ends.
 */
export class TrialWatch {
  readonly #api: FakeApi;
  readonly #startMs: number;
  readonly #answered: () => number;
  readonly #mode: ModeObserver;
  readonly #activity: BotActivityRecorder;
  #lastAnswered = 0;
  #lastAnswerAtMs: number | null = null;
  readonly #onReply = (e: { atMs: number }) => {
    const answered = this.#answered();
    if (answered === this.#lastAnswered) return;
    this.#lastAnswered = answered;
    this.#lastAnswerAtMs = e.atMs - this.#startMs;
  };

  /** `startMs`: when the schedule starts (monotonic ms); `answered`: the matcher's count of answered updates. */
  constructor(api: FakeApi, token: string, startMs: number, answered: () => number) {
    this.#api = api;
    this.#startMs = startMs;
    this.#answered = answered;
    this.#lastAnswered = answered();
    this.#mode = new ModeObserver(api, token);
    this.#activity = new BotActivityRecorder(api, token, startMs);
    api.events.on("message", this.#onReply);
    api.events.on("callbackAnswered", this.#onReply);
  }

  /** Stops watching (again: a no-op). */
  stop(): void {
    this.#mode.stop();
    this.#activity.stop();
    this.#api.events.off("message", this.#onReply);
    this.#api.events.off("callbackAnswered", this.#onReply);
  }

  /** Stops watching; returns what was seen (the stop and the webhook front are added when known). */
  finish(): TrialBehaviour {
    this.stop();
    return {
      observedMode: this.#mode.observed(),
      activity: this.#activity.snapshot(),
      lastAnswerAtMs: this.#lastAnswerAtMs,
      stop: null as BotStop | null,
      webhookFront: null as WebhookFrontCost | null,
    };
  }
}
