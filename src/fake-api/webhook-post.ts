import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { requestErrors } from "./errors.ts";
import { parseJsonParameters } from "./json-parameters.ts";
import { TELEGRAM_LIMITS } from "./options.ts";
import type { ParsedBody } from "./params.ts";
import { parseUrlParameters } from "./url-encoding.ts";
import { describeNetworkError } from "./webhook-probe.ts";
import { readWebhookReply } from "./webhook-reply.ts";

/** A non-2xx answer's body is read this far (to keep the connection) and then the connection dropped. */
const ERROR_BODY_DRAIN_BYTES = 64 * 1024;

/** How one webhook POST ended: a 2xx (with the webhook reply's parameters, if any) or a failure. */
export type PostOutcome =
  | { ok: true; body: ParsedBody | undefined }
  | { ok: false; message: string; retryAfterSeconds: number };

/** What a POST reports to its dispatcher while it runs. */
export interface PostSink<C> {
  /** Body bytes of the answer as they arrive on the wire (before decompression). */
  onBodyBytes(bytes: number): void;
  /** The POST is over; called exactly once. */
  onOutcome(post: WebhookPost<C>, outcome: PostOutcome): void;
}

/** How the answer's body is being read. */
type BodyMode =
  /** Before the status line. */
  | "none"
  /** A non-2xx answer: up to 64 KiB read and dropped. */
  | "error"
  /** A 2xx JSON or urlencoded answer, buffered up to 1 MiB and parsed here. */
  | "parameters"
  /** A 2xx answer of any other type, read up to 1 MiB and ignored. */
  | "ignored"
  /** A 2xx compressed or multipart answer, streamed to {@link readWebhookReply}. */
  | "stream"
  /** The outcome is known; anything more is ignored. */
  | "done";

const TIMED_OUT = "Read timeout expired";

class DeliveryTimedOut extends Error {
  override readonly name = "DeliveryTimedOut";
  readonly code = "UND_ERR_ABORTED";
}

/**
 * One webhook POST as an undici dispatch handler: the answer is read straight from undici's
 * callbacks, with no response stream, promise or AbortSignal per POST (this is the hot path of
 * every webhook benchmark). It reads the answer exactly as {@link readWebhookReply} would: a JSON
 * or urlencoded body up to 1 MiB of parameters (beyond: "Request Entity Too Large: too many
 * parameters"), any other uncompressed body up to 1 MiB and then the connection is dropped (the
 * delivery still succeeded); compressed and multipart bodies are handed to readWebhookReply as a
 * stream, with undici's backpressure. A non-2xx answer's body is read up to 64 KiB, then dropped.
 * {@link timeOut} ends it as telegram-bot-api's connection timeout does ("Read timeout expired").
 */
export class WebhookPost<C> implements Dispatcher.DispatchHandler {
  /** What the dispatcher delivers with it (its lane). */
  readonly context: C;
  /** When the whole delivery must be over (performance.now() ms); set by DeliveryTimeouts. */
  deadlineMs = 0;
  /** An exact timer of DeliveryTimeouts for a short limit. */
  timer: NodeJS.Timeout | undefined = undefined;
  readonly #sink: PostSink<C>;
  readonly #bodyLimitBytes: number;
  #controller: Dispatcher.DispatchController | undefined;
  #mode: BodyMode = "none";
  #timedOut = false;
  #statusCode = 0;
  #statusText = "";
  #retryAfterSeconds = 0;
  #urlencoded = false;
  #chunks: Buffer[] = [];
  #length = 0;
  #stream: Readable | undefined;

  constructor(sink: PostSink<C>, bodyLimitBytes: number, context: C) {
    this.#sink = sink;
    this.context = context;
    this.#bodyLimitBytes = bodyLimitBytes;
  }

