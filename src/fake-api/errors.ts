/**
 * Telegram's error envelope as data. Every failure a bot can see from the fake API is an
 * {@link ApiError}: the HTTP status equals `errorCode`, and the body is
 * `{ ok: false, error_code, description[, parameters] }` exactly as the Bot API sends it.
 *
 * Descriptions are copied from tdlib/telegram-bot-api (Client.cpp, ClientManager.cpp); see
 * shared/reference/telegram-api.md §3.
 */
export interface ResponseParameters {
  /** Seconds to wait before retrying (429). */
  retry_after?: number;
  /** The supergroup a group was migrated to (400). */
  migrate_to_chat_id?: number;
}

export class ApiError extends Error {
  readonly errorCode: number;
  readonly description: string;
  readonly parameters: ResponseParameters | undefined;

  constructor(errorCode: number, description: string, parameters?: ResponseParameters) {
    super(description);
    this.name = "ApiError";
    this.errorCode = errorCode;
    this.description = description;
    this.parameters = parameters;
  }

  /** The JSON body Telegram sends for this error. */
  toEnvelope(): ErrorEnvelope {
    const envelope: ErrorEnvelope = { ok: false, error_code: this.errorCode, description: this.description };
    if (this.parameters !== undefined) envelope.parameters = this.parameters;
    return envelope;
  }
}

export interface ErrorEnvelope {
  ok: false;
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

export interface OkEnvelope<T = unknown> {
  ok: true;
  result: T;
  description?: string;
}

/** 400 `Bad Request: <detail>`; `detail` starts lower-case as in Telegram's own messages. */
export const badRequest = (detail: string) => new ApiError(400, `Bad Request: ${detail}`);
export const unauthorized = (detail?: string) =>
  new ApiError(401, detail === undefined ? "Unauthorized" : `Unauthorized: ${detail}`);
export const notFound = (detail?: string) =>
  new ApiError(404, detail === undefined ? "Not Found" : `Not Found: ${detail}`);
export const conflict = (detail: string) => new ApiError(409, `Conflict: ${detail}`);
export const payloadTooLarge = () => new ApiError(413, "Request Entity Too Large");
/**
 * Not a Telegram answer: the outcome recorded for a long poll whose client hung up before it was
 * answered (nginx's 499). Nobody receives it; it keeps such polls out of the empty-poll count.
 */
export const clientClosedRequest = () => new ApiError(499, "Client Closed Request");
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
    retry_after: retryAfterSeconds,
  });

/** The descriptions that frameworks match on, kept in one place. */
export const Descriptions = {
  invalidToken: "invalid token specified",
  methodNotFound: "method not found",
  webhookActive:
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  terminatedByGetUpdates:
    "terminated by other getUpdates request; make sure that only one bot instance is running",
  terminatedBySetWebhook: "terminated by setWebhook request",
  terminatedBySetWebhookOther: "terminated by other setWebhook",
  queryTooOld: "query is too old and response timeout expired or query ID is invalid",
  notModified:
    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
} as const;

/** Normalises anything thrown inside a method into an ApiError (unknown errors become 500). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(500, `Internal Server Error: ${message}`);
}

/**
 * An error in the request itself (its size, its encoding, its multipart structure), found while
 * reading it and before any method runs. telegram-bot-api answers these from its HTTP reader
 * (HttpConnectionBase::loop) with the status and closes the connection after the answer; the fake
 * API sends the same status and text in Telegram's envelope, with `Connection: close`.
 */
export class RequestError extends ApiError {
  override readonly name = "RequestError";
}

/** The request errors of tdnet HttpReader.cpp, in its words. */
export const requestErrors = {
  /** Query string plus urlencoded/JSON body over 1 MiB (`MAX_TOTAL_PARAMETERS_LENGTH`). */
  tooManyParameters: () => new RequestError(413, "Request Entity Too Large: too many parameters"),
  /** Multipart fields over 1 MiB in all. */
  tooManyFormParameters: () =>
    new RequestError(413, "Request Entity Too Large: too many parameters in form data"),
  /** More than 50 file parts (HttpInboundConnection's `max_files`). */
  tooManyFiles: () => new RequestError(413, "Request Entity Too Large: too many files attached"),
  /** tgbench's own limit on a whole body after decompression (`bodyLimitBytes`). */
  bodyTooLarge: () => new RequestError(413, "Request Entity Too Large"),
  /** Request line and headers over 256 KiB (`MAX_TOTAL_HEADERS_LENGTH`). */
  headersTooLarge: () =>
    new RequestError(431, "Request Header Fields Too Large: total headers size exceeded"),
  unsupportedEncoding: () => new RequestError(415, "Unsupported Media Type: unsupported content-encoding"),
  /** The body ended inside a multipart part (or before Content-Length bytes). */
  unexpectedEnd: () => new RequestError(400, "Bad Request: unexpected end of request content"),
  /** A corrupt gzip/deflate body; `code` is zlib's (Z_DATA_ERROR is -3), as td::Gzip reports it. */
  zlib: (code: number) => new RequestError(400, `Bad Request: zlib error ${code}`),
  badRequest: (detail: string) => new RequestError(400, `Bad Request: ${detail}`),
  /** Not a valid HTTP request at all (Node's parser refused it). */
  malformed: () => new RequestError(400, "Bad Request"),
} as const;
