import type { FakeApi, FakeApiEventMap } from "../fake-api/index.ts";
import type { ApiActivity, ApiErrorSample } from "../results/index.ts";

/** How many kinds of API error (and failed webhook POSTs) an activity keeps with their descriptions. */
export const FIRST_ERRORS_KEPT = 5;

/** A long poll the bot itself hung up on (the fake API logs it as 499): not an error it received. */
const CLIENT_CLOSED_REQUEST = 499;

type Listener<K extends keyof FakeApiEventMap> = (...args: FakeApiEventMap[K]) => void;

/**
 * Records what the fake API sees one bot do over a window: calls by method, the last call, API
 * errors with their descriptions, failed webhook POSTs. It listens to the fake API's events
 * (`request`, `apiError`, `webhookFailure`), so it costs a map increment per call.
 */
export class BotActivityRecorder {
  readonly #api: FakeApi;
  readonly #botId: number;
  readonly #startMs: number;
  readonly #callsByMethod: Record<string, number> = {};
  #calls = 0;
  #errors = 0;
  readonly #firstErrors: ApiErrorSample[] = [];
  #lastMethod: string | null = null;
  #lastCallAtMs = 0;
  #webhookFailures = 0;
  readonly #firstWebhookFailures: string[] = [];
  #endMs: number | undefined;
  readonly #listeners: Array<[keyof FakeApiEventMap, (...args: never[]) => void]> = [];

  constructor(api: FakeApi, token: string, startMs = performance.now()) {
    this.#api = api;
    this.#botId = Number(token.slice(0, token.indexOf(":")));
    this.#startMs = startMs;
    this.#on("request", (e) => {
      if (e.botId !== this.#botId) return;
      this.#calls++;
      this.#callsByMethod[e.method] = (this.#callsByMethod[e.method] ?? 0) + 1;
      this.#lastMethod = e.method;
      this.#lastCallAtMs = e.atMs;
    });
    this.#on("apiError", (e) => {
      if (e.botId !== this.#botId || e.errorCode === CLIENT_CLOSED_REQUEST) return;
      this.#errors++;
      const { method, errorCode, description } = e;
      const known = this.#firstErrors.find(
        (k) => k.method === method && k.errorCode === errorCode && k.description === description,
      );
      if (known !== undefined) known.count++;
      else if (this.#firstErrors.length < FIRST_ERRORS_KEPT) {
        this.#firstErrors.push({ method, errorCode, description, atMs: e.atMs - this.#startMs, count: 1 });
      }
    });
    this.#on("webhookFailure", (e) => {
      if (e.botId !== this.#botId) return;
      this.#webhookFailures++;
      if (this.#firstWebhookFailures.length < FIRST_ERRORS_KEPT) this.#firstWebhookFailures.push(e.error);
    });
  }

  /** Stops listening; {@link snapshot} keeps answering with what was recorded. */
  stop(): void {
    this.#endMs ??= performance.now();
    for (const [event, listener] of this.#listeners) this.#api.events.off(event, listener as never);
    this.#listeners.length = 0;
  }

  /** What was recorded so far, as data. */
  snapshot(): ApiActivity {
    return {
      windowMs: (this.#endMs ?? performance.now()) - this.#startMs,
      callsByMethod: { ...this.#callsByMethod },
      calls: this.#calls,
      errors: this.#errors,
      firstErrors: this.#firstErrors.map((e) => ({ ...e })),
      lastCall:
        this.#lastMethod === null
          ? null
          : { method: this.#lastMethod, atMs: this.#lastCallAtMs - this.#startMs },
      webhookFailures: this.#webhookFailures,
      firstWebhookFailures: [...this.#firstWebhookFailures],
    };
  }

  #on<K extends keyof FakeApiEventMap>(event: K, listener: Listener<K>): void {
    this.#api.events.on(event, listener as never);
    this.#listeners.push([event, listener as never]);
  }
}
