import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { normaliseContentType, registerBodyParsers, wireBodyBytes } from "./body-parsers.ts";
import type { BotState } from "./bot-state.ts";
import { FakeApiControl } from "./control.ts";
import { registerControlRoutes } from "./control-routes.ts";
import { countTraffic } from "./counted.ts";
import { ApiError, notFound, RequestError, requestErrors } from "./errors.ts";
import type { FakeApiEvents } from "./events.ts";
import { type CallOutcome, FakeTelegram } from "./fake-telegram.ts";
import { streamError } from "./multipart.ts";
import {
  type FakeApiOptions,
  type ResolvedFakeApiOptions,
  resolveFakeApiOptions,
  TELEGRAM_LIMITS,
} from "./options.ts";
import { EMPTY_BODY, Params, type ParsedBody } from "./params.ts";
import { answerClientError } from "./socket-errors.ts";
import { takeBytesRead, takeBytesWritten } from "./socket-meter.ts";
import { type ParamRecord, parseUrlParameters, routableUrl, urlDecode } from "./url-encoding.ts";

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

  /** The secret the control API over HTTP wants in `X-Tgbench-Control-Token` (see control-auth.ts). */
  get controlToken(): string {
    return this.options.controlToken;
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

/** Verbs telegram-bot-api does not serve (it knows GET and POST only). */
const OTHER_VERBS = ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] as const;

function buildApp(telegram: FakeTelegram, control: FakeApiControl, options: ResolvedFakeApiOptions) {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    exposeHeadRoutes: false,
    forceCloseConnections: true,
    return503OnClosing: false,
    // telegram-bot-api closes idle inbound keep-alive connections after 500 s.
    keepAliveTimeout: 500_000,
    // HttpReader accepts a request line and headers up to 256 KiB (Node's default is 16 KiB).
    http: { maxHeaderSize: TELEGRAM_LIMITS.maxHeadersBytes },
    // Before routing: pick the body parser as HttpReader would, and make any %-escape routable.
    rewriteUrl: (req) => {
      normaliseContentType(req);
      return routableUrl(req.url ?? "/");
    },
    routerOptions: { querystringParser: (query: string) => parseUrlParameters(query) },
    clientErrorHandler: answerClientError,
    // Only reachable if rewriteUrl missed a case: still Telegram's shape, never fastify's own.
    frameworkErrors: (_error, req, reply) =>
      req.method === "GET" || req.method === "POST"
        ? sendEnvelope(reply, { ok: false, error: notFound() })
        : notImplemented(reply),
  });
  // telegram-bot-api reads a body whatever the method (HttpReader reads one for GET too); any
  // other verb is refused before its body is read.
  app.addHttpMethod("GET", { hasBody: true, overrideExisting: true });
  for (const verb of OTHER_VERBS) app.addHttpMethod(verb, { hasBody: false, overrideExisting: true });
  registerBodyParsers(app, options.bodyLimitBytes);
  app.setErrorHandler((error, req, reply) => {
    const apiError = requestError(error, options.bodyLimitBytes, req.headers["content-type"]);
    const route = parseBotPath(targetOf(req));
    const bot = route === undefined ? undefined : knownBot(telegram, route.token);
    if (bot !== undefined) {
      countRequestBytes(telegram, bot, req);
      telegram.noteRequestError(bot, route?.method.toLowerCase() ?? "", apiError);
    }
    sendEnvelope(reply, { ok: false, error: apiError }, bot === undefined ? undefined : { telegram, bot });
  });
  app.setNotFoundHandler((_req, reply) => sendEnvelope(reply, { ok: false, error: notFound() }));
  registerControlRoutes(app, control, options);
  app.route({
    method: ["GET", "POST"],
    url: "/*",
    handler: (req, reply) => handleBotRequest(telegram, req, reply),
  });
  // telegram-bot-api answers any other verb with 501 and an empty body, and closes the connection
  // (HttpReader::parse_head fails, HttpConnectionBase closes after writing the error).
  app.route({
    method: [...OTHER_VERBS],
    url: "/*",
    handler: (_req, reply) => notImplemented(reply),
  });
  return app;
}

/** 501 with an empty body, and the connection closed after it. */
function notImplemented(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.writeHead(501, { "content-length": 0, connection: "close" });
  reply.raw.end();
}

/** What went wrong while reading a request, as telegram-bot-api's HTTP reader words it. */
function requestError(error: unknown, bodyLimitBytes: number, contentType: string | undefined): ApiError {
  if (error instanceof ApiError) return error;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE" || statusCode === 413) {
    const parameters =
      contentType === "application/json" || contentType === "application/x-www-form-urlencoded";
    return parameters && bodyLimitBytes > TELEGRAM_LIMITS.maxParametersBytes
      ? requestErrors.tooManyParameters()
      : requestErrors.bodyTooLarge();
  }
  if (typeof code === "string" && code.startsWith("Z_")) return streamError(error);
  if (
    code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH" ||
    code === "ECONNRESET" ||
    code === "ERR_STREAM_PREMATURE_CLOSE"
  ) {
    return requestErrors.unexpectedEnd();
  }
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
    return requestErrors.badRequest((error as Error).message);
  }
  // Anything else is a bug of the fake API: say so rather than pretend it was the request's fault.
  return new ApiError(500, `Internal Server Error: ${(error as Error)?.message ?? String(error)}`);
}

