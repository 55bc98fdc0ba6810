import type { BotState } from "../bot-state.ts";
import { badRequest, tooManyRequests } from "../errors.ts";
import { TELEGRAM_LIMITS } from "../options.ts";
import type { WebhookInfo } from "../telegram-types.ts";
import { WebhookDispatcher } from "../webhook-dispatcher.ts";
import { type ProbeResult, probeWebhook } from "../webhook-probe.ts";
import { Described, type MethodContext } from "./method.ts";
import { applyAllowedUpdates } from "./updates.ts";

const SECRET_TOKEN_CHARS = /^[A-Za-z0-9_-]*$/;
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * setWebhook and deleteWebhook (telegram-bot-api `process_set_webhook_query`, `do_set_webhook`).
 * HTTP URLs on any port are allowed, as telegram-bot-api's `--local` mode allows them; hosts
 * other than loopback only with the `allowExternalWebhookHosts` option. setWebhook answers only
 * after a first TCP connection to the URL succeeded.
 */
export async function setWebhook(ctx: MethodContext): Promise<Described> {
  const { bot, params, telegram } = ctx;
  // While an earlier setWebhook is still checking its URL, telegram-bot-api answers any other
  // setWebhook or deleteWebhook with 429 (`active_webhook_set_query_`).
  if (bot.settingWebhook) throw tooManyRequests(1);
  const newUrl = params.get("url") ?? "";
  const nowMs = performance.now();
  if (newUrl !== "") {
    if (nowMs < bot.nextSetWebhookAllowedAtMs) throw tooManyRequests(1);
    bot.nextSetWebhookAllowedAtMs = nowMs + 1000;
  }
  const maxConnections =
    newUrl === ""
      ? 0
      : params.int(
          "max_connections",
          TELEGRAM_LIMITS.webhookMaxConnectionsDefault,
          1,
          TELEGRAM_LIMITS.webhookMaxConnectionsMax,
        );
  const secretToken = newUrl === "" ? "" : (params.get("secret_token") ?? "");
  const dropPending = params.bool("drop_pending_updates");
  const current = bot.webhook;
  if (
    (current?.url ?? "") === newUrl &&
    (current?.maxConnections ?? 0) === maxConnections &&
    (current?.secretToken ?? "") === secretToken &&
    !dropPending
  ) {
    applyAllowedUpdates(bot, params);
    return new Described(true, newUrl === "" ? "Webhook is already deleted" : "Webhook is already set");
  }
  if (newUrl !== "") bot.poller.abort("setWebhook");
  await removeWebhook(bot);
  if (dropPending) dropPendingUpdates(bot);
  if (newUrl === "") {
    return new Described(true, current === null ? "Webhook is already deleted" : "Webhook was deleted");
  }

  const url = parseWebhookUrl(newUrl, telegram.options.allowExternalWebhookHosts);
  if (secretToken.length > TELEGRAM_LIMITS.secretTokenMaxLength) throw badRequest("secret token is too long");
  if (!SECRET_TOKEN_CHARS.test(secretToken)) throw badRequest("secret token contains unallowed characters");

  bot.settingWebhook = true;
  let probe: ProbeResult;
  try {
    probe = await probeWebhook(url, telegram.options.webhookProbeTimeoutMs);
  } finally {
    bot.settingWebhook = false;
  }
  if (!probe.ok) throw badRequest(`bad webhook: ${probe.reason}`);
  // Build everything first and write the bot's state last: a webhook is never "set" without a
  // dispatcher that delivers to it.
  const config = { url: newUrl, secretToken, maxConnections, ipAddress: probe.ipAddress };
  const deliveryUrl = await telegram.options.webhookRoute(newUrl);
  const dispatcher = new WebhookDispatcher(telegram, bot, config, deliveryUrl);
  applyAllowedUpdates(bot, params);
  bot.lastWebhookError = null;
  bot.webhook = config;
  bot.dispatcher = dispatcher;
  dispatcher.start();
  return new Described(true, "Webhook was set");
}

/** deleteWebhook takes only `drop_pending_updates`. */
export async function deleteWebhook(ctx: MethodContext): Promise<Described> {
  const { bot, params } = ctx;
  if (bot.settingWebhook) throw tooManyRequests(1);
  const had = bot.webhook !== null;
  await removeWebhook(bot);
  if (params.bool("drop_pending_updates")) dropPendingUpdates(bot);
  return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
}

/** getWebhookInfo with exactly the fields Telegram includes in each state (Client.cpp JsonWebhookInfo). */
export function getWebhookInfo(ctx: MethodContext): WebhookInfo {
  return webhookInfo(ctx.bot);
}

export function webhookInfo(bot: BotState): WebhookInfo {
  const hook = bot.webhook;
  const info: WebhookInfo = {
    url: hook?.url ?? "",
    has_custom_certificate: false,
    pending_update_count: bot.queue.size,
  };
  if (hook !== null && hook.ipAddress !== undefined) info.ip_address = hook.ipAddress;
  if (bot.lastWebhookError !== null) {
    info.last_error_date = bot.lastWebhookError.dateSec;
    info.last_error_message = bot.lastWebhookError.message;
  }
  if (hook !== null) info.max_connections = hook.maxConnections;
  if (bot.allowedUpdates !== null) info.allowed_updates = [...bot.allowedUpdates];
  return info;
}

async function removeWebhook(bot: BotState): Promise<void> {
  const dispatcher = bot.dispatcher;
  bot.webhook = null;
  bot.dispatcher = null;
  if (dispatcher !== null) await dispatcher.close();
}

function dropPendingUpdates(bot: BotState): void {
  bot.counters.updatesDropped += bot.queue.size;
  bot.queue.clear();
}

function parseWebhookUrl(text: string, allowExternalHosts: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest("invalid webhook URL specified");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw badRequest("invalid webhook URL specified");
  if (!allowExternalHosts && !LOOPBACK_HOST.test(url.hostname)) {
    throw badRequest(
      `bad webhook: host ${url.hostname} is not on loopback; tgbench delivers only to 127.0.0.1/localhost unless started with allowExternalWebhookHosts`,
    );
  }
  return url;
}
