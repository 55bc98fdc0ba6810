import type { CommandModule } from "yargs";
import { CONTROL_PREFIX, FAKE_API_DEFAULTS, startFakeApi } from "../fake-api/index.ts";
import { networkOptions, serveNetwork, serveNetworkLines } from "./network-options.ts";
import { UsageError } from "./usage-error.ts";

interface ServeArgs {
  host: string;
  port: number;
  "anti-busy-loop": boolean;
  "rate-limits": boolean;
  "allow-external-webhooks": boolean;
  "webhook-timeout-ms": number;
  "webhook-retry-time-scale": number;
}

/** `tgbench serve`: the fake Bot API on its own, until Ctrl-C. */
export const serveCommand: CommandModule<object, ServeArgs> = {
  command: "serve",
  describe: "Run the fake Telegram Bot API standalone; point any bot at the printed API root",
  builder: (y) =>
    networkOptions(y)
      .option("host", { type: "string", default: FAKE_API_DEFAULTS.host, describe: "Interface to listen on" })
      .option("port", { type: "number", default: 8081, describe: "TCP port (0 = any free port)" })
      .option("anti-busy-loop", {
        type: "boolean",
        default: FAKE_API_DEFAULTS.antiBusyLoop,
        describe: "Telegram's hold for repeated same-offset short polls (--no-anti-busy-loop to turn off)",
      })
      .option("rate-limits", {
        type: "boolean",
        default: FAKE_API_DEFAULTS.rateLimits,
        describe:
          "Answer 429 like Telegram's flood limits (1 msg/s per chat, 20/min per group, 30/s per bot)",
      })
      .option("allow-external-webhooks", {
        type: "boolean",
        default: FAKE_API_DEFAULTS.allowExternalWebhookHosts,
        describe: "Allow setWebhook URLs on hosts other than loopback",
      })
      .option("webhook-timeout-ms", {
        type: "number",
        default: FAKE_API_DEFAULTS.webhookDeliveryTimeoutMs,
        describe: "A webhook delivery without an answer after this long counts as failed",
      })
      .option("webhook-retry-time-scale", {
        type: "number",
        default: FAKE_API_DEFAULTS.webhookRetryTimeScale,
        describe: "Factor for the webhook retry schedule (2, 4, 8 … s)",
      }),
  handler: async (args) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65_535) {
      throw new UsageError(`--port must be an integer in 0..65535, got ${args.port}`);
    }
    if (!(args["webhook-timeout-ms"] > 0)) throw new UsageError("--webhook-timeout-ms must be > 0");
    if (!(args["webhook-retry-time-scale"] >= 0))
      throw new UsageError("--webhook-retry-time-scale must be >= 0");
    const network = serveNetwork(args as unknown as Record<string, unknown>);
    let api: Awaited<ReturnType<typeof startFakeApi>>;
    try {
      api = await startFakeApi({
        host: args.host,
        port: args.port,
        antiBusyLoop: args["anti-busy-loop"],
        rateLimits: args["rate-limits"],
        allowExternalWebhookHosts: args["allow-external-webhooks"],
        webhookDeliveryTimeoutMs: args["webhook-timeout-ms"],
        webhookRetryTimeScale: args["webhook-retry-time-scale"],
        webhookRoute: (url) => network.route(url, "bot"),
      });
    } catch (error: unknown) {
      await network.close();
      const code = (error as { code?: string }).code;
      if (code === "EADDRINUSE")
        throw new UsageError(`port ${args.port} is in use; pick another with --port`);
      if (code === "EADDRNOTAVAIL") throw new UsageError(`cannot listen on ${args.host}; check --host`);
      throw error;
    }
    const root = api.apiRoot;
    const botRoot = await network.route(root, "telegram");
    console.log(`Fake Telegram Bot API listening. API root for your bot: ${botRoot}`);
    for (const line of serveNetworkLines(network, root)) console.log(line);
    console.log(`  a token like 123456:ABC is bot 123456; calls go to ${botRoot}/bot<token>/<method>`);
    console.log("Inject updates as a user would:");
    console.log(
      `  curl -s -X POST ${root}${CONTROL_PREFIX}/bots/123456:ABC/messages -H 'content-type: application/json' -d '{"text":"hello","from":{"id":1001}}'`,
    );
    console.log(
      `  commands: .../commands {"command":"/start"}   button presses: .../callbacks {"messageId":2,"data":"x"}`,
    );
    console.log(
      `  read: GET .../calls?since=0  .../counters  .../webhook   reset: POST ${root}${CONTROL_PREFIX}/reset`,
    );
    console.log("Ctrl-C stops it.");
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await api.close();
    await network.close();
    console.log("Stopped.");
  },
};
