import type { BotState } from "../bot-state.ts";
import { monotonicMs } from "../clock.ts";
import { countTraffic } from "../counted.ts";
import { Descriptions } from "../errors.ts";
import { decodeJson } from "../json-parameters.ts";
import { TELEGRAM_LIMITS } from "../options.ts";
import type { Params } from "../params.ts";
import { ALL_UPDATE_TYPES, type Update } from "../telegram-types.ts";
import type { QueuedUpdate } from "../update-queue.ts";
import type { MethodContext } from "./method.ts";

const KNOWN_UPDATE_TYPES: ReadonlySet<string> = new Set(ALL_UPDATE_TYPES);

/**
 * Applies `allowed_updates` as telegram-bot-api does (`get_allowed_update_types`,
 * `update_allowed_update_types`): it never fails the call. Absent, empty, not valid JSON (within
 * the nesting limit), not an array, or an array with anything but strings keeps the previous
 * setting; names are compared in lower case and unknown ones ignored; an array that names no known
 * type (`[]` included) means the default set. Returns whether the setting changed.
 */
export function applyAllowedUpdates(bot: BotState, params: Params): boolean {
  const text = params.get("allowed_updates");
  if (text === undefined) return false;
  const decoded = decodeJson(text);
  if (decoded === undefined || !Array.isArray(decoded.value)) return false;
  const list: unknown[] = decoded.value;
  if (!list.every((name) => typeof name === "string")) return false;
  const known = (list as string[])
    .map((name) => name.toLowerCase())
    .filter((name) => KNOWN_UPDATE_TYPES.has(name));
  const next = known.length === 0 ? null : new Set(known);
  const changed = !sameSet(bot.allowedUpdates, next);
  bot.allowedUpdates = next;
  return changed;
}

function sameSet(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === null || b === null) return a === b;
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** getUpdates: offsets, clamping, the anti-busy-loop rule, long polling and 409s. */
export function getUpdates(ctx: MethodContext): Update[] | Promise<Update[]> {
  const { bot, params, telegram } = ctx;
  bot.counters.getUpdatesCalls++;
  if (bot.webhook !== null || bot.settingWebhook) {
    return new Promise((_resolve, reject) => bot.poller.failWithConflict(Descriptions.webhookActive, reject));
  }
  const offset = params.int("offset", 0);
  let limit = params.int("limit", TELEGRAM_LIMITS.getUpdatesLimitMax, 1, TELEGRAM_LIMITS.getUpdatesLimitMax);
  let timeoutSeconds = params.int("timeout", 0, 0, TELEGRAM_LIMITS.longPollMaxTimeoutSeconds);
  applyAllowedUpdates(bot, params);

  const nowMs = performance.now();
  if (telegram.events.listenerCount("poll") > 0) {
    telegram.events.emit("poll", { botId: bot.id, offset, limit, timeoutSeconds, atMs: nowMs });
  }
  if (telegram.options.antiBusyLoop && offset === bot.previousPollOffset) {
    const sincePreviousMs = nowMs - bot.previousPollStartMs;
    if (
      timeoutSeconds < TELEGRAM_LIMITS.antiBusyLoopHoldSeconds &&
      sincePreviousMs < TELEGRAM_LIMITS.antiBusyLoopWindowMs
    ) {
      timeoutSeconds = TELEGRAM_LIMITS.antiBusyLoopHoldSeconds;
    }
    if (sincePreviousMs < TELEGRAM_LIMITS.antiBusyLoopLimitOneWindowMs) limit = 1;
  }
  bot.previousPollOffset = offset;
  bot.previousPollStartMs = nowMs;

  const items = bot.poller.poll({ offset, limit, timeoutSeconds }, ctx.onCancel);
  return items instanceof Promise ? items.then((ready) => handOver(ctx, ready)) : handOver(ctx, items);
}

function handOver(ctx: MethodContext, items: QueuedUpdate[]): Update[] {
  ctx.bot.counters.getUpdatesAnswered++;
  if (items.length === 0) {
    countTraffic(ctx.telegram.events, ctx.bot, "emptyGetUpdates", 1);
    return [];
  }
  noteHandedOver(ctx, items);
  return items.map((item) => item.update);
}

/** Counts and announces updates handed over for the first time. */
function noteHandedOver(ctx: MethodContext, items: readonly QueuedUpdate[]): void {
  const { bot, telegram } = ctx;
  const fresh: number[] = [];
  for (const item of items) {
    const id = item.update.update_id;
    if (id > bot.handedUpToId) fresh.push(id);
  }
  if (fresh.length === 0) return;
  bot.handedUpToId = fresh[fresh.length - 1]!;
  bot.counters.updatesDeliveredByPolling += fresh.length;
  if (telegram.events.listenerCount("delivered") > 0) {
    telegram.events.emit("delivered", {
      botId: bot.id,
      updateIds: fresh,
      via: "getUpdates",
      atMs: monotonicMs(),
    });
  }
}
