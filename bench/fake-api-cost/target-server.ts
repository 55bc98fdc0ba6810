/**
 * One server under load for the fake API cost benchmark, in its own process so it does not share
 * a core's event loop with autocannon. Usage: `node --import tsx target-server.ts fake|bare`.
 * Prints one JSON line `{"port":N}` when listening; exits on SIGTERM.
 */
import Fastify from "fastify";
import { startFakeApi } from "../../src/fake-api/index.ts";
import { BENCH_CHAT_ID, BENCH_TOKEN } from "./constants.ts";

const kind = process.argv[2];

async function startFake(): Promise<{ port: number; close: () => Promise<void> }> {
  // The anti-busy-loop hold would turn every empty short poll into a 3 s wait: off for a cost test.
  const api = await startFakeApi({ antiBusyLoop: false });
  // A user writes once, so the chat exists for sendMessage; the update is confirmed at once,
  // so every getUpdates under load is an empty one.
  const update = api.control.injectText(BENCH_TOKEN, { text: "hello", from: { id: BENCH_CHAT_ID } })!;
  await fetch(`${api.apiRoot}/bot${BENCH_TOKEN}/getUpdates?offset=${update.update_id + 1}`);
  if (api.control.webhookInfo(BENCH_TOKEN).pending_update_count !== 0) throw new Error("queue not drained");
  return { port: Number(new URL(api.apiRoot).port), close: () => api.close() };
}

/** The baseline: bare fastify, default JSON parser, one route answering objects of the same shape. */
async function startBare(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  const message = {
    message_id: 2,
    from: {
      id: 123456,
      is_bot: true,
      first_name: "tgbench bot 123456",
      username: "tgbench_123456_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    },
    date: 0,
    chat: { id: BENCH_CHAT_ID, type: "private", first_name: "User 1001", username: "user1001" },
    text: "",
  };
  app.post("/*", async (req) => {
    const body = req.body as { text?: string };
    if (req.url.endsWith("/getUpdates")) return { ok: true, result: [] };
    return { ok: true, result: { ...message, date: Math.floor(Date.now() / 1000), text: body.text } };
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address() as { port: number };
  return { port: address.port, close: () => app.close() };
}

if (kind !== "fake" && kind !== "bare") {
  console.error("usage: target-server.ts fake|bare");
  process.exit(2);
}
const server = kind === "fake" ? await startFake() : await startBare();
console.log(JSON.stringify({ port: Number(server.port) }));
process.once("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
