// ZstdStreamWriter: pushes a session's output into a sink (a WritableStream, a Node Writable, or
// any object with write(), sync or async), respecting its back-pressure; chunks never overtake
// a pending sink write.
import { typeError } from './errors.js';
import { compressContinue, END, FLUSH, flushDirective, runCompress, runDecompress, Session } from './session.js';

// A sink as two functions: write(chunk) -> undefined or a promise; close() -> maybe a promise.
export function sinkOf(sink) {
  if (sink === null || typeof sink !== 'object') {
    throw typeError('sink must be a WritableStream, a Node Writable or an object with write()');
  }
  if (typeof sink.getWriter === 'function') {
    const writer = sink.getWriter();
    return {
      write: (chunk) => writer.write(chunk),
      close: () => writer.close(),
      abort: (e) => writer.abort(e),
      release: () => writer.releaseLock(), // leaves the stream to its owner (closeSink false)
    };
  }
  if (typeof sink.write !== 'function') {
    throw typeError('sink must be a WritableStream, a Node Writable or an object with write()');
  }
  if (typeof sink.once === 'function' && typeof sink.end === 'function') {
    // Node Writable: write() says false when its buffer is full; wait for 'drain' then.
    const waitFor = (event) =>
      new Promise((resolve, reject) => {
        const done = () => {
          sink.off?.('error', fail);
          resolve();
        };
        const fail = (e) => {
          sink.off?.(event, done);
          reject(e);
        };
        sink.once(event, done);
        sink.once('error', fail);
      });
    return {
      write: (chunk) => (sink.write(chunk) ? undefined : waitFor('drain')),
      close: () => {
        const finished = waitFor('finish');
        sink.end();
        return finished;
      },
      // Destroyed as stream.pipeline would, but an 'error' event nobody listens to must not
      // become an uncaught exception: the caller gets the error from our promise.
      abort: (e) => {
        sink.once('error', () => {});
        sink.destroy?.(e);
      },
    };
  }
  return {
    write: (chunk) => sink.write(chunk),
    close: () => (typeof sink.close === 'function' ? sink.close() : typeof sink.end === 'function' ? sink.end() : undefined),
    abort: () => {},
  };
}

export const isThenable = (x) => x !== null && typeof x === 'object' && typeof x.then === 'function';

const endRun = runCompress(END);
const decodeRun = runDecompress(true);

/**
 * write()/flush() return the bytes handed to the sink: a number while the sink is synchronous, a
 * Promise<number> settled after the sink's own promise once it is not. A zstd error breaks the
 * writer for good (its memory goes at once); close() then aborts the sink and rejects with it.
 */
export class ZstdStreamWriter extends Session {
  #sink;
  #writeSize;
  #closeSink;
  #compress;
  #pending = null;
  #sinkDone = false; // closed, aborted or released
  #closed = false;
  #written = 0;
  #endRun;

  /**
   * @internal made by ZstdCompressor/ZstdDecompressor.streamWriter(), with the sink from sinkOf();
   * `finish`: the directive close() ends with (default END; a seekable writer's writes its table)
   */
  constructor(handle, sink, { writeSize, closeSink, compress, finish = END }) {
    super(handle);
    this.#sink = sink;
    this.#writeSize = writeSize;
    this.#closeSink = closeSink;
    this.#compress = compress;
    this.#endRun = finish === END ? endRun : runCompress(finish);
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten() {
    return this.#written;
  }

  #hand(chunks) {
    let total = 0;
    for (const chunk of chunks) {
      total += chunk.length;
      this.#written += chunk.length;
      if (this.#pending !== null) {
        this.#pending = this.#pending.then(() => this.#sink.write(chunk));
      } else {
        const r = this.#sink.write(chunk);
        if (isThenable(r)) this.#pending = Promise.resolve(r);
      }
    }
    return this.#pending !== null ? this.#pending.then(() => total) : total;
  }

  #collect(steps) {
    return this._guard(() => [...this._output(steps, this.#writeSize)]);
  }

  #endSink(how, error) {
    if (this.#sinkDone) return;
    this.#sinkDone = true;
    if (how === 'abort') this.#sink.abort?.(error);
    else this.#sink.release?.();
  }

  /** Compresses (or decompresses) data and hands the output to the sink. */
  write(data) {
    return this.#hand(this.#collect(this._push(data, this.#compress ? compressContinue : decodeRun, this.#writeSize)));
  }

  /**
   * Compressor: FLUSH_BLOCK (default) makes everything so far decodable; FLUSH_FRAME ends the
   * frame (later writes start a new one). Decompressor: nothing is held back; hands nothing.
   */
  flush(mode = undefined) {
    this._assertLive();
    if (!this.#compress) return this.#hand([]);
    const directive = mode === undefined ? FLUSH : flushDirective(mode);
    return this.#hand(this.#collect(this._drain(runCompress(directive), this.#writeSize)));
  }

  /**
   * Ends the frame (compressor) or checks the stream ended on a frame boundary (decompressor),
   * hands the rest to the sink and closes it (unless closeSink is false). Resolves once the
   * sink has every byte.
   */
  async close() {
    if (this.#closed) return this.#pending ?? undefined;
    let chunks;
    try {
      this._assertLive(); // a failed writer throws its failure, a freed one ZstdError('freed')
      chunks = this.#compress ? this.#collect(this._drain(this.#endRun, this.#writeSize)) : this._guard(() => (this._checkEnd(), []));
    } catch (e) {
      this.#endSink('abort', e); // (a freed writer released its sink already)
      throw e;
    }
    this.#closed = true;
    this._finish();
    await this.#hand(chunks);
    this.#sinkDone = true;
    if (this.#closeSink) await this.#sink.close();
    else this.#sink.release?.();
  }

  /** Gives up: releases the memory and aborts (or destroys) the sink with `error`. */
  abort(error) {
    if (!this.#closed) this.#endSink('abort', error);
    this.free();
  }

  /** Releases the wasm memory now (and a WritableStream's lock); later use throws ZstdError('freed'). */
  free() {
    this.#endSink('release');
    super.free();
  }
}
