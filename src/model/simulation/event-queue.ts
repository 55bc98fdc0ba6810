/**
 * The simulation's clock: a binary heap of timed actions. Ties run in the order they were
 * scheduled, so a run is a pure function of its inputs and seed.
 */

interface Entry {
  atMs: number;
  seq: number;
  run: () => void;
}

export class EventQueue {
  #heap: Entry[] = [];
  #seq = 0;
  #nowMs = 0;
  #events = 0;
  readonly #maxEvents: number;

  constructor(maxEvents: number) {
    this.#maxEvents = maxEvents;
  }

  /** Simulated time, ms. */
  get nowMs(): number {
    return this.#nowMs;
  }

  get eventsRun(): number {
    return this.#events;
  }

  /** Runs `run` at `atMs` (never before now). */
  at(atMs: number, run: () => void): void {
    const entry = { atMs: Math.max(atMs, this.#nowMs), seq: this.#seq++, run };
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Runs `run` `delayMs` from now. */
  after(delayMs: number, run: () => void): void {
    this.at(this.#nowMs + delayMs, run);
  }

  /**
   * Runs events in time order until none is left, `done()` says so, or the event cap is reached.
   * Returns false when the cap stopped it.
   */
  run(done: () => boolean): boolean {
    while (this.#heap.length > 0 && !done()) {
      if (this.#events >= this.#maxEvents) return false;
      const entry = this.#pop();
      this.#nowMs = entry.atMs;
      this.#events++;
      entry.run();
    }
    return true;
  }

  #pop(): Entry {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

const before = (a: Entry, b: Entry): boolean => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
