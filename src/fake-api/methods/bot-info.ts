import { badRequest, Descriptions } from "../errors.ts";
import type { BotCommand, User } from "../telegram-types.ts";
import { requireChat } from "./common.ts";
import type { MethodContext } from "./method.ts";

export const getMe = (ctx: MethodContext): User => ctx.bot.user;

/** logOut and close succeed; the fake keeps serving the bot afterwards. */
export const logOut = (): true => true;
export const close = (): true => true;

/** Commands are kept per scope and language, as Telegram keeps them. */
function commandsKey(ctx: MethodContext): string {
  const scope = ctx.params.json<{ type?: string }>("scope", "BotCommandScope") ?? { type: "default" };
  return `${JSON.stringify(scope)}|${ctx.params.get("language_code") ?? ""}`;
}

const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;

export function setMyCommands(ctx: MethodContext): true {
  const commands = ctx.params.json<unknown>("commands", "commands") ?? [];
  if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
  const parsed: BotCommand[] = commands.map((entry: unknown) => {
    const c = entry as Partial<BotCommand> | null;
    if (typeof c !== "object" || c === null || typeof c.command !== "string") {
      throw badRequest('can\'t parse BotCommand: field "command" must be of type String');
    }
    if (typeof c.description !== "string") {
      throw badRequest('can\'t parse BotCommand: field "description" must be of type String');
    }
    const command = c.command.replace(/^\//, "").toLowerCase();
    if (!COMMAND_NAME.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    if (c.description.length === 0 || c.description.length > 256)
      throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    return { command, description: c.description };
  });
  ctx.bot.commands.set(commandsKey(ctx), parsed);
  return true;
}

export function getMyCommands(ctx: MethodContext): BotCommand[] {
  return ctx.bot.commands.get(commandsKey(ctx)) ?? [];
}

/** getChat answers with a ChatFullInfo, including the fields newer aiogram versions require. */
export function getChat(ctx: MethodContext): Record<string, unknown> {
  const chat = requireChat(ctx.bot, ctx.params);
  return { ...chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: defaultGiftTypes() };
}

const defaultGiftTypes = () => ({
  unlimited_gifts: false,
  limited_gifts: false,
  unique_gifts: false,
  premium_subscription: false,
});

/** answerCallbackQuery: each query id once, before it expires. */
export function answerCallbackQuery(ctx: MethodContext): true {
  const id = ctx.params.get("callback_query_id");
  if (id === undefined) throw badRequest('parameter "callback_query_id" is required');
  const expiresAtSec = ctx.bot.callbackQueries.get(id);
  if (expiresAtSec === undefined || expiresAtSec <= ctx.bot.nowSec()) {
    ctx.bot.callbackQueries.delete(id);
    throw badRequest(Descriptions.queryTooOld);
  }
  ctx.bot.callbackQueries.delete(id);
  const events = ctx.telegram.events;
  if (events.listenerCount("callbackAnswered") > 0) {
    events.emit("callbackAnswered", { botId: ctx.bot.id, callbackQueryId: id, atMs: performance.now() });
  }
  return true;
}
