import type { BotState } from "../bot-state.ts";
import type { CallRecord } from "../call-log.ts";
import type { FakeTelegram } from "../fake-telegram.ts";
import type { Params } from "../params.ts";

/** What a method handler gets. */
export interface MethodContext {
  telegram: FakeTelegram;
  bot: BotState;
  params: Params;
  /** `webhook-reply` when the call came in a webhook response body (its result goes nowhere). */
  via: CallRecord["via"];
  /** Registers what to do if the client goes away before the answer (used by parked long polls). */
  onCancel: (cancel: () => void) => void;
}

/** A Bot API method: returns the `result`, or throws an ApiError. */
export type MethodHandler = (ctx: MethodContext) => unknown;

/** A result that comes with Telegram's optional `description` (e.g. "Webhook was set"). */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}