  /** Whether its time ran out (then the outcome is "Read timeout expired", unless already known). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Its time ran out: the connection is dropped and the POST failed. */
  timeOut(): void {
    if (this.#mode === "done") return;
    this.#timedOut = true;
    this.cancel(new DeliveryTimedOut("webhook delivery timed out"));
  }

  /** Drops the request (the dispatcher closes); the outcome follows from undici's error. */
  cancel(reason: Error = new DeliveryTimedOut("webhook delivery cancelled")): void {
    if (this.#controller !== undefined && !this.#controller.aborted) this.#controller.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#timedOut) controller.abort(new DeliveryTimedOut("webhook delivery timed out"));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    if (this.#mode !== "none") return;
    this.#statusCode = statusCode;
    if (statusCode < 200 || statusCode > 299) {
      this.#mode = "error";
      this.#statusText = statusMessage ?? "";
      const retryAfter = Number(headers["retry-after"] ?? 0);
      this.#retryAfterSeconds = Number.isFinite(retryAfter) ? Math.trunc(retryAfter) : 0;
      return;
    }
    const encoding = String(headers["content-encoding"] ?? "")
      .trim()
      .toLowerCase();
    const lower = String(headers["content-type"] ?? "").toLowerCase();
    if (encoding !== "" && encoding !== "none") {
      if (encoding !== "gzip" && encoding !== "deflate") {
        this.#finish({
          ok: false,
          message: requestErrors.unsupportedEncoding().description,
          retryAfterSeconds: 0,
        });
        controller.abort(new DeliveryTimedOut("unsupported encoding"));
        return;
      }
      this.#startStream(controller, headers);
      return;
    }
    if (lower.includes("multipart/form-data")) {
      this.#startStream(controller, headers);
      return;
    }
    this.#urlencoded = lower.includes("application/x-www-form-urlencoded");
    this.#mode = this.#urlencoded || lower.includes("application/json") ? "parameters" : "ignored";
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const mode = this.#mode;
    if (mode === "done" || mode === "none") return;
    this.#sink.onBodyBytes(chunk.length);
    if (mode === "stream") {
      if (!this.#stream!.push(chunk)) controller.pause();
      return;
    }
    this.#length += chunk.length;
    if (mode === "error") {
      if (this.#length > ERROR_BODY_DRAIN_BYTES) {
        this.#finishError();
        controller.abort(new DeliveryTimedOut("error body drained"));
      }
      return;
    }
    if (this.#length > TELEGRAM_LIMITS.maxParametersBytes) {
      this.#finish(
        mode === "parameters"
          ? { ok: false, message: requestErrors.tooManyParameters().description, retryAfterSeconds: 0 }
          : { ok: true, body: undefined },
      );
      controller.abort(new DeliveryTimedOut("answer too long"));
      return;
    }
    if (mode === "parameters") this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const mode = this.#mode;
    if (mode === "stream") {
      this.#stream!.push(null);
      return;
    }
    if (mode === "error") this.#finishError();
    else if (mode === "ignored") this.#finish({ ok: true, body: undefined });
    else if (mode === "parameters") {
      const text = Buffer.concat(this.#chunks, this.#length).toString("utf8");
      this.#chunks = [];
      const values = this.#urlencoded ? parseUrlParameters(text) : parseJsonParameters(text).values;
      this.#finish({ ok: true, body: { values, files: [] } });
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const mode = this.#mode;
    if (mode === "done") return;
    if (mode === "stream") {
      this.#stream!.destroy(error);
      return;
    }
    if (mode === "error") {
      this.#finishError(); // a failed answer is a failure whatever its body does
      return;
    }
    // Before the status line: the network's error; within a 2xx body: the connection went away.
    const message = this.#timedOut
      ? TIMED_OUT
      : mode === "none"
        ? describeNetworkError(error)
        : "Webhook connection closed";
    this.#finish({ ok: false, message, retryAfterSeconds: 0 });
  }

  #startStream(controller: Dispatcher.DispatchController, headers: IncomingHttpHeaders): void {
    this.#mode = "stream";
    const stream = new Readable({
      read: () => controller.resume(),
      destroy: (error, callback) => {
        // The reader stopped (a limit, a Stop): drop the connection, as body.destroy() did.
        if (!controller.aborted) controller.abort(error ?? new DeliveryTimedOut("answer dropped"));
        callback(error);
      },
    });
    this.#stream = stream;
    void readWebhookReply(headers, stream, this.#bodyLimitBytes, noBytes).then((reply) => {
      if (reply.ok) this.#finish(reply);
      else
        this.#finish({
          ok: false,
          message: this.#timedOut ? TIMED_OUT : reply.message,
          retryAfterSeconds: 0,
        });
    });
  }

  #finishError(): void {
    this.#finish({
      ok: false,
      // telegram-bot-api quotes the reason phrase the webhook sent, whatever it is.
      message: `Wrong response from the webhook: ${this.#statusCode} ${this.#statusText}`,
      retryAfterSeconds: this.#retryAfterSeconds,
    });
  }

  #finish(outcome: PostOutcome): void {
    if (this.#mode === "done") return;
    this.#mode = "done";
    this.#sink.onOutcome(this, outcome);
  }
}

/** The stream's bytes are counted by the POST itself as they arrive. */
const noBytes = (): void => {};
