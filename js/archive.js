// .tar.zst archives, streaming in bounded memory, the same in browsers, workers and Node: the tar
// layer is modern-tar's (POSIX ustar with pax headers for long names, large sizes and UTF-8),
// the zstd layer zstd-kit's streams. tarZst() packs entries into a ReadableStream; untarZst()
// reads entries back, each with its body as a stream. Tar's own errors become ZstdErrors: an
// archive that ends early is 'src_size_wrong' (never a silently short listing), anything else
// that is not tar 'corruption_detected'.
import { ZstdDecompressor } from './decompressor.js';
import { rangeError, typeError, ZstdError } from './errors.js';
import { joinedBytes, toUint8Array } from './input.js';
import { isBlob } from './io.js';
import { archiveEntryObject, describe, integerOption, tarZstOptions, untarZstOptions } from './options.js';
import { ZstdCompressionParameters } from './parameters.js';
import { features } from './runtime.js';
import { chunksOf } from './stream-io.js';
import { seekableTransform } from './seekable.js';
import { compressTransform } from './stream-adapter.js';

// modern-tar is loaded on first use (a chunk of its own in the browser build): a page that never
// packs or unpacks an archive does not download it. The literal specifier lets bundlers see it.
const tarLibrary = () => import('modern-tar');

const TYPES = new Set(['file', 'directory', 'symlink', 'link']);
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/** A modern-tar header and body for one entry of tarZst(): a File, or an object as the contract says. */
function tarEntryOf(entry) {
  if (isBlob(entry) && typeof entry.name === 'string') {
    const name = entry.webkitRelativePath || entry.name;
    return { header: header({ name, type: 'file', size: entry.size, mtime: entry.lastModified }), body: entry };
  }
  const o = archiveEntryObject(entry);
  const type = o.type ?? 'file';
  if (!TYPES.has(type)) throw rangeError(`entry type must be 'file', 'directory', 'symlink' or 'link', got ${String(type)}`);
  const given = ['data', 'stream', 'body'].filter((k) => o[k] !== undefined);
  if (given.length > 1) throw typeError(`entry "${o.name}": give one of data, stream and body, not ${given.join(' and ')}`);
  if (type !== 'file') {
    if (given.length > 0) throw typeError(`entry "${o.name}": a ${type} has no ${given[0]}`);
    if (type !== 'directory' && typeof o.linkname !== 'string') {
      throw typeError(`entry "${o.name}": a ${type} needs a linkname (a string), got ${describe(o.linkname)}`);
    }
    return { header: header({ ...o, type, size: 0 }), body: null };
  }
  let body = null;
  let size = o.size;
  if (o.data !== undefined) {
    if (isBlob(o.data)) {
      body = o.data;
      size ??= o.data.size;
      if (size !== o.data.size) throw rangeError(`entry "${o.name}": size ${size} differs from its Blob's ${o.data.size} bytes`);
    } else {
      body = toUint8Array(o.data, `entry "${o.name}": data`);
      size ??= body.length;
      if (size !== body.length) throw rangeError(`entry "${o.name}": size ${size} differs from its data's ${body.length} bytes`);
    }
  } else if (given.length === 1) {
    body = o[given[0]];
    if (size === undefined) throw typeError(`entry "${o.name}": a ${given[0]} needs the entry's size (tar writes it before the data)`);
  } else {
    size ??= 0;
  }
  return { header: header({ ...o, type, size }), body };
}

/** @internal The modern-tar header of a checked entry object. */
export function header(o) {
  if (typeof o.name !== 'string' || o.name === '') throw typeError(`an entry needs a name (a non-empty string), got ${describe(o.name)}`);
  const size = integerOption(o.size, `entry "${o.name}": size`, 0, MAX_SIZE, 0);
  const defaultMode = o.type === 'directory' ? 0o755 : o.type === 'symlink' ? 0o777 : 0o644;
  const mode = integerOption(o.mode, `entry "${o.name}": mode`, 0, 0o7777, defaultMode);
  let mtime = o.mtime ?? Date.now();
  if (typeof mtime === 'number') mtime = new Date(mtime);
  if (!(mtime instanceof Date)) throw typeError(`entry "${o.name}": mtime must be a Date or milliseconds, got ${describe(o.mtime)}`);
  if (Number.isNaN(mtime.getTime()) || mtime.getTime() < 0)
    throw rangeError(`entry "${o.name}": mtime ${String(o.mtime)} is not a time tar can store`);
  const name = o.type === 'directory' && !o.name.endsWith('/') ? `${o.name}/` : o.name;
  return { name, size, mode, mtime, type: o.type, linkname: o.linkname ?? '', uid: 0, gid: 0, uname: '', gname: '' };
}

