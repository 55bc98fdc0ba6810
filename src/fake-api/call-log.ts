import { createHash } from "node:crypto";
import type { ApiError } from "./errors.ts";
import { Params, type UploadedFile } from "./params.ts";
import { newParamRecord, setParam } from "./url-encoding.ts";

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
  /** Parameters as text; a value too long to keep reads `sha256:<hex> (<n> characters)`, see `digested`. */
  params: Record<string, string>;
  files: readonly UploadedFile[];
  /** HTTP status of the answer (200 on success). */
  status: number;
  /** Telegram's description for errors. */
  description?: string;
  /** Parameters kept only as a digest (over `callLogValueMaxBytes`): their length in characters and SHA-256. */
  digested?: Record<string, { length: number; sha256: string }>;
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
  /** What this entry costs the byte budget. */
  sizeBytes: number;
  digested: CallRecord["digested"];
}

/** A JS string costs up to two bytes a character; a record's own fields about this much. */
const bytesOf = (text: string) => text.length * 2;
const RECORD_OVERHEAD_BYTES = 200;

/**
 * The byte budget all bots' call logs share, spent oldest call first. Calls are queued in the
 * order they were logged; when the total is over the budget, the oldest still held is dropped
 * from its bot's log.
 */
export class CallLogBudget {
  readonly maxBytes: number;
  readonly valueMaxBytes: number;
  #usedBytes = 0;
  #heldCalls = 0;
  #queue: Array<{ log: CallLog; seq: number }> = [];
  #head = 0;

  constructor(maxBytes: number, valueMaxBytes: number) {
    this.maxBytes = maxBytes;
    this.valueMaxBytes = valueMaxBytes;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  /** @internal A log stored a call. */
  spend(log: CallLog, seq: number, sizeBytes: number): void {
    this.#usedBytes += sizeBytes;
    this.#heldCalls++;
    this.#queue.push({ log, seq });
    while (this.#usedBytes > this.maxBytes && this.#head < this.#queue.length) {
      const oldest = this.#queue[this.#head++]!;
      oldest.log.dropIfOldest(oldest.seq);
    }
    // Calls that left their logs by other means (a log's count limit, a reset, a released bot)
    // are skipped above; compact the queue so that their entries cannot pile up.
    const queued = this.#queue.length - this.#head;
    if (this.#head > 1024 || queued > 2 * this.#heldCalls + 1024) {
      this.#queue = this.#queue.slice(this.#head).filter((entry) => entry.log.holds(entry.seq));
      this.#head = 0;
    }
  }

  /** @internal A log dropped a call. */
  refund(sizeBytes: number): void {
    this.#usedBytes -= sizeBytes;
    this.#heldCalls--;
  }
}

/**
 * A bounded log of a bot's most recent calls. A million-update run must not keep a million records,
 * nor a stream of 1 MiB requests a gigabyte: the log holds at most `capacity` calls, all logs
 * together at most the budget's bytes, and a value over `valueMaxBytes` only as its digest and
 * length. `seq` tells a reader what it missed. Small calls keep their parsed parameters as they
 * are and are only turned into text when read, so logging costs the hot path one object.
 */
export class CallLog {
  readonly #capacity: number;
  readonly #budget: CallLogBudget;
  readonly #ring: Array<StoredCall | undefined> = [];
  /** Index in #ring of the oldest call, and how many are held. */
  #head = 0;
  #size = 0;
  #nextSeq = 1;

  constructor(capacity: number, budget: CallLogBudget) {
    this.#capacity = capacity;
    this.#budget = budget;
  }

  get size(): number {
    return this.#size;
  }

  /** Logs a call; returns what was stored (turn it into a record with {@link callRecord}). */
  add(
    method: string,
    params: Params,
    via: CallRecord["via"],
    receivedAtMs: number,
    error: ApiError | undefined,
  ): StoredCall {
    const call = this.#compact({
      seq: this.#nextSeq++,
      method,
      params,
      via,
      receivedAtMs,
      answeredAtMs: performance.now(),
      error,
      sizeBytes: 0,
      digested: undefined,
    });
    if (this.#size === this.#capacity) this.#dropOldest();
    this.#ring[(this.#head + this.#size) % this.#capacity] = call;
    this.#size++;
    this.#budget.spend(this, call.seq, call.sizeBytes);
    return call;
  }

  /** Records with `seq > since`, oldest first. */
  since(since = 0): CallRecord[] {
    const out: CallRecord[] = [];
    for (let i = 0; i < this.#size; i++) {
      const call = this.#ring[(this.#head + i) % this.#capacity]!;
      if (call.seq > since) out.push(callRecord(call));
    }
    return out;
  }

  clear(): void {
    while (this.#size > 0) this.#dropOldest();
    this.#ring.length = 0;
    this.#head = 0;
  }

  /** @internal Whether the call with this seq is still held. */
  holds(seq: number): boolean {
    return this.#size > 0 && seq >= this.#ring[this.#head]!.seq;
  }

  /** @internal Drops the oldest call if it is the one with this seq (the budget's eviction). */
  dropIfOldest(seq: number): void {
    if (this.#size > 0 && this.#ring[this.#head]!.seq === seq) this.#dropOldest();
  }

  #dropOldest(): void {
    const oldest = this.#ring[this.#head]!;
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#capacity;
    this.#size--;
    this.#budget.refund(oldest.sizeBytes);
  }

  /** Sizes the call; a call with a value over the limit keeps copies of its small values and digests of the others. */
  #compact(call: StoredCall): StoredCall {
    const valueMaxBytes = this.#budget.valueMaxBytes;
    const footprint = call.params.footprint(valueMaxBytes);
    let tooLong = footprint.tooLong;
    if (bytesOf(call.method) > valueMaxBytes) {
      call.method = digestText(call.method);
      tooLong = true;
    }
    let sizeBytes = RECORD_OVERHEAD_BYTES + bytesOf(call.method) + footprint.bytes;
    if (!tooLong) {
      call.sizeBytes = sizeBytes;
      return call;
    }
    const kept = newParamRecord();
    const digested: NonNullable<CallRecord["digested"]> = Object.create(null);
    sizeBytes = RECORD_OVERHEAD_BYTES + bytesOf(call.method);
    for (const [key, value] of call.params.entries()) {
      const shortKey = bytesOf(key) > valueMaxBytes ? digestText(key) : copy(key);
      if (bytesOf(value) > valueMaxBytes) {
        const sha256 = createHash("sha256").update(value).digest("hex");
        digested[shortKey] = { length: value.length, sha256 };
        setParam(kept, shortKey, `sha256:${sha256} (${value.length} characters)`);
      } else {
        setParam(kept, shortKey, copy(value));
      }
      sizeBytes += bytesOf(shortKey) + bytesOf(kept[shortKey]!) + 100;
    }
    for (const file of call.params.files) sizeBytes += 100 + bytesOf(file.field) + bytesOf(file.filename);
    call.params = new Params(undefined, { values: kept, files: [...call.params.files] });
    call.digested = digested;
    call.sizeBytes = sizeBytes;
    return call;
  }
}

/** A copy that does not keep the string it may have been sliced from alive. */
const copy = (text: string) => (text.length < 13 ? text : ` ${text}`.slice(1));

function digestText(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")} (${text.length} characters)`;
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
  if (call.digested !== undefined) record.digested = { ...call.digested };
  return record;
}
