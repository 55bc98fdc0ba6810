/**
 * The two servers the calibration's autocannon runs compare, in a process of their own (started by
 * measure.ts, so that neither shares its event loop with autocannon): the fake API, and a bare
 * fastify route answering getMe with the very JSON the fake API answers. Prints
 * `{"fake":<port>,"bare":<port>}` and runs until its stdin closes (its parent ended or died).
 *
 *   node --import tsx src/calibration/ceiling-servers.ts
 */
import Fastify from "fastify";
import { startFakeApi } from "../fake-api/index.ts";
import { CALIBRATION_TOKEN } from "./measure-requests.ts";

const fake = await startFakeApi({ callLogCapacity: 256 });
const sample = await fake.app.inject({ method: "POST", url: `/bot${CALIBRATION_TOKEN}/getMe` });
const answer = JSON.parse(sample.body) as unknown;
const bare = Fastify({ logger: false });
bare.post("/bot:token/getMe", async () => answer);
await bare.listen({ host: "127.0.0.1", port: 0 });
const port = (server: { address(): unknown }) => (server.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ fake: port(fake.app.server), bare: port(bare.server) })}\n`);
const stop = async () => {
  await Promise.allSettled([fake.close(), bare.close()]);
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
