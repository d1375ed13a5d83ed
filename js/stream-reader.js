// File-like readers over a stream of chunks: python-zstandard's stream_reader (c.streamReader(),
// d.streamReader()), and the input streams of io.js, which are the same reader over other chunk
// sources. Reads are queued, so overlapping calls see the bytes in order.
import { rangeError, typeError, ZstdError } from './errors.js';
import { concatBytes, joinedBytes, toUint8Array } from './input.js';
import { describe, integerArgument } from './options.js';

const EMPTY = new Uint8Array(0);
const MAX_READ = Number.MAX_SAFE_INTEGER;

/** Symbol.asyncDispose, or the registered symbol that runtimes without it use. */
export const ASYNC_DISPOSE = Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/**
 * Bytes from an async iterator of Uint8Array chunks, read with a file's API: read(n) (exactly n
 * bytes unless the stream ends first; empty at the end), readInto(), readAll(), tell(), forward
 * seek(), close(). A failure of the source (a ZstdError for corrupt data) is thrown by the read
 * that meets it and by every later one.
 */
export class ZstdStreamReader {
  #chunks;
  #releases;
  #current = EMPTY;
  #offset = 0;
  #position = 0;
  #ended = false;
  #closed = false;
  #failure = null;
  #queue = Promise.resolve();

  /**
   * @internal `chunks`: an async iterator of Uint8Array (ending, failing or return() releases
   * what it holds); `release()`, if given, releases it too (return() does nothing to an iterator
   * that has not started).
   */
  constructor(chunks, release = null) {
    this.#chunks = chunks;
    this.#releases = release === null ? [] : [release];
  }

  /** @internal Adds what close() must release too (a file the source reads). */
  _addRelease(release) {
    this.#releases.push(release);
  }

  // Runs op after every earlier call has settled (a failed call does not stop later ones).
  #queued(op) {
    const run = this.#queue.then(op);
    this.#queue = run.catch(() => {});
    return run;
  }

  #assertOpen() {
    if (this.#failure !== null) throw this.#failure;
    if (this.#closed) throw new ZstdError('invalid_state', `this ${this.constructor.name} is closed`);
  }

  // True when #current has unread bytes, reading the next chunk if need be; false at the end.
  async #fill() {
    while (this.#offset >= this.#current.length) {
      if (this.#ended) return false;
      let step;
      try {
        step = await this.#chunks.next();
      } catch (e) {
        this.#failure = e;
        this.#ended = true;
        this.#current = EMPTY;
        throw e;
      }
      if (step.done) {
        this.#ended = true;
        this.#current = EMPTY;
        this.#offset = 0;
        return false;
      }
      this.#current = step.value;
      this.#offset = 0;
    }
    return true;
  }

  // Up to n bytes of the current chunk (a view of it, no copy), advancing past them.
  #take(n) {
    const k = Math.min(n, this.#current.length - this.#offset);
    const out = this.#current.subarray(this.#offset, this.#offset + k);
    this.#offset += k;
    this.#position += k;
    return out;
  }

  /**
   * Reads n bytes (fewer only at the end of the stream; empty once it has ended). Without n (or
   * with a negative n), reads everything left.
   * @returns {Promise<Uint8Array>}
   */
  read(n = -1) {
    if (typeof n !== 'number') throw typeError(`n must be a number, got ${describe(n)}`);
    if (n < 0) return this.readAll();
    const size = integerArgument(n, 'n', 0, MAX_READ);
    return this.#queued(async () => {
      this.#assertOpen();
      if (size === 0) return EMPTY;
      if (!(await this.#fill())) return EMPTY;
      const first = this.#take(size);
      if (first.length === size) return first;
      const parts = [first];
      let got = first.length;
      while (got < size && (await this.#fill())) {
        const piece = this.#take(size - got);
        parts.push(piece);
        got += piece.length;
      }
      return concatBytes(parts, got);
    });
  }

  /** Reads into `target` (any ArrayBufferView) until it is full or the stream ends; resolves to the bytes written. */
  readInto(target) {
    if (!ArrayBuffer.isView(target)) throw typeError(`target must be a Uint8Array or another ArrayBufferView, got ${describe(target)}`);
    const into = toUint8Array(target, 'target');
    return this.#queued(async () => {
      this.#assertOpen();
      let got = 0;
      while (got < into.length && (await this.#fill())) {
        const piece = this.#take(into.length - got);
        into.set(piece, got);
        got += piece.length;
      }
      return got;
    });
  }

  /** Reads everything left, as one Uint8Array. */
  readAll() {
    return this.#queued(async () => {
      this.#assertOpen();
      const parts = [];
      let got = 0;
      while (await this.#fill()) {
        const piece = this.#take(Infinity);
        parts.push(piece);
        got += piece.length;
      }
      return joinedBytes(parts, got);
    });
  }

  /** Bytes read so far (the position in the stream). */
  tell() {
    return this.#position;
  }

  /**
   * Moves to `position` by reading forward (there is no going back: a position before tell() is
   * a RangeError). Past the end, it stops at the end. Resolves to the new position.
   */
  seek(position) {
    const target = integerArgument(position, 'position', 0, MAX_READ);
    return this.#queued(async () => {
      this.#assertOpen();
      if (target < this.#position) {
        throw rangeError(`this stream only seeks forward: position ${target} is before the current one, ${this.#position}`);
      }
      while (this.#position < target && (await this.#fill())) this.#take(target - this.#position);
      return this.#position;
    });
  }

  /** True once close() has run. */
  get closed() {
    return this.#closed;
  }

  /** Stops reading and releases what the source holds (a decompressor's wasm memory). Safe to repeat. */
  close() {
    return this.#queued(async () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#current = EMPTY;
      if (!this.#ended) {
        this.#ended = true;
        try {
          await this.#chunks.return?.();
        } finally {
          for (const release of this.#releases) await release();
        }
      }
    });
  }

  /** The rest of the stream, chunk by chunk (as the source delivers it). */
  async *[Symbol.asyncIterator]() {
    for (;;) {
      const chunk = await this.#queued(async () => {
        this.#assertOpen();
        return (await this.#fill()) ? this.#take(Infinity) : null;
      });
      if (chunk === null) return;
      yield chunk;
    }
  }

  [ASYNC_DISPOSE]() {
    return this.close();
  }
}

/** python-zstandard's ZstdCompressionReader: reads the compressed form of its source. */
export class ZstdCompressionReader extends ZstdStreamReader {}

/** python-zstandard's ZstdDecompressionReader: reads the decompressed form of its source. */
export class ZstdDecompressionReader extends ZstdStreamReader {}
