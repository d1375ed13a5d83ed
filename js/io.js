// I/O objects in the manner of pyarrow's memory and IO interfaces: BufferReader and
// BufferOutputStream over bytes in JS memory (sync), CompressedInputStream and
// CompressedOutputStream over any source or sink the streaming APIs take (async, bounded memory),
// inputStream() / outputStream() choosing between raw and compressed by a '.zst' name, and
// python-zstandard's open(). This module is the same everywhere; Node's entry (node-io.js) adds
// paths.
import { FLUSH_BLOCK } from './constants.js';
import { ZstdCompressor } from './compressor.js';
import { ZstdDecompressor } from './decompressor.js';
import { rangeError, typeError, ZstdError } from './errors.js';
import { asInput, inputSize, isWasmBuffer, toUint8Array } from './input.js';
import {
  compressedInputOptions,
  compressedOutputOptions,
  describe,
  integerArgument,
  inputStreamOptions,
  openOptions,
  outputStreamOptions,
} from './options.js';
import { chunksOf } from './stream-io.js';
import { ASYNC_DISPOSE, ZstdDecompressionReader, ZstdStreamReader } from './stream-reader.js';
import { sinkOf } from './stream-writer.js';

const closedError = (self) => new ZstdError('invalid_state', `this ${self.constructor.name} is closed`);

/**
 * pyarrow's BufferReader: a file over bytes already in memory. read() returns views of them
 * (zero-copy); seek(position, whence) as a file's (0: from the start, 1: from here, 2: from the end).
 */
export class BufferReader {
  #bytes;
  #position = 0;
  #closed = false;

  /** @param data any data input (a WasmBuffer is copied out once: views of wasm memory do not last) */
  constructor(data) {
    this.#bytes = isWasmBuffer(data) ? data.toBytes() : toUint8Array(data, 'data');
  }

  /** Size of the buffer in bytes. */
  get size() {
    return this.#bytes.length;
  }

