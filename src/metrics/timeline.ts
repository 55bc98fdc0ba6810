/**
 * A per-second timeline of a run: counters (how many updates were offered, injected, answered …
 * in each second), latency per second (count, mean, max) and gauges (a value sampled once per
 * second). Seconds are counted from the `startMs` given to the constructor, on the same
 * monotonic ms clock as every `atMs`. Every counter is added in the second its event happened
 * (the trial recorder passes each event's own time), so the seconds of a series add up to its
 * total exactly.
 */

/** Counters: summed per second, each event in the second it happened. */
export const TIMELINE_COUNTERS = [
  /** Updates the generator meant to send, by their intended time. */
  "offered",
  /** Updates created in the fake API, when they were created. */
  "injected",
  /** Updates handed to the bot for the first time (getUpdates answer or first webhook POST). */
  "delivered",
  /** Updates answered by the bot (matched replies), when the reply arrived. */
  "answered",
  "expired",
  "duplicates",
  "unmatched",
  /** Requests on the wire: the bot's HTTP calls to the API and the webhook POSTs to the bot. */
  "requests",
  "getUpdates",
  "emptyGetUpdates",
  "webhookPosts",
  "webhookFailures",
  /** Body bytes received from the bot (its API requests and webhook responses). */
  "bytesIn",
  /** Body bytes sent to the bot (API responses and webhook POSTs). */
  "bytesOut",
] as const;

/** Gauges: one value per second, sampled at the end of that second. */
export const TIMELINE_GAUGES = [
  /** Updates created but not yet handed to the bot. */
  "pending",
  /** Updates handed to the bot and not answered yet. */
  "deliveredUnanswered",
  /** CPU time (user + system) the bot has used since it started, in ms. */
  "botCpuMs",
  "botRssBytes",
  /** CPU time (user + system) the harness has used since it started, in ms. */
  "harnessCpuMs",
] as const;

/** The name of a counter. */
export type TimelineCounter = (typeof TIMELINE_COUNTERS)[number];
/** The name of a gauge. */
export type TimelineGauge = (typeof TIMELINE_GAUGES)[number];

/**
 * One second of a timeline. Counters are 0 in a second without events; gauges are `null` in a
 * second without a sample (a 0 would read as a real value, e.g. 0 bytes of RSS). Latency figures
 * are in µs, `null` when no latency was recorded in that second.
 */
export type TimelineBucket = { second: number } & Record<TimelineCounter, number> &
  Record<TimelineGauge, number | null> & {
    latencyCount: number;
    latencyMeanUs: number | null;
    latencyMaxUs: number | null;
  };

interface MutableBucket {
  readonly counters: Record<TimelineCounter, number>;
  readonly gauges: Record<TimelineGauge, number | null>;
  latencyCount: number;
  latencySumUs: number;
  latencyMaxUs: number;
}

const MS_PER_SECOND = 1_000;

function emptyBucket(): MutableBucket {
  const counters = Object.fromEntries(TIMELINE_COUNTERS.map((name) => [name, 0]));
  const gauges = Object.fromEntries(TIMELINE_GAUGES.map((name) => [name, null]));
  return {
    counters: counters as Record<TimelineCounter, number>,
    gauges: gauges as Record<TimelineGauge, number | null>,
    latencyCount: 0,
    latencySumUs: 0,
    latencyMaxUs: 0,
  };
}

/**
 * Records a run second by second. Only seconds with events take memory; {@link buckets} fills
 * the gaps. Events before `startMs` count in second 0; events with a non-finite time are not
 * recorded and are counted in {@link ignoredCount}.
 */
export class Timeline {
  /** Start of second 0: monotonic ms. */
  readonly startMs: number;
  readonly #buckets = new Map<number, MutableBucket>();
  #lastSecond = -1;
  /** The bucket the last event went to, and its second. */
  #recentSecond = -1;
  #recent: MutableBucket | undefined;
  #ignoredCount = 0;

  /** @param startMs start of second 0, on the clock of every later `atMs` (monotonic ms). */
  constructor(startMs: number) {
    this.startMs = startMs;
  }

  /** Adds `amount` (default 1) to a counter in the second of `atMs`. */
  add(field: TimelineCounter, atMs: number, amount = 1): void {
    const bucket = this.#bucketAt(atMs);
    if (bucket !== undefined) bucket.counters[field] += amount;
  }

  /** Records one latency in µs in the second of `atMs` (usually the reply's arrival). */
  recordLatencyUs(atMs: number, valueUs: number): void {
    const bucket = this.#bucketAt(atMs);
    if (bucket === undefined) return;
    bucket.latencyCount++;
    bucket.latencySumUs += valueUs;
    if (valueUs > bucket.latencyMaxUs) bucket.latencyMaxUs = valueUs;
  }

  /** Sets a gauge in the second of `atMs`; a later sample in the same second replaces it. */
  sample(field: TimelineGauge, atMs: number, value: number): void {
    const bucket = this.#bucketAt(atMs);
    if (bucket !== undefined) bucket.gauges[field] = value;
  }

  /**
   * Sets a gauge in second `second` itself, whenever the sample was taken: a sample meant for the
   * end of a second lands in that second even when its timer fired a little early or late.
   */
  sampleSecond(field: TimelineGauge, second: number, value: number): void {
    if (!Number.isSafeInteger(second) || second < 0) {
      this.#ignoredCount++;
      return;
    }
    this.#bucket(second).gauges[field] = value;
  }

  /** Events not recorded because their time was not a finite number. */
  get ignoredCount(): number {
    return this.#ignoredCount;
  }

  /**
   * One bucket per second from second 0 to the last second with an event, or to the second of
   * `endMs` when given and later (so quiet seconds at the end of a run still show).
   */
  buckets(endMs?: number): TimelineBucket[] {
    const last = Math.max(this.#lastSecond, endMs === undefined ? -1 : this.#secondOf(endMs));
    const result: TimelineBucket[] = [];
    for (let second = 0; second <= last; second++) {
      result.push(toBucket(second, this.#buckets.get(second) ?? emptyBucket()));
    }
    return result;
  }

  /** The buckets up to the last second with an event; called by JSON.stringify. */
  toJSON(): TimelineBucket[] {
    return this.buckets();
  }

  #secondOf(atMs: number): number {
    return Math.max(0, Math.floor((atMs - this.startMs) / MS_PER_SECOND));
  }

  #bucketAt(atMs: number): MutableBucket | undefined {
    if (!Number.isFinite(atMs)) {
      this.#ignoredCount++;
      return undefined;
    }
    return this.#bucket(this.#secondOf(atMs));
  }

  #bucket(second: number): MutableBucket {
    // Nearly every event lands in the second of the one before it: no map lookup for those.
    if (second === this.#recentSecond) return this.#recent!;
    let bucket = this.#buckets.get(second);
    if (bucket === undefined) {
      bucket = emptyBucket();
      this.#buckets.set(second, bucket);
      if (second > this.#lastSecond) this.#lastSecond = second;
    }
    this.#recentSecond = second;
    this.#recent = bucket;
    return bucket;
  }
}

function toBucket(second: number, bucket: MutableBucket): TimelineBucket {
  const { latencyCount, latencySumUs, latencyMaxUs } = bucket;
  return {
    second,
    ...bucket.counters,
    ...bucket.gauges,
    latencyCount,
    latencyMeanUs: latencyCount === 0 ? null : latencySumUs / latencyCount,
    latencyMaxUs: latencyCount === 0 ? null : latencyMaxUs,
  };
}
