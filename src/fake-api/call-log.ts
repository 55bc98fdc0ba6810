import type { ApiError } from "./errors.ts";
import type { Params, UploadedFile } from "./params.ts";

/** One call a bot made, as the harness reads it back. */
export interface CallRecord {
  /** Increasing per bot, never reused; read the log incrementally with `since`. */
  seq: number;
  /** Lower-case method name. */
  method: string;
  /** Monotonic milliseconds when the request arrived (performance.now()). */
  receivedAtMs: number;
  /** Monotonic milliseconds when the answer was sent (for parked long polls: when it was released). */
  answeredAtMs: number;
  /** `http` for a request, `webhook-reply` for a call carried in a webhook response body. */
  via: "http" | "webhook-reply";
  params: Record<string, string>;
  files: readonly UploadedFile[];
  /** HTTP status of the answer (200 on success). */
  status: number;
  /** Telegram's description for errors. */
  description?: string;
}

/** What the log keeps per call: cheap to store, turned into a {@link CallRecord} when read. */
export interface StoredCall {
  seq: number;
  method: string;
  params: Params;
  via: CallRecord["via"];
  receivedAtMs: number;
  answeredAtMs: number;
  error: ApiError | undefined;
}

/**
 * A bounded log of the most recent calls. A million-update run must not keep a million records,
 * so old ones are overwritten; `seq` tells a reader what it missed. Parameters are kept as the
 * parsed request and only turned into text when read, so logging costs the hot path one object.
 */
export class CallLog {
  readonly #capacity: number;
  readonly #calls: StoredCall[] = [];
  #nextSeq = 1;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Logs a call; returns what was stored (turn it into a record with {@link callRecord}). */
  add(
    method: string,
    params: Params,
    via: CallRecord["via"],
    receivedAtMs: number,
    error: ApiError | undefined,
  ): StoredCall {
    const call: StoredCall = {
      seq: this.#nextSeq++,
      method,
      params,
      via,
      receivedAtMs,
      answeredAtMs: performance.now(),
      error,
    };
    if (this.#calls.length < this.#capacity) this.#calls.push(call);
    else this.#calls[(call.seq - 1) % this.#capacity] = call;
    return call;
  }

  /** Records with `seq > since`, oldest first. */
  since(since = 0): CallRecord[] {
    return this.#calls
      .filter((c) => c.seq > since)
      .sort((a, b) => a.seq - b.seq)
      .map(callRecord);
  }

  clear(): void {
    this.#calls.length = 0;
  }
}

/** The record of a stored call, with its parameters as text. */
export function callRecord(call: StoredCall): CallRecord {
  const record: CallRecord = {
    seq: call.seq,
    method: call.method,
    receivedAtMs: call.receivedAtMs,
    answeredAtMs: call.answeredAtMs,
    via: call.via,
    params: call.params.toRecord(),
    files: call.params.files,
    status: call.error === undefined ? 200 : call.error.errorCode,
  };
  if (call.error !== undefined) record.description = call.error.description;
  return record;
}