  /** Reads up to n bytes (all that is left without n), as a view of the buffer. */
  read(n = -1) {
    this.#assertOpen();
    const from = this.#position;
    const count = n === undefined || n < 0 ? this.#bytes.length - from : integerArgument(n, 'n', 0, Number.MAX_SAFE_INTEGER);
    const to = Math.min(this.#bytes.length, from + count);
    this.#position = to;
    return this.#bytes.subarray(from, to);
  }

  /** Moves to a position within [0, size]: RangeError outside. Returns the new position. */
  seek(position, whence = 0) {
    this.#assertOpen();
    const offset = integerArgument(position, 'position', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const base = whence === 0 ? 0 : whence === 1 ? this.#position : whence === 2 ? this.#bytes.length : NaN;
    if (Number.isNaN(base)) throw rangeError(`whence must be 0 (start), 1 (current) or 2 (end), got ${String(whence)}`);
    const to = base + offset;
    if (to < 0 || to > this.#bytes.length) throw rangeError(`position ${to} is outside the buffer [0, ${this.#bytes.length}]`);
    this.#position = to;
    return to;
  }

  /** The current position. */
  tell() {
    return this.#position;
  }

  get closed() {
    return this.#closed;
  }

  close() {
    this.#closed = true;
  }

  /** The rest of the buffer in views of up to 1 MiB, advancing the position: a BufferReader is a source for every streaming API. */
  *[Symbol.iterator]() {
    while (this.#position < this.#bytes.length) yield this.read(1 << 20);
  }

  #assertOpen() {
    if (this.#closed) throw closedError(this);
  }
}

/**
 * pyarrow's BufferOutputStream: writes collect in memory; getValue() returns them. It is a sink
 * too (write(u8), close()), so compressed streams can write into it.
 */
export class BufferOutputStream {
  #buffer = new Uint8Array(256);
  #length = 0;
  #closed = false;

  /** Appends data (any data input); returns the bytes written. */
  write(data) {
    if (this.#closed) throw closedError(this);
    const bytes = isWasmBuffer(data) ? data.toBytes() : toUint8Array(data, 'data');
    const end = this.#length + bytes.length;
    if (end > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(end, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.#length);
    this.#length = end;
    return bytes.length;
  }

  /** Bytes written so far. */
  tell() {
    return this.#length;
  }

  /** Everything written so far, as a view (no copy; later writes do not change it). */
  getValue() {
    return this.#buffer.subarray(0, this.#length);
  }

  get closed() {
    return this.#closed;
  }

  /** No more writes (getValue() still works). */
  close() {
    this.#closed = true;
  }
}

/**
 * pyarrow's CompressedOutputStream: compresses what is written into `sink` (a WritableStream, a
 * Node Writable or any object with write()), one zstd frame, awaiting the sink (bounded memory).
 * Options: ZstdCompressor's, and size, writeSize, closeSink as streamWriter's.
 */
export class CompressedOutputStream {
  #writer;
  #written = 0;

  constructor(sink, options = undefined) {
    const o = compressedOutputOptions(options);
    const c = new ZstdCompressor(o.compressor);
    try {
      this.#writer = c.streamWriter(sink, o.writer); // a context of its own: c can go
    } finally {
      c.free();
    }
  }

  /** Compresses data into the sink; resolves to its size in bytes once the sink has taken the output. */
  async write(data) {
    const input = asInput(data);
    await this.#writer.write(input);
    const n = inputSize(input);
    this.#written += n;
    return n;
  }

  /** Makes everything written so far decodable from what the sink has (ends the current block). */
  async flush() {
    await this.#writer.flush(FLUSH_BLOCK);
  }

  /** Uncompressed bytes written so far. */
  tell() {
    return this.#written;
  }

  /** Compressed bytes handed to the sink so far. */
  get bytesWritten() {
    return this.#writer.bytesWritten;
  }

  /** True once closed (or aborted, or broken by an error). */
  get closed() {
    return this.#writer.freed;
  }

  /** Ends the frame and closes the sink (unless closeSink is false). */
  close() {
    return this.#writer.close();
  }

  /** Gives up: the memory goes, the sink is aborted. */
  abort(reason) {
    this.#writer.abort(reason);
  }

  [ASYNC_DISPOSE]() {
    return this.closed ? Promise.resolve() : this.close();
  }
}

/**
 * pyarrow's CompressedInputStream: reads the decompressed form of `source` (any source readToIter()
 * takes, or a Blob): await read(n) (empty at the end), readAll(), readInto(), tell(), forward
 * seek(), close(). Options: ZstdDecompressor's, and readSize, readAcrossFrames.
 */
export class CompressedInputStream extends ZstdDecompressionReader {
  constructor(source, options = undefined) {
    const o = compressedInputOptions(options);
    const d = new ZstdDecompressor(o.decompressor);
    let parts;
    try {
      parts = d._readerParts(sourceOf(source), o.reader); // a context of its own: d can go
    } finally {
      d.free();
    }
    super(parts.chunks, parts.release);
  }
}

/**
 * A raw (uncompressed) output stream over a sink, with CompressedOutputStream's methods: what
 * outputStream() returns for a target that is not compressed.
 */
export class OutputStream {
  #sink;
  #closeSink;
  #pending = Promise.resolve();
  #written = 0;
  #closed = false;

  constructor(sink, { closeSink = true } = {}) {
    this.#sink = sinkOf(sink);
    this.#closeSink = closeSink;
  }

  /** Hands data to the sink (after what came before); resolves to its size once the sink took it. */
  write(data) {
    if (this.#closed) return Promise.reject(closedError(this));
    const bytes = isWasmBuffer(data) ? data.toBytes() : toUint8Array(data, 'data');
    this.#written += bytes.length;
    const done = this.#pending.then(() => this.#sink.write(bytes));
    this.#pending = done;
    return done.then(() => bytes.length);
  }

  /** Resolves once the sink has taken everything written. */
  async flush() {
    await this.#pending;
  }

  tell() {
    return this.#written;
  }

  get bytesWritten() {
    return this.#written;
  }

  get closed() {
    return this.#closed;
  }

  /** Waits for pending writes, then closes the sink (unless closeSink is false). */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#pending;
    } catch (e) {
      this.#sink.abort(e);
      throw e;
    }
    if (this.#closeSink) await this.#sink.close();
    else this.#sink.release?.();
  }

  abort(reason) {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink.abort(reason);
  }

  [ASYNC_DISPOSE]() {
    return this.close();
  }
}

/** True for a Blob (or File) of any realm. */
export function isBlob(value) {
  return value !== null && typeof value === 'object' && typeof value.stream === 'function' && typeof value.size === 'number';
}

/** A streaming source for `source`: a Blob becomes its stream(); anything else is what readToIter() takes. */
export function sourceOf(source) {
  return isBlob(source) ? source.stream() : source;
}

const isZstName = (name) => typeof name === 'string' && /\.zst$/i.test(name);

/**
 * An input stream over `source` as it is (raw) or decompressed: the shared part of inputStream().
 * `name` (a path, a File's name) is what 'detect' looks at.
 * @internal
 */
export function openInput(source, o, name = isBlob(source) ? source.name : undefined) {
  const compressed = o.compression === 'zstd' || (o.compression === 'detect' && isZstName(name));
  if (compressed) return new CompressedInputStream(source, { ...o.decompressor, ...o.reader });
  const chunks = chunksOf(sourceOf(source), o.reader.readSize ?? 1 << 20);
  return new ZstdStreamReader(chunks, () => void chunks.return());
}

/** An output stream into `sink`, raw or compressed: the shared part of outputStream(). @internal */
export function openOutput(sink, o, name = undefined) {
  const compressed = o.compression === 'zstd' || (o.compression === 'detect' && isZstName(name));
  if (compressed) return new CompressedOutputStream(sink, { ...o.compressor, ...o.writer });
  return new OutputStream(sink, { closeSink: o.writer.closeSink ?? true });
}

const pathsNeedNode = (what) =>
  typeError(`${what}: a path names a file, and files are opened in Node only; pass bytes, a Blob, a stream or a sink`);

/**
 * pyarrow's input_stream(): a readable over bytes, a Blob or File, or a stream (what readToIter()
 * takes), raw unless compression is 'zstd' or, with 'detect' (the default), a File's name ends
 * in '.zst'. (Node's entry also takes paths.)
 * @returns {Promise<ZstdStreamReader>}
 */
export async function inputStream(source, options = undefined) {
  const o = inputStreamOptions(options);
  if (typeof source === 'string' || source instanceof URL) throw pathsNeedNode('inputStream()');
  return openInput(source, o);
}

/**
 * pyarrow's output_stream(): a writable into a sink (a WritableStream, a Node Writable or any
 * object with write()), raw unless compression is 'zstd'. (Node's entry also takes paths, and
 * compresses to a '.zst' one.)
 * @returns {Promise<CompressedOutputStream | OutputStream>}
 */
export async function outputStream(sink, options = undefined) {
  const o = outputStreamOptions(options);
  if (typeof sink === 'string' || sink instanceof URL) throw pathsNeedNode('outputStream()');
  return openOutput(sink, o);
}

/**
 * Text over a decompressing reader (open() with an encoding): read(n) returns up to n characters
 * (UTF-16 code units), readLine() one line with its '\n', and the reader iterates over lines.
 */
export class ZstdTextReader {
  #reader;
  #decoder;
  #text = ''; // decoded, not yet returned from #at on
  #at = 0;
  #ended = false;

  /** @internal `encoding` checked by checkEncoding() */
  constructor(reader, encoding) {
    this.#reader = reader;
    this.#decoder = new TextDecoder(encoding);
  }

  get #available() {
    return this.#text.length - this.#at;
  }

  // Decodes more text; false at the end.
  async #more() {
    if (this.#ended) return false;
    const bytes = await this.#reader.read(1 << 16);
    const rest = this.#text.slice(this.#at);
    this.#at = 0;
    if (bytes.length === 0) {
      this.#ended = true;
      this.#text = rest + this.#decoder.decode();
      return this.#text.length > 0;
    }
    this.#text = rest + this.#decoder.decode(bytes, { stream: true });
    return true;
  }

  #cut(n) {
    const out = this.#text.slice(this.#at, this.#at + n);
    this.#at += out.length;
    return out;
  }

  /** Up to n characters (all the rest without n); '' at the end. */
  async read(n = -1) {
    if (n === undefined || n < 0) return this.readAll();
    const count = integerArgument(n, 'n', 0, Number.MAX_SAFE_INTEGER);
    while (this.#available < count && (await this.#more()));
    return this.#cut(count);
  }

  /** The rest of the text. */
  async readAll() {
    while (await this.#more());
    return this.#cut(this.#available);
  }

  /** The next line, with its '\n' (the last line may have none); '' at the end. */
  async readLine() {
    let from = this.#at;
    let end;
    while ((end = this.#text.indexOf('\n', from)) < 0) {
      from = this.#text.length - this.#at; // searched so far, relative to what #more() keeps
      if (!(await this.#more())) return this.#cut(this.#available);
      from += this.#at;
    }
    return this.#cut(end + 1 - this.#at);
  }

  /** Bytes of decompressed data read so far. */
  tell() {
    return this.#reader.tell();
  }

  get closed() {
    return this.#reader.closed;
  }

  close() {
    return this.#reader.close();
  }

  async *[Symbol.asyncIterator]() {
    for (let line = await this.readLine(); line !== ''; line = await this.readLine()) yield line;
  }

  [ASYNC_DISPOSE]() {
    return this.close();
  }
}

const UTF8 = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);
const encoder = new TextEncoder();

/** Text into a compressing writer (open() with an encoding, which must be UTF-8): write(string). */
export class ZstdTextWriter {
  #writer;

  /** @internal `encoding` checked by checkEncoding() */
  constructor(writer) {
    this.#writer = writer;
  }

  /** Compresses the text's UTF-8 bytes; resolves to the characters written. */
  async write(text) {
    if (typeof text !== 'string') throw typeError(`text must be a string, got ${describe(text)}`);
    await this.#writer.write(encoder.encode(text));
    return text.length;
  }

  /** Makes everything so far decodable (FLUSH_BLOCK) or ends the frame (FLUSH_FRAME). */
  async flush(mode = FLUSH_BLOCK) {
    await this.#writer.flush(mode);
  }

  get closed() {
    return this.#writer.freed;
  }

  close() {
    return this.#writer.close();
  }

  [ASYNC_DISPOSE]() {
    return this.closed ? Promise.resolve() : this.close();
  }
}

/**
 * Throws for an encoding open() cannot use in `mode` (before any file is opened): reading takes
 * what TextDecoder knows, writing UTF-8 only. @internal
 */
export function checkEncoding({ mode, encoding }) {
  if (encoding === undefined) return;
  if (mode !== 'r') {
    if (!UTF8.has(encoding.toLowerCase())) throw rangeError(`text is written as UTF-8 only, not '${encoding}'`);
    return;
  }
  try {
    new TextDecoder(encoding);
  } catch {
    throw rangeError(`encoding '${encoding}' is not one TextDecoder knows`);
  }
}

/**
 * The reader or writer open() returns for a source (mode 'r') or sink (modes 'w', 'a'), with
 * text over it when an encoding is given. @internal
 */
export function openOn(target, o, { release = null } = {}) {
  if (o.mode === 'r') {
    const d = new ZstdDecompressor(o.decompressor);
    let reader;
    try {
      reader = d.streamReader(sourceOf(target));
    } finally {
      d.free();
    }
    if (release !== null) reader._addRelease(release);
    return o.encoding === undefined ? reader : new ZstdTextReader(reader, o.encoding);
  }
  const c = new ZstdCompressor(o.compressor);
  let writer;
  try {
    writer = c.streamWriter(target);
  } finally {
    c.free();
  }
  return o.encoding === undefined ? writer : new ZstdTextWriter(writer);
}

/**
 * python-zstandard's zstandard.open(): a decompressing reader (mode 'r', the default) or a
 * compressing writer (modes 'w' and 'a') on a file; text in and out with `encoding`. Here: a
 * Blob or File (read-only), or any source (mode 'r') or sink ('w'). Node's entry opens paths.
 */
export async function open(file, options = undefined) {
  const o = openOptions(options);
  checkEncoding(o);
  if (typeof file === 'string' || file instanceof URL) throw pathsNeedNode('open()');
  if (o.mode !== 'r' && isBlob(file)) throw typeError(`open(): a ${describe(file)} is read-only: open it with mode 'r'`);
  if (o.mode === 'a') throw typeError("open(): mode 'a' appends to a file: it needs a path (in Node)");
  return openOn(file, o);
}
