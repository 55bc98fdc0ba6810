import type { FastifyInstance, FastifyReply } from "fastify";
import { ControlError, type FakeApiControl } from "./control.ts";
import { checkControlRequest } from "./control-auth.ts";
import { ApiError } from "./errors.ts";
import type { ResolvedFakeApiOptions } from "./options.ts";

/** Prefix of the harness routes; no bot route starts with it. */
export const CONTROL_PREFIX = "/__tgbench";

/**
 * The control API over HTTP, for `tgbench serve` and tools in other languages. JSON in, JSON out,
 * errors in the same `{ok:false,error_code,description}` shape as the Bot API. Every request needs
 * the `X-Tgbench-Control-Token` header and a Host naming this server, and a browser's cross-site
 * request is refused (control-auth.ts); the harness in process uses {@link FakeApiControl} directly.
 *
 *   POST {prefix}/bots/:token/messages   {text, from?, chat?, replyToMessageId?}
 *   POST {prefix}/bots/:token/commands   {command, args?, from?, chat?}
 *   POST {prefix}/bots/:token/callbacks  {messageId, data, from?, chat?}
 *   GET  {prefix}/bots/:token/calls?since=N
 *   GET  {prefix}/bots/:token/counters
 *   GET  {prefix}/bots/:token/webhook
 *   POST {prefix}/reset
 */
export function registerControlRoutes(
  app: FastifyInstance,
  control: FakeApiControl,
  options: ResolvedFakeApiOptions,
): void {
  // An encapsulated context: its own JSON parser (the harness sends real JSON objects, not Bot API
  // parameters) and its own guard, neither of which touches the bot routes.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
      done(null, parseObject(text as string));
    });
    scope.addContentTypeParser("*", (_req, payload, done) => {
      payload.on("error", () => done(null, {}));
      payload.on("end", () => done(null, {}));
      payload.resume();
    });
    scope.addHook("onRequest", async (req, reply) => {
      const refused = checkControlRequest(req, options.controlToken, options.host);
      if (refused !== undefined) return sendAnswer(reply, refused.errorCode, refused.toEnvelope());
      return undefined;
    });
    registerRoutes(scope, control);
  });
}

function registerRoutes(app: FastifyInstance, control: FakeApiControl): void {
  type TokenParams = { Params: { token: string } };
  const body = (value: unknown) => (value ?? {}) as never;

  app.post<TokenParams>(`${CONTROL_PREFIX}/bots/:token/messages`, async (req, reply) =>
    answer(reply, () => control.injectText(req.params.token, body(req.body))),
  );
  app.post<TokenParams>(`${CONTROL_PREFIX}/bots/:token/commands`, async (req, reply) =>
    answer(reply, () => control.injectCommand(req.params.token, body(req.body))),
  );
  app.post<TokenParams>(`${CONTROL_PREFIX}/bots/:token/callbacks`, async (req, reply) =>
    answer(reply, () => control.injectCallback(req.params.token, body(req.body))),
  );
  app.get<TokenParams & { Querystring: { since?: string } }>(
    `${CONTROL_PREFIX}/bots/:token/calls`,
    async (req, reply) =>
      answer(reply, () => control.calls(req.params.token, Number(req.query.since ?? 0) || 0)),
  );
  app.get<TokenParams>(`${CONTROL_PREFIX}/bots/:token/counters`, async (req, reply) =>
    answer(reply, () => control.counters(req.params.token)),
  );
  app.get<TokenParams>(`${CONTROL_PREFIX}/bots/:token/webhook`, async (req, reply) =>
    answer(reply, () => control.webhookInfo(req.params.token)),
  );
  app.post(`${CONTROL_PREFIX}/reset`, async (_req, reply) =>
    answer(reply, () => {
      control.reset();
      return true;
    }),
  );
}

/** A JSON object, or {} for anything else (malformed JSON, an array): the inputs then say what is missing. */
function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function answer(reply: FastifyReply, run: () => unknown): FastifyReply {
  try {
    return sendAnswer(reply, 200, { ok: true, result: run() });
  } catch (error: unknown) {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError(400, `Bad Request: ${error instanceof ControlError ? error.message : String(error)}`);
    return sendAnswer(reply, apiError.errorCode, apiError.toEnvelope());
  }
}

function sendAnswer(reply: FastifyReply, status: number, payload: unknown): FastifyReply {
  return reply
    .code(status)
    .header("content-type", "application/json")
    .send(Buffer.from(JSON.stringify(payload)));
}