/** @internal The chunks of an entry's body (bytes, a Blob, a ReadableStream or an (async) iterable); a stream is cancelled when left early. */
export async function* bodyChunks(body) {
  if (body === null) return;
  if (body instanceof Uint8Array) {
    if (body.length > 0) yield body;
    return;
  }
  const source = isBlob(body) ? body.stream() : body;
  if (typeof source?.getReader === 'function') {
    const reader = source.getReader();
    let done = false;
    try {
      for (;;) {
        const step = await reader.read();
        if (step.done) {
          done = true;
          return;
        }
        yield toUint8Array(step.value, 'a chunk of an entry body');
      }
    } finally {
      if (!done) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  yield* chunksOf(source, 1 << 20);
}

/** Feeds every entry into modern-tar's packer; the first error ends the archive with it. */
async function packEntries(entries, controller) {
  try {
    if (entries === null || typeof entries !== 'object' || !(Symbol.asyncIterator in entries || Symbol.iterator in entries)) {
      throw typeError(`entries must be an (async) iterable of Files or entry objects, got ${describe(entries)}`);
    }
    for await (const entry of entries) {
      const { header, body } = tarEntryOf(entry);
      const writer = controller.add(header).getWriter();
      let written = 0;
      for await (const chunk of bodyChunks(body)) {
        written += chunk.length;
        if (written > header.size) break;
        await writer.write(chunk);
      }
      if (written !== header.size) {
        const got = written > header.size ? `more than ${header.size}` : String(written);
        throw new ZstdError('src_size_wrong', `entry "${header.name}": its size is ${header.size} bytes, its body gave ${got}`);
      }
      await writer.close();
    }
    controller.finalize();
  } catch (e) {
    controller.error(e);
  }
}

// Tar bytes are gathered into pieces of this size before they are compressed: modern-tar emits
// a header, a body and its padding as separate chunks, and one compression step per 512-byte
// header would cost more than the compression itself.
const GATHER_BYTES = 1 << 20;

/**
 * @internal The tar stream of `entries` (tarZst()'s) from modern-tar's packer, resolving to a
 * ReadableStream of its chunks; the first bad entry errors it.
 */
export async function tarStream(entries) {
  const { readable, controller } = (await tarLibrary()).createTarPacker();
  void packEntries(entries, controller);
  return readable;
}

/**
 * A .tar.zst archive of `entries` (an (async) iterable of Files or of { name, data | stream |
 * body, size, mode, mtime, type, linkname }), as a ReadableStream of its bytes: entries are read
 * one at a time as the stream is read, so memory stays bounded whatever their sizes.
 * @param {{ level?: number, threads?: number, seekable?: boolean, frameSize?: number }} [options] seekable:
 *   the seekable format (frames of frameSize bytes of the tar stream, default 1 MiB)
 * @returns {ReadableStream<Uint8Array>}
 */
export function tarZst(entries, options = undefined) {
  const o = tarZstOptions(options);
  return compressedTar(o, async () => (await tarStream(entries)).getReader());
}

// With threads, zstd compresses jobs of JOB_BYTES of tar stream at a time (its default is four
// windows, 8 MiB at level 3): a worker starts once a job is full and the last job is compressed
// while everything else waits, so smaller jobs keep the workers busy for more of the archive
// (37.5 MiB of small files, threads 2: ~25% faster than 8 MiB jobs, 0.1% larger).
const JOB_BYTES = 4 << 20;

/** The compressor options of tarZstOptions()'s `o`: the level's parameters with JOB_BYTES jobs when threaded. */
function threadedOptions(o) {
  // (The single-threaded build has no jobs: zstd there takes no job size.)
  if (o.threads === 0 || !features.threads) return { level: o.level, threads: o.threads };
  const params = ZstdCompressionParameters.fromLevel(o.level).toJSON();
  const jobSize = Math.min(JOB_BYTES, 2 ** Math.max(20, params.windowLog + 2)); // never more than zstd's own
  return { compressionParams: new ZstdCompressionParameters({ ...params, jobSize }), threads: o.threads };
}

/**
 * @internal A .tar.zst as a ReadableStream: the tar bytes of the reader openTar() gives (or
 * resolves to: read() -> { done, value }, cancel(reason), and optionally recycle(chunks), told of
 * chunks that were compressed and may be written over), compressed as `o` (tarZstOptions()'s)
 * says. openTar() is called on the first pull.
 */
export function compressedTar(o, openTar) {
  // Seekable: frames of frameSize bytes of tar stream and a seek table, so openSeekable() can
  // read any member's bytes without decompressing what comes before.
  const spec = o.seekable
    ? seekableTransform({ level: o.level, threads: o.threads, frameSize: o.frameSize }, 'tarZst()')
    : compressTransform(threadedOptions(o), 'tarZst()');
  let tar = null; // the tar bytes' reader: made on the first pull (modern-tar loads then)
  return new ReadableStream(
    {
      // Runs until some output is out (or the end): a pull that enqueues nothing is not called
      // again, and a threaded compressor may take several pieces before it gives any.
      async pull(out) {
        try {
          tar ??= await openTar();
        } catch (e) {
          spec.release();
          throw e;
        }
        let emitted = false;
        const emit = (bytes) => {
          emitted = true;
          out.enqueue(bytes);
        };
        try {
          while (!emitted) {
            const parts = [];
            let size = 0;
            while (size < GATHER_BYTES) {
              const step = await tar.read();
              if (step.done) {
                if (size > 0) spec.transform(joinedBytes(parts, size), emit);
                spec.flush(emit);
                out.close();
                return;
              }
              parts.push(step.value);
              size += step.value.length;
            }
            spec.transform(joinedBytes(parts, size), emit);
            tar.recycle?.(parts); // copied into wasm memory by now
          }
        } catch (e) {
          spec.release();
          void tar.cancel(e).catch(() => {});
          throw e;
        }
      },
      cancel(reason) {
        spec.release();
        return tar?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

// A ZstdError for what modern-tar threw (a ZstdError of the zstd layer passes as it is).
function tarError(e) {
  if (e instanceof ZstdError || e instanceof TypeError || e instanceof RangeError) return e;
  const message = String(e?.message ?? e);
  if (/truncated/i.test(message)) {
    return new ZstdError('src_size_wrong', 'the archive ends early: the tar stream stops before its end (truncated)', { cause: e });
  }
  return new ZstdError('corruption_detected', `not a valid tar stream: ${message}`, { cause: e });
}

const textDecoder = new TextDecoder();

/**
 * One entry as untarZst() yields it. The body is read through `reader` (modern-tar's); `body`
 * (a ReadableStream), bytes() and text() all read that one body, once.
 */
class TarEntry {
  #reader;
  #body = null;
  #used = false;
  #finished = false;
  #controller = null;

  constructor(h, reader) {
    this.name = h.type === 'directory' ? h.name.replace(/\/+$/, '') : h.name;
    this.type = h.type;
    this.size = h.size;
    this.mode = h.mode;
    this.mtime = h.mtime;
    this.linkname = h.linkname ?? '';
    this.uid = h.uid ?? 0;
    this.gid = h.gid ?? 0;
    this.uname = h.uname ?? '';
    this.gname = h.gname ?? '';
    this.#reader = reader;
  }

  #claim() {
    if (this.#used)
      throw new ZstdError('invalid_state', `the body of "${this.name}" is read already: use one of body, bytes() and text(), once`);
    this.#used = true;
  }

  /** @internal Reads the next chunk of the body (null at its end). */
  async _read() {
    if (this.#finished) return null;
    let step;
    try {
      step = await this.#reader.read();
    } catch (e) {
      this.#finished = true;
      throw tarError(e);
    }
    if (step.done) {
      this.#finished = true;
      return null;
    }
    return step.value;
  }

  /** The body as a ReadableStream (read it, or cancel it, before asking for the next entry). */
  get body() {
    if (this.#body === null) {
      this.#claim();
      this.#body = new ReadableStream(
        {
          start: (controller) => {
            this.#controller = controller;
          },
          pull: async (controller) => {
            const chunk = await this._read();
            if (chunk === null) controller.close();
            else controller.enqueue(chunk);
          },
          cancel: () => this._skip(),
        },
        { highWaterMark: 0 },
      );
    }
    return this.#body;
  }

  /** The whole body, as one Uint8Array. */
  async bytes() {
    this.#claim();
    const parts = [];
    let total = 0;
    for (let chunk = await this._read(); chunk !== null; chunk = await this._read()) {
      parts.push(chunk);
      total += chunk.length;
    }
    return joinedBytes(parts, total);
  }

  /** The whole body, decoded as UTF-8. */
  async text() {
    return textDecoder.decode(await this.bytes());
  }

  /** @internal The archive moves on: what is left of the body is skipped; a body stream still open errors. */
  async _skip() {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#controller !== null) {
      try {
        this.#controller.error(
          new ZstdError('invalid_state', `the archive moved on past "${this.name}": read a body before the next entry`),
        );
      } catch {
        // closed already
      }
    }
    // Read what is left rather than cancel: modern-tar's decoder can stall after a body is cancelled.
    for (;;) {
      let step;
      try {
        step = await this.#reader.read();
      } catch (e) {
        throw tarError(e);
      }
      if (step.done) return;
    }
  }
}

/**
 * @internal The entries of a .tar.zst source, for untarZst() and extractArchive(); `check(header)`
 * may throw before an entry is yielded.
 */
export async function* tarEntries(source, { maxEntrySize = 0 } = {}) {
  const d = new ZstdDecompressor();
  let parts;
  try {
    parts = d._readerParts(source); // a context of its own: d can go
  } finally {
    d.free();
  }
  let decoder;
  try {
    decoder = (await tarLibrary()).createTarDecoder({ strict: true });
  } catch (e) {
    parts.release();
    void parts.chunks.return().catch(() => {});
    throw e;
  }
  const writer = decoder.writable.getWriter();
  // Decompressed bytes go into the tar decoder as it asks for them; a zstd error reaches the
  // entries' reader as the decoder's own error.
  void (async () => {
    try {
      for await (const chunk of parts.chunks) await writer.write(chunk);
      await writer.close();
    } catch (e) {
      await writer.abort(e).catch(() => {});
    }
  })();
  const reader = decoder.readable.getReader();
  let finished = false;
  try {
    for (;;) {
      let step;
      try {
        step = await reader.read();
      } catch (e) {
        throw tarError(e);
      }
      if (step.done) {
        finished = true;
        return;
      }
      const { header: h, body } = step.value;
      const bodyReader = body.getReader();
      if (maxEntrySize > 0 && h.size > maxEntrySize) {
        await bodyReader.cancel();
        throw new ZstdError('output_too_large', `entry "${h.name}" holds ${h.size} bytes, more than maxEntrySize (${maxEntrySize})`);
      }
      const entry = new TarEntry(h, bodyReader);
      yield entry;
      await entry._skip();
    }
  } finally {
    if (!finished) {
      await reader.cancel().catch(() => {});
      parts.release();
      void parts.chunks.return().catch(() => {});
    }
  }
}

/**
 * The entries of a .tar.zst archive (any source readToIter() takes), one at a time: { name,
 * type, size, mode, mtime, linkname, body, bytes(), text() }. Read (or cancel) each body before
 * asking for the next entry; a body left unread is skipped. An archive that ends early is
 * ZstdError('src_size_wrong'); an entry over maxEntrySize, ZstdError('output_too_large').
 * @param {{ maxEntrySize?: number }} [options]
 */
export function untarZst(source, options = undefined) {
  const o = untarZstOptions(options);
  return tarEntries(source, o);
}
