import type { CommandModule } from "yargs";
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER, FAKE_API_DEFAULTS, startFakeApi } from "../fake-api/index.ts";
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
  "control-token": string | undefined;
}

/** Host names and addresses that stay on this machine. */
const isLoopback = (host: string) => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host);

/** The warning `serve` prints when it listens beyond loopback; undefined on loopback. */
export function exposureWarning(host: string): string | undefined {
  if (isLoopback(host)) return undefined;
  return `warning: --host ${host} is not loopback: the fake API is reachable from other machines, and so is its control API for anyone with the token above`;
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
      })
      .option("control-token", {
        type: "string",
        describe: "Secret for the control API (X-Tgbench-Control-Token); default: random, printed at start",
      }),
  handler: async (args) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65_535) {
      throw new UsageError(`--port must be an integer in 0..65535, got ${args.port}`);
    }
    if (!(args["webhook-timeout-ms"] > 0)) throw new UsageError("--webhook-timeout-ms must be > 0");
    if (!(args["webhook-retry-time-scale"] >= 0))
      throw new UsageError("--webhook-retry-time-scale must be >= 0");
    const network = serveNetwork(args as unknown as Record<string, unknown>);
    const controlToken = args["control-token"];
    if (controlToken !== undefined && !/^[\x21-\x7e]{16,256}$/.test(controlToken)) {
      throw new UsageError("--control-token must be 16-256 printable ASCII characters without spaces");
    }
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
        controlToken,
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
    const control = `${root}${CONTROL_PREFIX}`;
    const auth = `-H '${CONTROL_TOKEN_HEADER}: ${api.controlToken}'`;
    const botRoot = await network.route(root, "telegram");
    console.log(`Fake Telegram Bot API listening. API root for your bot: ${botRoot}`);
    for (const line of serveNetworkLines(network, root)) console.log(line);
    console.log(`  a token like 123456:ABC is bot 123456; calls go to ${botRoot}/bot<token>/<method>`);
    console.log(`Control API: ${control}  control token: ${api.controlToken}`);
    const fresh = controlToken === undefined ? "; it is new each run (--control-token sets one)" : "";
    console.log(`  every control request sends the token in the ${CONTROL_TOKEN_HEADER} header${fresh}`);
    console.log("Inject updates as a user would:");
    console.log(
      `  curl -s -X POST ${control}/bots/123456:ABC/messages ${auth} -H 'content-type: application/json' -d '{"text":"hello","from":{"id":1001}}'`,
    );
    console.log(
      `  commands: .../commands {"command":"/start"}   button presses: .../callbacks {"messageId":2,"data":"x"}`,
    );
    console.log(`  read: GET .../calls?since=0  .../counters  .../webhook   reset: POST ${control}/reset`);
    const warning = exposureWarning(args.host);
    if (warning !== undefined) console.error(warning);
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
