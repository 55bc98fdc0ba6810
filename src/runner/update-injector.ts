import type { FakeApi, FakeApiEventMap, InjectCommandInput, Update } from "../fake-api/index.ts";
import { correlationToken, type UpdateSpec } from "../generator/index.ts";
import type { TrackedUpdate } from "../metrics/reply-matcher-types.ts";

/** What became of one update the generator described. */
export type Injection =
  | { kind: "injected"; update: TrackedUpdate }
  /** Created, but the bot's allowed_updates filtered it out. */
  | { kind: "filtered" }
  /** A button press in a chat where the bot has sent nothing to press yet. */
  | { kind: "nothing-to-press" };

/**
 * Creates the updates the generator describes in the fake API, as their users would: a text, a
 * command, or a press on the newest bot message in that chat. It measures nothing; the runner
 * hands what it created to the trial recorder.
 */
export class UpdateInjector {
  readonly #api: FakeApi;
  readonly #token: string;
  readonly #botId: number;
  /** The newest bot message per chat: what a simulated button press presses. */
  readonly #lastBotMessage = new Map<number, number>();
  readonly #onMessage = (e: FakeApiEventMap["message"][0]) => {
    if (e.botId === this.#botId) this.#lastBotMessage.set(e.message.chat.id, e.message.message_id);
  };

  constructor(api: FakeApi, token: string) {
    this.#api = api;
    this.#token = token;
    this.#botId = Number(token.slice(0, token.indexOf(":")));
    api.events.on("message", this.#onMessage);
  }

  /** Creates the update `spec` describes; `intendedAtMs` and `nowMs` are carried into the tracked update. */
  inject(spec: UpdateSpec, intendedAtMs: number, nowMs: number): Injection {
    // Written without spreads or optional-field literals: this runs once per generated update.
    const control = this.#api.control;
    let update: Update | null;
    let messageId: number;
    if (spec.kind === "callback") {
      const target = this.#lastBotMessage.get(spec.chat.id);
      if (target === undefined) return { kind: "nothing-to-press" };
      update = control.injectCallback(this.#token, {
        from: spec.from,
        chat: spec.chat,
        messageId: target,
        data: spec.data,
      });
      messageId = target;
    } else {
      if (spec.kind === "text") {
        update = control.injectText(this.#token, { from: spec.from, chat: spec.chat, text: spec.text });
      } else {
        const input: InjectCommandInput = { from: spec.from, chat: spec.chat, command: spec.command };
        if (spec.args !== undefined) input.args = spec.args;
        update = control.injectCommand(this.#token, input);
      }
      messageId = update?.message?.message_id ?? 0;
    }
    if (update === null) return { kind: "filtered" };
    const tracked: TrackedUpdate = {
      seq: spec.seq,
      updateId: update.update_id,
      chatId: spec.chat.id,
      kind: spec.kind,
      messageId,
      intendedAtMs,
      injectedAtMs: nowMs,
    };
    if (update.callback_query !== undefined) tracked.callbackQueryId = update.callback_query.id;
    if (spec.kind !== "callback") tracked.correlation = correlationToken(spec.seq);
    return { kind: "injected", update: tracked };
  }

  /** Stops following the bot's messages. */
  close(): void {
    this.#api.events.off("message", this.#onMessage);
  }
}
