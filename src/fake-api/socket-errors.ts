import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { type RequestError, requestErrors } from "./errors.ts";

/** How long a connection refused at the HTTP level is kept reading before it is dropped. */
const LINGER_MS = 2_000;

const answered = new WeakSet<Socket>();

/**
 * fastify's `clientErrorHandler`: a request Node's HTTP parser refused (headers over the limit,
 * not HTTP at all). telegram-bot-api answers these from its reader with the status and closes the
 * connection (HttpConnectionBase::loop, `close_after_write_`); so does this, in Telegram's
 * envelope and with `Connection: close`, so a keep-alive client does not send its next request
 * into a dead socket. The socket then lingers, discarding input, so closing it does not reset
 * the connection before the client has read the answer. Request timeouts close silently, as
 * telegram-bot-api's idle timeout does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (answered.has(socket) || socket.destroyed) return;
  answered.add(socket);
  socket.on("error", () => {});
  if (error.code === "ECONNRESET") return;
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    socket.destroy();
    return;
  }
  const apiError: RequestError =
    error.code === "HPE_HEADER_OVERFLOW" ? requestErrors.headersTooLarge() : requestErrors.malformed();
  const body = JSON.stringify(apiError.toEnvelope());
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${apiError.errorCode} ${STATUS_CODES[apiError.errorCode]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}
