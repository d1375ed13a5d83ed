// python-zstandard's incremental objects: compressobj(), decompressobj() and chunker(). Each
// owns a streaming session and releases it when it finishes (flush(FLUSH_FRAME), eof, finish()).
import { FLUSH_FRAME } from './constants.js';
import { ZstdError } from './errors.js';
import { asInput, copyOut, inputSize, wasmRegion } from './input.js';
import { compressContinue, finish, finishedError, flushDirective, runCompress, runDecompress } from './session.js';


// What the three objects share: a session, and the difference between finished (the work is
// done: ZstdError('invalid_state') on further use) and freed (ZstdError('freed')).
class StreamObject {
  #session;
  #state = 'live';

  constructor(session) {
    this.#session = session;
  }

  /** @internal the live session, or the right error. */
  _session() {
    if (this.#state === 'freed') throw new ZstdError('freed', `${this.constructor.name} was freed`);
    if (this.#state === 'finished') throw finishedError(`this ${this.constructor.name}`);
    return this.#session;
  }

  /** @internal releases the memory once the work is done. */
  _finish() {
    this.#session?.free();
    this.#session = null;
    this.#state = 'finished';
  }

  /** Releases the wasm memory now; later use throws ZstdError('freed'). */
  free() {
    this.#session?.free();
    this.#session = null;
    if (this.#state === 'live') this.#state = 'freed';
  }

  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() {
    this.free();
  }
}

export class ZstdCompressionObj extends StreamObject {
  /** Feeds data; returns whatever compressed output is ready (often empty). */
  compress(data) {
    const s = this._session();
    finish(s.push(data, compressContinue));
    return s.take();
  }

  /**
   * FLUSH_BLOCK: ends the current block, so all data so far can be decoded; may be repeated.
   * FLUSH_FRAME (default): ends the frame; the object is then finished.
   */
  flush(mode = FLUSH_FRAME) {
    const s = this._session();
    const directive = flushDirective(mode);
    finish(s.drain(runCompress(directive)));
    const out = s.take();
    if (directive === 2) this._finish();
    return out;
  }
}

export class ZstdDecompressionObj extends StreamObject {
  #across;
  #eof = false;
  #unused = new Uint8Array(0);

  /** @internal made by ZstdDecompressor.decompressobj() */
  constructor(session, readAcrossFrames) {
    super(session);
    this.#across = readAcrossFrames;
  }

  /** Feeds compressed data; returns the data it decodes to (possibly empty). */
  decompress(data) {
    if (this.#eof) throw new ZstdError('invalid_state', 'the frame has ended (eof); bytes after it are in unusedData');
    const s = this._session();
    const input = asInput(data);
    const region = wasmRegion(input);  // taken now: a view of wasm memory may not survive the run
    const across = this.#across;
    const consumed = finish(s.push(input, runDecompress(across), 0, across ? null : (h) => h.frameEnded()));
    const out = s.take();
    const total = inputSize(input);
    if (!across && consumed < total) {
      this.#unused = region !== null ? copyOut(region[0] + consumed, total - consumed) : input.slice(consumed);
    }
    if (!across && s._handle.frameEnded()) {
      this.#eof = true;
      this._finish();
    }
    return out;
  }

  /** Nothing is held back between calls: always empty (kept for python-zstandard's API). */
  flush() {
    return new Uint8Array(0);
  }

  /** True once the frame has ended (never when reading across frames). */
  get eof() {
    return this.#eof;
  }

  /** Bytes passed after the end of the frame. */
  get unusedData() {
    return this.#unused;
  }
}

/** Compressed output in chunks of exactly `chunkSize` bytes (the last of a frame may be shorter). */
export class ZstdCompressionChunker extends StreamObject {
  #size;
  #partial;
  #fill = 0;

  /** @internal made by ZstdCompressor.chunker() */
  constructor(session, chunkSize) {
    super(session);
    this.#size = chunkSize;
    this.#partial = new Uint8Array(chunkSize);
  }

  // Cuts output into full chunks, keeping the remainder for the next call.
  #cut(bytes, chunks) {
    for (let at = 0; at < bytes.length; ) {
      const k = Math.min(this.#size - this.#fill, bytes.length - at);
      this.#partial.set(bytes.subarray(at, at + k), this.#fill);
      this.#fill += k;
      at += k;
      if (this.#fill === this.#size) {
        chunks.push(this.#partial);
        this.#partial = new Uint8Array(this.#size);
        this.#fill = 0;
      }
    }
    return chunks;
  }

  #rest(chunks) {
    if (this.#fill > 0) chunks.push(this.#partial.slice(0, this.#fill));
    this.#fill = 0;
    return chunks;
  }

  /** Feeds data; returns the chunks completed so far (each exactly chunkSize bytes). */
  compress(data) {
    const s = this._session();
    finish(s.push(data, compressContinue));
    return this.#cut(s.take(), []);
  }

  /** Ends the current block: returns full chunks and then the rest as one shorter chunk. */
  flush() {
    const s = this._session();
    finish(s.drain(runCompress(1)));
    return this.#rest(this.#cut(s.take(), []));
  }

  /** Ends the frame: returns the remaining chunks, the last possibly shorter. Then finished. */
  finish() {
    const s = this._session();
    finish(s.drain(runCompress(2)));
    const chunks = this.#rest(this.#cut(s.take(), []));
    this._finish();
    return chunks;
  }
}
