import type { Socket } from "node:net";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { registerBodyParsers } from "./body-parsers.ts";
import type { BotState } from "./bot-state.ts";
import { FakeApiControl } from "./control.ts";
import { registerControlRoutes } from "./control-routes.ts";
import { countTraffic } from "./counted.ts";
import { ApiError, notFound, payloadTooLarge } from "./errors.ts";
import type { FakeApiEvents } from "./events.ts";
import { type CallOutcome, FakeTelegram } from "./fake-telegram.ts";
import { type FakeApiOptions, type ResolvedFakeApiOptions, resolveFakeApiOptions } from "./options.ts";
import { EMPTY_BODY, Params, type ParsedBody } from "./params.ts";

/**
 * The fake Telegram Bot API: a fastify server that real bot frameworks cannot tell from
 * api.telegram.org, plus the harness's control over it. Build it without listening to test with
 * `app.inject()`, or `listen()` to serve bots over real sockets.
 */
export class FakeApi {
  readonly app: FastifyInstance;
  readonly telegram: FakeTelegram;
  readonly control: FakeApiControl;
  readonly options: ResolvedFakeApiOptions;
  #apiRoot: string | undefined;

  constructor(options: FakeApiOptions = {}) {
    this.options = resolveFakeApiOptions(options);
    this.telegram = new FakeTelegram(this.options);
    this.control = new FakeApiControl(this.telegram);
    this.app = buildApp(this.telegram, this.control, this.options);
  }

  get events(): FakeApiEvents {
    return this.telegram.events;
  }

  /** Starts listening; resolves with the API root to give a bot (`http://127.0.0.1:PORT`, no trailing slash). */
  async listen(): Promise<string> {
    await this.app.listen({ host: this.options.host, port: this.options.port });
    const address = this.app.server.address();
    if (address === null || typeof address === "string") throw new Error("fake API is not listening on TCP");
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#apiRoot = `http://${host}:${address.port}`;
    return this.#apiRoot;
  }

  /** The API root; throws if not listening. */
  get apiRoot(): string {
    if (this.#apiRoot === undefined) throw new Error("fake API is not listening; call listen() first");
    return this.#apiRoot;
  }

  /** Answers parked polls, stops webhook dispatchers, closes every socket. */
  async close(): Promise<void> {
    await this.telegram.close();
    await this.app.close();
  }
}

/** Builds and starts a fake API in one step. */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const api = new FakeApi(options);
  await api.listen();
  return api;
}

function buildApp(telegram: FakeTelegram, control: FakeApiControl, options: ResolvedFakeApiOptions) {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    exposeHeadRoutes: false,
    forceCloseConnections: true,
    return503OnClosing: false,
    // telegram-bot-api closes idle inbound keep-alive connections after 500 s.
    keepAliveTimeout: 500_000,
  });
  registerBodyParsers(app, options.bodyLimitBytes);
  app.setErrorHandler((error, _req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const apiError =
      status === 413
        ? payloadTooLarge()
        : new ApiError(status >= 400 && status < 500 ? 400 : 500, `Bad Request: ${(error as Error).message}`);
    sendEnvelope(reply, { ok: false, error: apiError });
  });
  app.setNotFoundHandler((_req, reply) => sendEnvelope(reply, { ok: false, error: notFound() }));
  registerControlRoutes(app, control);
  app.route({
    method: ["GET", "POST"],
    url: "/*",
    handler: (req, reply) => handleBotRequest(telegram, req, reply),
  });
  // telegram-bot-api answers any other verb with 501 and an empty body (TD parse_head).
  app.route({
    method: ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"],
    url: "/*",
    handler: (_req, reply) => reply.code(501).send(),
  });
  return app;
}

/** `/bot<token>/<method>` or `/bot<token>/test/<method>`; undefined for anything else. */
export function parseBotPath(url: string): { token: string; method: string } | undefined {
  if (!url.startsWith("/bot")) return undefined;
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const slash = path.indexOf("/", 4);
  if (slash === -1) return undefined;
  const token = decodeURIComponent(path.slice(4, slash));
  let method = path.slice(slash + 1);
  if (method.startsWith("test/")) method = method.slice(5);
  if (method === "" || method.includes("/")) return undefined;
  return { token, method: method.toLowerCase() };
}

function handleBotRequest(telegram: FakeTelegram, req: FastifyRequest, reply: FastifyReply): unknown {
  const route = parseBotPath(req.url);
  if (route === undefined) return sendEnvelope(reply, { ok: false, error: notFound() });
  let bot: BotState;
  try {
    bot = telegram.bot(route.token);
  } catch (error: unknown) {
    return sendEnvelope(reply, { ok: false, error: error as ApiError });
  }
  countConnection(bot, req.raw.socket);
  countTraffic(telegram.events, bot, "bytesIn", Number(req.headers["content-length"] ?? 0));
  return answerCall(
    telegram,
    bot,
    route.method,
    req,
    reply,
    (req.body as ParsedBody | undefined) ?? EMPTY_BODY,
  );
}

/** Runs the call and writes its envelope; synchronous unless the method waits (long polls, setWebhook). */
function answerCall(
  telegram: FakeTelegram,
  bot: BotState,
  method: string,
  req: FastifyRequest,
  reply: FastifyReply,
  body: ParsedBody,
): unknown {
  const params = new Params(req.query as Record<string, unknown>, body);
  const outcome = telegram.call(bot, method, params, "http", (cancel) => {
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) cancel();
    });
  });
  if (outcome instanceof Promise) {
    return outcome.then((settled) => {
      countTraffic(telegram.events, bot, "bytesOut", sendEnvelope(reply, settled));
    });
  }
  countTraffic(telegram.events, bot, "bytesOut", sendEnvelope(reply, outcome));
  return undefined;
}

function countConnection(bot: BotState, socket: Socket): void {
  if (bot.sockets.has(socket)) return;
  bot.sockets.add(socket);
  bot.counters.connectionsOpened++;
}

/** Telegram's envelope as JSON text, its HTTP status, and a Retry-After value for 429s. */
function envelopeOf(outcome: CallOutcome): {
  status: number;
  payload: string;
  retryAfter: number | undefined;
} {
  if (outcome.ok) {
    const payload =
      outcome.description === undefined
        ? `{"ok":true,"result":${JSON.stringify(outcome.result)}}`
        : JSON.stringify({ ok: true, result: outcome.result, description: outcome.description });
    return { status: 200, payload, retryAfter: undefined };
  }
  const error = outcome.error;
  return {
    status: error.errorCode,
    payload: JSON.stringify(error.toEnvelope()),
    retryAfter: error.parameters?.retry_after,
  };
}

/**
 * Sends the envelope with `Content-Type: application/json` exactly (no charset); returns the body
 * size. On the bot path the answer is written to the raw response (fastify's `hijack`): this is
 * the hot path of every benchmark, and fastify's reply pipeline (hooks, serializer, header
 * rewriting) has nothing to add to a pre-serialised body.
 */
function sendEnvelope(reply: FastifyReply, outcome: CallOutcome): number {
  const { status, payload, retryAfter } = envelopeOf(outcome);
  const length = Buffer.byteLength(payload);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": length,
  };
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  reply.hijack();
  reply.raw.writeHead(status, headers);
  reply.raw.end(payload);
  return length;
}
