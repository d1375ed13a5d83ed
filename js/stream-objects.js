// python-zstandard's incremental objects: compressobj(), decompressobj() and chunker(). Each is a
// streaming session of its own and releases it when it finishes (flush(FLUSH_FRAME), eof,
// finish()) or fails (a ZstdError, thrown again on later use).
import { FLUSH_FRAME } from './constants.js';
import { ZstdError } from './errors.js';
import { asInput, copyOut, inputSize, wasmRegion } from './input.js';
import { compressContinue, END, FLUSH, finish, flushDirective, runCompress, runDecompress, Session } from './session.js';

const flushRun = runCompress(FLUSH);
const endRun = runCompress(END);

export class ZstdCompressionObj extends Session {
  /** Feeds data; returns whatever compressed output is ready (often empty). */
  compress(data) {
    return this._guard(() => {
      finish(this._push(data, compressContinue));
      return this._take();
    });
  }

  /**
   * FLUSH_BLOCK: ends the current block, so all data so far can be decoded; may be repeated.
   * FLUSH_FRAME (default): ends the frame; the object is then finished.
   */
  flush(mode = FLUSH_FRAME) {
    this._assertLive();
    const directive = flushDirective(mode);
    const out = this._guard(() => {
      finish(this._drain(runCompress(directive)));
      return this._take();
    });
    if (directive === END) this._finish();
    return out;
  }
}

export class ZstdDecompressionObj extends Session {
  #across;
  #eof = false;
  #unused = new Uint8Array(0);

  /** @internal made by ZstdDecompressor.decompressobj() */
  constructor(handle, readAcrossFrames) {
    super(handle);
    this.#across = readAcrossFrames;
  }

  /** Feeds compressed data; returns the data it decodes to (possibly empty). */
  decompress(data) {
    if (this.#eof) throw new ZstdError('invalid_state', 'the frame has ended (eof); bytes after it are in unusedData');
    this._assertLive();
    const input = asInput(data);
    const region = wasmRegion(input); // taken now: a view of wasm memory may not survive the run
    const across = this.#across;
    const out = this._guard(() => {
      const consumed = finish(this._push(input, runDecompress(across), 0, across ? null : (h) => h.frameEnded()));
      const total = inputSize(input);
      if (!across && consumed < total) {
        this.#unused = region !== null ? copyOut(region[0] + consumed, total - consumed) : input.slice(consumed);
      }
      return this._take();
    });
    if (!across && this._frameEnded()) {
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
export class ZstdCompressionChunker extends Session {
  #size;
  #partial;
  #fill = 0;

  /** @internal made by ZstdCompressor.chunker() */
  constructor(handle, chunkSize) {
    super(handle);
    this.#size = chunkSize;
    this.#partial = new Uint8Array(chunkSize);
  }

  // Cuts output into full chunks, keeping the remainder for the next call.
  #cut(bytes, chunks) {
    for (let at = 0; at < bytes.length;) {
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

  #run(steps) {
    return this._guard(() => {
      finish(steps());
      return this.#cut(this._take(), []);
    });
  }

  /** Feeds data; returns the chunks completed so far (each exactly chunkSize bytes). */
  compress(data) {
    return this.#run(() => this._push(data, compressContinue));
  }

  /** Ends the current block: returns full chunks and then the rest as one shorter chunk. */
  flush() {
    return this.#rest(this.#run(() => this._drain(flushRun)));
  }

  /** Ends the frame: returns the remaining chunks, the last possibly shorter. Then finished. */
  finish() {
    const chunks = this.#rest(this.#run(() => this._drain(endRun)));
    this._finish();
    return chunks;
  }
}
