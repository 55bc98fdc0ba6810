import type { Socket } from "node:net";

/** What has been read from and written to a socket up to the last time its bytes were taken. */
interface Marks {
  read: number;
  written: number;
}

const marks = new WeakMap<Socket, Marks>();

function marksOf(socket: Socket): Marks {
  let known = marks.get(socket);
  if (known === undefined) {
    known = { read: 0, written: 0 };
    marks.set(socket, known);
  }
  return known;
}

/** `socket.bytesRead`/`bytesWritten`, or 0 for the stand-in socket of `inject()`. */
const count = (value: unknown): number => (typeof value === "number" ? value : 0);

/**
 * Bytes read from a socket since the last call for it: request lines, headers and bodies as they
 * crossed the wire (compressed bodies compressed, chunk framing included). Taken when a bot's
 * request is handled, so they are that bot's.
 */
export function takeBytesRead(socket: Socket): number {
  const known = marksOf(socket);
  const now = count(socket.bytesRead);
  const delta = now - known.read;
  known.read = now;
  return delta;
}

/**
 * Bytes written to a socket since the last call for it: status line, headers and body. Node counts
 * a write as soon as it is queued, so taking them right after `res.end()` includes that answer.
 */
export function takeBytesWritten(socket: Socket): number {
  const known = marksOf(socket);
  const now = count(socket.bytesWritten);
  const delta = now - known.written;
  known.written = now;
  return delta;
}

/** undici's connector: opens a socket for a pool. */
type Connector = (
  options: { hostname: string; protocol: string; port: string },
  callback: (error: Error | null, socket?: Socket | null) => void,
) => void;

/**
 * Counts the bytes of every socket an undici pool opens (the webhook dispatcher's), through its
 * `connect` option. Bytes are handed to `onBytes` when {@link countActive} or {@link countAll} is
 * called and when a socket closes, so a delivery costs nothing extra.
 */
export class ConnectionMeter {
  /** Each open socket with what was read from and written to it when its bytes were last taken. */
  readonly #sockets = new Map<Socket, Marks>();
  readonly #onBytes: (readBytes: number, writtenBytes: number) => void;
  #activeCountedAtMs = Number.NEGATIVE_INFINITY;

  constructor(onBytes: (readBytes: number, writtenBytes: number) => void) {
    this.#onBytes = onBytes;
  }

  /** A connector that opens sockets with `connect` and meters them. */
  wrap(connect: Connector): Connector {
    return (options, callback) =>
      connect(options, (error, socket) => {
        // On failure undici's connector calls back with the error alone.
        if (error === null && socket !== undefined && socket !== null) {
          const known: Marks = { read: 0, written: 0 };
          this.#sockets.set(socket, known);
          socket.once("close", () => {
            this.#take(socket, known);
            this.#sockets.delete(socket);
          });
        }
        callback(error, socket);
      });
  }

  /** Hands over the bytes of every open socket so far. */
  countAll(): void {
    for (const [socket, known] of this.#sockets) this.#take(socket, known);
  }

  /**
   * Hands over the bytes of the sockets that received something since they were last taken: the
   * one whose answer just arrived among them (unless the last visit was less than 1 ms ago: then
   * the next visit, or {@link countAll}, hands them over). A socket whose request is written but not answered
   * yet keeps its bytes until its answer arrives (or {@link countAll}); `bytesRead` is a cheap
   * read, `bytesWritten` is not (Node copies the socket's write buffer to compute it).
   */
  countActive(): void {
    // At most once a millisecond: under load many answers arrive within one, and a visit costs a
    // read of every socket's counter. Bytes are timed to the millisecond, the timeline is per second.
    const nowMs = performance.now();
    if (nowMs - this.#activeCountedAtMs < 1) return;
    this.#activeCountedAtMs = nowMs;
    for (const [socket, known] of this.#sockets) {
      if (count(socket.bytesRead) !== known.read) this.#take(socket, known);
    }
  }

  #take(socket: Socket, known: Marks): void {
    const read = count(socket.bytesRead);
    const written = count(socket.bytesWritten);
    const readBytes = read - known.read;
    const writtenBytes = written - known.written;
    known.read = read;
    known.written = written;
    if (readBytes !== 0 || writtenBytes !== 0) this.#onBytes(readBytes, writtenBytes);
  }
}
