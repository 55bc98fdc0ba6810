import type { UploadedFile } from "./params.ts";

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

/**
 * A bounded log of the most recent calls. A million-update run must not keep a million records,
 * so old ones are overwritten; `seq` tells a reader what it missed.
 */
export class CallLog {
  readonly #capacity: number;
  readonly #records: CallRecord[] = [];
  #nextSeq = 1;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(record: Omit<CallRecord, "seq">): CallRecord {
    const full = { seq: this.#nextSeq++, ...record } as CallRecord;
    if (this.#records.length < this.#capacity) this.#records.push(full);
    else this.#records[(full.seq - 1) % this.#capacity] = full;
    return full;
  }

  /** Records with `seq > since`, oldest first. */
  since(since = 0): CallRecord[] {
    const out = this.#records.filter((r) => r.seq > since);
    out.sort((a, b) => a.seq - b.seq);
    return out;
  }

  /** The seq of the newest record (0 when empty). */
  get lastSeq(): number {
    return this.#nextSeq - 1;
  }

  clear(): void {
    this.#records.length = 0;
  }
}
