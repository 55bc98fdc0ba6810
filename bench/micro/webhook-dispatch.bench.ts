/**
 * Webhook dispatch bookkeeping (src/fake-api/webhook-dispatcher.ts): an update queued, its chat's
 * lane, the ready queue across chats, the connection limit, the POST's payload and the
 * acknowledgement that confirms it — without the network. The dispatcher sends through an undici
 * Pool, each POST a dispatch handler (src/fake-api/webhook-post.ts); for the duration of the suite
 * `Pool.prototype.dispatch` answers every request at once (on the next microtask) with an empty
 * 200 through the handler's callbacks, so no socket is opened (the pool never connects). Each task
 * checks that the dispatcher really went through it, and fails if it did not (e.g. after a change
 * of HTTP client).
 */
import { type Dispatcher, Pool } from "undici";
import type { WebhookConfig } from "../../src/fake-api/bot-state.ts";
import { FakeApi } from "../../src/fake-api/index.ts";
import { WebhookDispatcher } from "../../src/fake-api/webhook-dispatcher.ts";
import type { MicroSuite } from "./suite.ts";

const TOKEN = "123456:micro";
const FIRST_USER_ID = 100_000_001;
/** Telegram's default max_connections. */
const MAX_CONNECTIONS = 40;
const NOT_INTERCEPTED =
  "the webhook dispatcher did not POST through undici's Pool.dispatch; adapt bench/micro/webhook-dispatch.bench.ts";

/** The controller undici hands a dispatch handler; nothing to abort or pause here. */
const controller: Dispatcher.DispatchController = {
  aborted: false,
  paused: false,
  reason: null,
  abort: () => {},
  pause: () => {},
  resume: () => {},
};

/** Makes every Pool answer at once with an empty 200; returns the POST count and the undo. */
function interceptPoolRequests(): { posts: () => number; restore: () => void } {
  const prototype = Pool.prototype as unknown as Record<string, unknown>;
  const own = Object.getOwnPropertyDescriptor(prototype, "dispatch");
  let posts = 0;
  prototype.dispatch = (_options: unknown, handler: Dispatcher.DispatchHandler) => {
    posts++;
    queueMicrotask(() => {
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, 200, {}, "OK");
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  };
  return {
    posts: () => posts,
    restore: () => {
      if (own === undefined) delete prototype.dispatch;
      else Object.defineProperty(prototype, "dispatch", own);
    },
  };
}

export const webhookDispatchSuite: MicroSuite = {
  name: "webhook-dispatch",
  description:
    "per-chat lanes, ready queue and acknowledgement, no network: src/fake-api/webhook-dispatcher.ts",
  build() {
    const intercepted = interceptPoolRequests();
    const api = new FakeApi({ callLogCapacity: 256, messagesKeptPerChat: 16 });
    const bot = api.telegram.bot(TOKEN);
    const config: WebhookConfig = {
      url: "http://127.0.0.1:9/webhook", // never connected to: see interceptPoolRequests
      secretToken: "micro_secret",
      maxConnections: MAX_CONNECTIONS,
      ipAddress: "127.0.0.1",
    };
    bot.webhook = config;
    const dispatcher = new WebhookDispatcher(api.telegram, bot, config);
    bot.dispatcher = dispatcher;
    dispatcher.start();

    let delivered = 0;
    let waiting: { target: number; resolve: () => void } | undefined;
    api.events.on("delivered", (e) => {
      delivered += e.updateIds.length;
      if (waiting !== undefined && delivered >= waiting.target) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve();
      }
    });
    const deliveredUpTo = (target: number) =>
      delivered >= target
        ? Promise.resolve()
        : new Promise<void>((resolve) => (waiting = { target, resolve }));

    let seq = 0;
    /** Injects `count` text updates spread over `chats` private chats; resolves when all are acknowledged. */
    const burst = async (count: number, chats: number) => {
      const postsBefore = intercepted.posts();
      const target = delivered + count;
      for (let i = 0; i < count; i++) {
        seq++;
        api.control.injectText(TOKEN, {
          text: `#${seq} hello there`,
          from: { id: FIRST_USER_ID + (seq % chats) },
        });
      }
      if (intercepted.posts() === postsBefore) throw new Error(NOT_INTERCEPTED);
      await deliveredUpTo(target);
    };

    return {
      tasks: [
        { name: "inject + POST + acknowledge, 1 update", async: true, run: () => burst(1, 1_000) },
        { name: "burst of 100 over 10 chats (lanes of 10)", async: true, run: () => burst(100, 10) },
        {
          name: `burst of 100 over 100 chats (${MAX_CONNECTIONS} connections)`,
          async: true,
          run: () => burst(100, 100),
        },
      ],
      teardown: async () => {
        await api.close();
        intercepted.restore();
      },
    };
  },
};
