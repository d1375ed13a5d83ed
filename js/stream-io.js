// Streaming between sources and sinks: readToIter (an async iterable of output chunks),
// streamWriter (pushes output into a sink, respecting its back-pressure) and copyStream.
// Sources: any data input, a ReadableStream, a Node Readable or any (async) iterable of chunks.
// Sinks: a WritableStream, a Node Writable, or any object with write() (sync or async).
import { ZstdError, throwLastError } from './errors.js';
import { isWasmBuffer, toUint8Array } from './input.js';
import { heap, wasm } from './runtime.js';
import { compressContinue, flushDirective, runCompress, runDecompress } from './session.js';

function isDataInput(source) {
  if (typeof source === 'string' || ArrayBuffer.isView(source)) return true;
  const tag = Object.prototype.toString.call(source);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

/** The chunks of a source, each a Uint8Array; data inputs are cut into readSize pieces. */
export async function* chunksOf(source, readSize) {
  if (isWasmBuffer(source)) {
    const [ptr, length] = source._wasmRegion();
    // A fresh view each time: memory may grow between pieces.
    for (let at = 0; at < length; at += readSize) yield heap().subarray(ptr + at, ptr + Math.min(length, at + readSize));
    return;
  }
  if (isDataInput(source)) {
    const bytes = toUint8Array(source, 'source');
    for (let at = 0; at < bytes.length; at += readSize) yield bytes.subarray(at, Math.min(bytes.length, at + readSize));
    return;
  }
  if (source !== null && typeof source === 'object' && typeof source.getReader === 'function') {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield toUint8Array(value, 'a chunk of source');
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (source !== null && typeof source === 'object' && (Symbol.asyncIterator in source || Symbol.iterator in source)) {
    for await (const chunk of source) yield toUint8Array(chunk, 'a chunk of source');
    return;
  }
  throw new TypeError('source must be data, a ReadableStream, a Node Readable or an (async) iterable of chunks');
}

/** Compressed chunks of `source`, as python-zstandard's read_to_iter. */
export async function* compressToIter(session, source, readSize, writeSize) {
  try {
    for await (const chunk of chunksOf(source, readSize)) {
      yield* session.output(session.push(chunk, compressContinue, writeSize), writeSize);
    }
    yield* session.output(session.drain(runCompress(2), writeSize), writeSize);
  } finally {
    session.free();
  }
}

/** Decompressed chunks of `source`; a stream that ends inside a frame is a ZstdError. */
export async function* decompressToIter(session, source, { readSize, writeSize, skipBytes, across }) {
  const run = runDecompress(across);
  const stop = across ? null : (h) => h.frameEnded();
  let skip = skipBytes;
  try {
    for await (let chunk of chunksOf(source, readSize)) {
      if (skip > 0) {
        const k = Math.min(skip, chunk.length);
        skip -= k;
        chunk = chunk.subarray(k);
        if (chunk.length === 0) continue;
      }
      yield* session.output(session.push(chunk, run, writeSize, stop), writeSize);
      if (!across && session._handle.frameEnded()) return;
    }
    if (!session._handle.checkEnd()) throwLastError(wasm());
  } finally {
    session.free();
  }
}

// A sink as two functions: write(chunk) -> undefined or a promise; close() -> maybe a promise.
function sinkOf(sink) {
  if (sink === null || typeof sink !== 'object') {
    throw new TypeError('sink must be a WritableStream, a Node Writable or an object with write()');
  }
  if (typeof sink.getWriter === 'function') {
    const writer = sink.getWriter();
    return {
      write: (chunk) => writer.write(chunk),
      close: () => writer.close(),
      abort: (e) => writer.abort(e),
      release: () => writer.releaseLock(),  // leaves the stream to its owner (closeSink false)
    };
  }
  if (typeof sink.write !== 'function') {
    throw new TypeError('sink must be a WritableStream, a Node Writable or an object with write()');
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

const isThenable = (x) => x !== null && typeof x === 'object' && typeof x.then === 'function';

/**
 * Pushes a session's output into a sink. write()/flush() return the bytes handed to the sink:
 * a number while the sink is synchronous, a Promise<number> settled after the sink's own
 * promise once it is not; chunks never overtake a pending sink write.
 */
export class StreamWriter {
  #session;
  #sink;
  #writeSize;
  #closeSink;
  #compress;
  #pending = null;
  #state = 'live';  // 'closed' after close(), 'freed' after free()
  #failure = null;  // the error of a failed write or flush: the stream is broken from then on
  #written = 0;

  /** @internal made by ZstdCompressor/ZstdDecompressor.streamWriter() */
  constructor(session, sink, { writeSize, closeSink, compress }) {
    this.#sink = sinkOf(sink);
    this.#session = session;
    this.#writeSize = writeSize;
    this.#closeSink = closeSink;
    this.#compress = compress;
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten() {
    return this.#written;
  }

  #live() {
    if (this.#failure !== null) throw this.#failure;
    if (this.#state === 'freed') throw new ZstdError('freed', 'this streamWriter was freed');
    if (this.#state === 'closed') throw new ZstdError('invalid_state', 'this streamWriter is closed');
    return this.#session;
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
    return [...this.#session.output(steps, this.#writeSize)];
  }

  /** Compresses (or decompresses) data and hands the output to the sink. */
  write(data) {
    const s = this.#live();
    const run = this.#compress ? compressContinue : runDecompress(true);
    return this.#hand(this.#failing(() => this.#collect(s.push(data, run, this.#writeSize))));
  }

  // Runs fn; a zstd error breaks the writer for good (a TypeError for a bad argument does not).
  #failing(fn) {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ZstdError) this.#failure = e;
      throw e;
    }
  }

  /**
   * Compressor: FLUSH_BLOCK (default) makes everything so far decodable; FLUSH_FRAME ends the
   * frame (later writes start a new one). Decompressor: nothing is held back; hands nothing.
   */
  flush(mode = undefined) {
    const s = this.#live();
    if (!this.#compress) return this.#hand([]);
    const directive = mode === undefined ? 1 : flushDirective(mode);
    return this.#hand(this.#failing(() => this.#collect(s.drain(runCompress(directive), this.#writeSize))));
  }

  /**
   * Ends the frame (compressor) or checks the stream ended on a frame boundary (decompressor),
   * hands the rest to the sink and closes it (unless closeSink is false). Resolves once the
   * sink has every byte.
   */
  async close() {
    if (this.#state === 'closed' && this.#failure === null) return this.#pending ?? undefined;
    if (this.#failure !== null) {
      this.abort(this.#failure);
      throw this.#failure;
    }
    const s = this.#live();
    let chunks = [];
    let failure = null;
    try {
      if (this.#compress) chunks = this.#collect(s.drain(runCompress(2), this.#writeSize));
      else if (!s._handle.checkEnd()) throwLastError(wasm());
    } catch (e) {
      failure = e;
    } finally {
      this.#state = 'closed';
      s.free();
    }
    if (failure !== null) {
      this.#sink.abort?.(failure);
      throw failure;
    }
    await this.#hand(chunks);
    if (this.#closeSink) await this.#sink.close();
    else this.#sink.release?.();
  }

  /** Gives up: releases the memory and aborts (or destroys) the sink with `error`. */
  abort(error) {
    if (this.#state === 'live') {
      this.#state = 'closed';
      this.#sink.abort?.(error);
    }
    this.#session.free();
  }

  /** Releases the wasm memory now (and a WritableStream's lock); later use throws ZstdError('freed'). */
  free() {
    if (this.#state === 'live') {
      this.#state = 'freed';
      this.#sink.release?.();
    }
    this.#session.free();
  }

  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() {
    this.free();
  }
}

/** copyStream(): source -> writer, awaiting the sink; ends the sink. */
export async function copyThrough(source, writer, readSize) {
  let bytesRead = 0;
  try {
    for await (const chunk of chunksOf(source, readSize)) {
      bytesRead += chunk.length;
      const r = writer.write(chunk);
      if (isThenable(r)) await r;
    }
    await writer.close();
  } catch (e) {
    writer.abort(e);  // the sink is aborted whatever failed: the source, the data or the sink
    throw e;
  } finally {
    writer.free();
  }
  return { bytesRead, bytesWritten: writer.bytesWritten };
}
