/** Keeps the last `capacityBytes` of a stream's text, for error messages about a bot. */
export class TailBuffer {
  readonly #capacityBytes: number;
  #text = "";

  constructor(capacityBytes = 16 * 1024) {
    this.#capacityBytes = capacityBytes;
  }

  push(chunk: Buffer | string): void {
    this.#text += chunk.toString();
    if (this.#text.length > this.#capacityBytes * 2) this.#text = this.#text.slice(-this.#capacityBytes);
  }

  toString(): string {
    return this.#text.slice(-this.#capacityBytes);
  }
}
