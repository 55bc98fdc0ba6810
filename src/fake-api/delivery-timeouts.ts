/** The abort reason of a POST that ran past `webhookDeliveryTimeoutMs`. */
const DELIVERY_TIMED_OUT = Symbol("webhook delivery timed out");
/** Timeouts shorter than this get an exact timer each; longer ones share a sweep. */
const EXACT_TIMEOUT_BELOW_MS = 5_000;
const SWEEP_EVERY_MS = 1_000;

/** One webhook POST on the clock. */
export interface TimedDelivery {
  readonly signal: AbortSignal;
  /** Whether it was aborted because its time ran out (rather than by close()). */
  readonly timedOut: boolean;
}

interface Entry extends TimedDelivery {
  controller: AbortController;
  deadlineMs: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The time limit on whole webhook deliveries, headers and body (telegram-bot-api's connection
 * timeout is set when the request is written and not renewed by incoming data, so a bot that
 * drips its answer is cut off too). Short limits (tests) get an exact timer per POST; Telegram's
 * 60 s and other long ones share one sweep a second, so a delivery costs no timer of its own.
 */
export class DeliveryTimeouts {
  readonly #timeoutMs: number;
  readonly #inFlight = new Set<Entry>();
  #sweep: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts the clock of one POST; pass its `signal` to the request. */
  start(): TimedDelivery {
    const controller = new AbortController();
    const entry: Entry = {
      controller,
      signal: controller.signal,
      get timedOut() {
        return controller.signal.reason === DELIVERY_TIMED_OUT;
      },
      deadlineMs: performance.now() + this.#timeoutMs,
      timer: undefined,
    };
    this.#inFlight.add(entry);
    if (this.#timeoutMs < EXACT_TIMEOUT_BELOW_MS) {
      entry.timer = setTimeout(() => controller.abort(DELIVERY_TIMED_OUT), this.#timeoutMs);
    } else if (this.#sweep === undefined) {
      this.#sweep = setInterval(() => this.#abortOverdue(), SWEEP_EVERY_MS);
      this.#sweep.unref();
    }
    return entry;
  }

  /** The POST is over (whatever its outcome). */
  finish(delivery: TimedDelivery): void {
    const entry = delivery as Entry;
    clearTimeout(entry.timer);
    this.#inFlight.delete(entry);
  }

  /** Aborts every POST in flight and stops the sweep. */
  close(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    for (const entry of this.#inFlight) {
      clearTimeout(entry.timer);
      entry.controller.abort();
    }
  }

  #abortOverdue(): void {
    const nowMs = performance.now();
    for (const entry of this.#inFlight) {
      if (entry.deadlineMs <= nowMs) entry.controller.abort(DELIVERY_TIMED_OUT);
    }
  }
}