/** A bot route as telegram-bot-api splits it (HttpConnection::handle). */
export interface BotRoute {
  token: string;
  /** Lower-case method name; empty when the path has none (then the `method` parameter names it). */
  method: string;
  /** `/bot<token>/test/<method>`: Telegram's test environment. */
  testEnvironment: boolean;
}

/**
 * `/bot<token>/<method>` or `/bot<token>/test/<method>`, split as HttpConnection::handle does on
 * the url-decoded path: the token runs to the next `/`; the method is everything after it
 * (`a/b` is a method name, just not a known one; an empty one is taken from the `method`
 * parameter). Undefined for any other path (404 `Not Found`).
 */
export function parseBotPath(url: string): BotRoute | undefined {
  if (!url.startsWith("/bot")) return undefined;
  let pathEnd = url.length;
  for (const stop of ["?", "#"]) {
    const at = url.indexOf(stop);
    if (at !== -1 && at < pathEnd) pathEnd = at;
  }
  const path = urlDecode(url.slice(0, pathEnd), false);
  const slash = path.indexOf("/", 4);
  if (slash === -1) return undefined;
  let rest = path.slice(slash);
  const testEnvironment = rest.startsWith("/test");
  if (testEnvironment) rest = rest.slice(5);
  if (!rest.startsWith("/")) return undefined;
  return { token: path.slice(4, slash), method: rest.slice(1).toLowerCase(), testEnvironment };
}

/** The bot of a token, or undefined for a malformed token (which gets 401 elsewhere). */
function knownBot(telegram: FakeTelegram, token: string): BotState | undefined {
  try {
    return telegram.bot(token);
  } catch {
    return undefined;
  }
}

/** Counts a bot request's bytes: on the socket (headers included) and its body alone. */
function countRequestBytes(telegram: FakeTelegram, bot: BotState, req: FastifyRequest): void {
  countTraffic(telegram.events, bot, "bytesIn", takeBytesRead(req.raw.socket));
  bot.counters.bodyBytesIn += wireBodyBytes(req);
}

/** The request target as the client sent it (fastify's `url` may have been made routable). */
const targetOf = (req: FastifyRequest): string => req.originalUrl ?? req.url;

function handleBotRequest(telegram: FakeTelegram, req: FastifyRequest, reply: FastifyReply): unknown {
  const target = targetOf(req);
  if (!target.startsWith("/")) {
    return sendEnvelope(reply, {
      ok: false,
      error: notFound("absolute URI is specified in the Request-Line"),
    });
  }
  const route = parseBotPath(target);
  if (route === undefined) return sendEnvelope(reply, { ok: false, error: notFound() });
  let bot: BotState;
  try {
    bot = telegram.bot(route.token);
  } catch (error: unknown) {
    return sendEnvelope(reply, { ok: false, error: error as ApiError });
  }
  countConnection(bot, req);
  countRequestBytes(telegram, bot, req);
  const params = new Params(req.query as ParamRecord, (req.body as ParsedBody | undefined) ?? EMPTY_BODY);
  // Query: a path without a method takes it from the `method` parameter.
  const method = route.method !== "" ? route.method : (params.get("method") ?? "").toLowerCase();
  return answerCall(telegram, bot, method, params, reply);
}

/** Runs the call and writes its envelope; synchronous unless the method waits (long polls, setWebhook). */
function answerCall(
  telegram: FakeTelegram,
  bot: BotState,
  method: string,
  params: Params,
  reply: FastifyReply,
): unknown {
  const outcome = telegram.call(bot, method, params, "http", (cancel) => {
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) cancel();
    });
  });
  if (outcome instanceof Promise) {
    return outcome.then((settled) => {
      sendEnvelope(reply, settled, { telegram, bot });
    });
  }
  sendEnvelope(reply, outcome, { telegram, bot });
  return undefined;
}

function countConnection(bot: BotState, req: FastifyRequest): void {
  const socket = req.raw.socket;
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
 * Sends the envelope with `Content-Type: application/json` exactly (no charset) and counts it for
 * `bot` (body bytes, and bytes on the socket with the headers). A {@link RequestError} closes the
 * connection after the answer, as telegram-bot-api does. On the bot path the answer is written to
 * the raw response (fastify's `hijack`): this is the hot path of every benchmark, and fastify's
 * reply pipeline (hooks, serializer, header rewriting) has nothing to add to a pre-serialised body.
 */
/** `counted`: the bot whose counters (and `counted` events) take the answer's bytes. */
function sendEnvelope(
  reply: FastifyReply,
  outcome: CallOutcome,
  counted?: { telegram: FakeTelegram; bot: BotState },
): void {
  const { status, payload, retryAfter } = envelopeOf(outcome);
  const length = Buffer.byteLength(payload);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": length,
  };
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  if (!outcome.ok && outcome.error instanceof RequestError) headers.connection = "close";
  reply.hijack();
  const raw = reply.raw;
  if (raw.headersSent || raw.destroyed) return;
  raw.writeHead(status, headers);
  raw.end(payload);
  if (counted !== undefined) {
    counted.bot.counters.bodyBytesOut += length;
    countTraffic(
      counted.telegram.events,
      counted.bot,
      "bytesOut",
      takeBytesWritten(reply.request.raw.socket),
    );
  }
}
