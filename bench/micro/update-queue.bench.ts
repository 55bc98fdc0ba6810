/**
 * A bot's update queue and the getUpdates answer (src/fake-api/update-queue.ts,
 * src/fake-api/methods/updates.ts): pushing an update as a user's message creates it, taking and
 * confirming by offset, and serialising what a getUpdates call or a webhook POST sends. The fake
 * API is built but never listens; the HTTP path goes through fastify's inject().
 */
import { FakeApi, type Update } from "../../src/fake-api/index.ts";
import { Params } from "../../src/fake-api/params.ts";
import { UpdateQueue } from "../../src/fake-api/update-queue.ts";
import type { MicroSuite } from "./suite.ts";

const TOKEN = "123456:micro";
const BATCH_UPDATES = 100;
/** The queue of the injection task is emptied past this many, so its memory stays flat. */
const INJECT_QUEUE_LIMIT = 10_000;
const USERS = 1_000;

export const updateQueueSuite: MicroSuite = {
  name: "update-queue",
  description: "queue push/take and the getUpdates answer: src/fake-api/update-queue.ts, methods/updates.ts",
  build() {
    const api = new FakeApi({ antiBusyLoop: false, callLogCapacity: 256, messagesKeptPerChat: 16 });
    const control = api.control;
    const bot = api.telegram.bot(TOKEN);
    let userSeq = 0;
    const inject = () => {
      const id = 100_000_001 + (userSeq++ % USERS);
      return control.injectText(TOKEN, { text: `#${userSeq} hello there, how are you`, from: { id } })!;
    };
    // A realistic update (a user's text message) to copy into the bare queue.
    const sample = inject();
    bot.queue.clear();

    const bare = new UpdateQueue(1);
    const build = (updateId: number): Update => ({ update_id: updateId, message: sample.message! });
    const nowSec = Math.floor(Date.now() / 1000);
    const expiresAtSec = nowSec + 86_400;

    // A second bot whose queue always holds one full batch; nothing confirms it.
    const fullToken = "654321:micro-full";
    const fullBot = api.telegram.bot(fullToken);
    for (let i = 0; i < BATCH_UPDATES; i++) {
      control.injectText(fullToken, { text: `#${i} hello there`, from: { id: 100_000_001 + i } });
    }
    const headId = fullBot.queue.headId;
    const pollParams = new Params(undefined, { values: { offset: String(headId), timeout: "0" }, files: [] });

    return {
      tasks: [
        {
          name: "push 1 + take 1, confirming the previous (bare queue)",
          batch: 100,
          run: () => {
            const item = bare.push("message", expiresAtSec, 1, build);
            return bare.take(item.update.update_id, BATCH_UPDATES, nowSec);
          },
        },
        {
          name: "injectText: user message + enqueue",
          batch: 10,
          run: () => {
            if (bot.queue.size > INJECT_QUEUE_LIMIT) bot.queue.clear();
            return inject();
          },
        },
        {
          name: "webhook payload: JSON.stringify(1 update)",
          batch: 100,
          run: () => JSON.stringify(sample),
        },
        {
          name: `take ${BATCH_UPDATES} + envelope JSON (${BATCH_UPDATES} updates)`,
          run: () => {
            const items = fullBot.queue.take(headId, BATCH_UPDATES, nowSec);
            return `{"ok":true,"result":${JSON.stringify(items.map((item) => item.update))}}`;
          },
        },
        {
          name: `getUpdates method, ${BATCH_UPDATES} queued (telegram.call + envelope)`,
          run: () => {
            const outcome = api.telegram.call(fullBot, "getupdates", pollParams, "http");
            if (outcome instanceof Promise || !outcome.ok)
              throw new Error("getUpdates did not answer at once");
            return `{"ok":true,"result":${JSON.stringify(outcome.result)}}`;
          },
        },
        {
          name: `getUpdates through inject(), ${BATCH_UPDATES} queued`,
          async: true,
          run: async () => {
            const response = await api.app.inject({
              method: "POST",
              url: `/bot${fullToken}/getUpdates`,
              payload: { offset: headId, timeout: 0 },
            });
            if (response.statusCode !== 200) throw new Error(`getUpdates answered ${response.statusCode}`);
          },
        },
      ],
      teardown: () => api.close(),
    };
  },
};
