import { readProcessStats } from "../metrics/process-sampler.ts";
import type { WebhookFront, WebhookFrontCost } from "../results/index.ts";
import { freePort, WebhookProxy } from "../subjects/webhook-proxy.ts";
import type { Cell, ResolvedScenario } from "./scenario.ts";

/** Where a webhook bot listens (the contract's WEBHOOK_HOST default). */
const BOT_HOST = "127.0.0.1";

/**
 * What stands in front of a cell's webhook bot, for one trial. `direct`: nothing, as with
 * telegram-bot-api (the bot picks its port and registers its own URL). `proxy`: tgbench's reverse
 * proxy on 127.0.0.1, started before the bot; the bot is told its port (WEBHOOK_PORT) and the URL
 * to register (WEBHOOK_URL, the proxy's), so a framework that calls setWebhook before it listens
 * runs unmodified. The proxy's own cost is measured over the measured window.
 */
export interface WebhookFrontSetup {
  readonly front: WebhookFront;
  /** Variables of the environment contract it sets (WEBHOOK_PORT, WEBHOOK_URL). */
  readonly env: Record<string, string>;
  /** The measurement starts: zero the proxy's counters and note its CPU time. */
  startMeasuring(): void;
  /** What the proxy did and cost since {@link startMeasuring}; null without a proxy. */
  cost(): Promise<WebhookFrontCost | null>;
  stop(): Promise<void>;
}

const DIRECT: WebhookFrontSetup = {
  front: "direct",
  env: {},
  startMeasuring: () => {},
  cost: async () => null,
  stop: async () => {},
};

/** The front of a cell (a proxy only for webhook cells with `webhookFront: "proxy"`). */
export async function setUpWebhookFront(
  scenario: ResolvedScenario,
  cell: Cell,
  webhookPath: string,
): Promise<WebhookFrontSetup> {
  if (cell.mode !== "webhook" || (scenario.webhookFront ?? "direct") === "direct") return DIRECT;
  const botPort = await freePort(BOT_HOST);
  const proxy = await WebhookProxy.start(BOT_HOST, botPort);
  let cpuStartMs: number | null = null;
  let beforeMeasuring: Promise<{ badGateway: number } | null> = Promise.resolve(null);
  const cpuMs = () => {
    const pid = proxy.process.pid;
    const stats = pid === undefined ? undefined : readProcessStats(pid);
    return stats === undefined ? null : stats.cpuUserMs + stats.cpuSystemMs;
  };
  return {
    front: "proxy",
    env: { WEBHOOK_PORT: String(botPort), WEBHOOK_URL: proxy.url(webhookPath) },
    startMeasuring: () => {
      beforeMeasuring = proxy.reset();
      cpuStartMs = cpuMs();
    },
    cost: async () => {
      const warmUp = await beforeMeasuring;
      const stats = await proxy.stats();
      const endMs = cpuMs();
      const spent = cpuStartMs === null || endMs === null ? null : endMs - cpuStartMs;
      const requests = stats?.requests ?? 0;
      return {
        kind: "proxy",
        requests,
        badGateway: stats?.badGateway ?? 0,
        badGatewayBeforeMeasuring: warmUp?.badGateway ?? 0,
        cpuMs: spent,
        cpuUsPerRequest: spent === null || requests === 0 ? null : (spent * 1000) / requests,
        inProxyP50Us: stats?.inProxyP50Us ?? null,
        inProxyP99Us: stats?.inProxyP99Us ?? null,
      };
    },
    stop: async () => {
      await proxy.stop();
    },
  };
}
