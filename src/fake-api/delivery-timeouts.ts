/** Timeouts shorter than this get an exact timer each; longer ones share a sweep. */
const EXACT_TIMEOUT_BELOW_MS = 5_000;
const SWEEP_EVERY_MS = 1_000;

/** One webhook POST on the clock (a {@link import("./webhook-post.ts").WebhookPost}). */
export interface TimedDelivery {
  /** Set by {@link DeliveryTimeouts.start}: when the delivery must be over, performance.now() ms. */
  deadlineMs: number;
  /** Set by {@link DeliveryTimeouts.start} for a short limit. */
  timer: NodeJS.Timeout | undefined;
  /** Its time ran out. */
  timeOut(): void;
  /** The dispatcher closes: drop it. */
  cancel(): void;
}

/**
 * The time limit on whole webhook deliveries, headers and body (telegram-bot-api's connection
 * timeout is set when the request is written and not renewed by incoming data, so a bot that
 * drips its answer is cut off too). Short limits (tests) get an exact timer per POST; Telegram's
 * 60 s and other long ones share one sweep a second, so a delivery costs no timer of its own.
 */
export class DeliveryTimeouts {
  readonly #timeoutMs: number;
  readonly #inFlight = new Set<TimedDelivery>();
  #sweep: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts the clock of one POST. */
  start(delivery: TimedDelivery): void {
    delivery.deadlineMs = performance.now() + this.#timeoutMs;
    this.#inFlight.add(delivery);
    if (this.#timeoutMs < EXACT_TIMEOUT_BELOW_MS) {
      delivery.timer = setTimeout(() => delivery.timeOut(), this.#timeoutMs);
    } else if (this.#sweep === undefined) {
      this.#sweep = setInterval(() => this.#timeOutOverdue(), SWEEP_EVERY_MS);
      this.#sweep.unref();
    }
  }

  /** The POST is over (whatever its outcome). */
  finish(delivery: TimedDelivery): void {
    if (delivery.timer !== undefined) clearTimeout(delivery.timer);
    this.#inFlight.delete(delivery);
  }

  /** Drops every POST in flight and stops the sweep. */
  close(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    for (const delivery of this.#inFlight) {
      clearTimeout(delivery.timer);
      delivery.cancel();
    }
  }

  #timeOutOverdue(): void {
    const nowMs = performance.now();
    for (const delivery of this.#inFlight) {
      if (delivery.deadlineMs <= nowMs) delivery.timeOut();
    }
  }
}
