// Where openSeekable() reads from, each as one shape: { size, tail(n), read(offset, length), close() }.
// tail(n) returns the last min(n, size) bytes and, for HTTP, learns the size from the same request;
// read() returns exactly `length` bytes or throws. Sources: bytes in memory, Blob/File (slice()),
// http(s) URLs (Range requests), and any { size, read(offset, length) }; zstd-kit's Node entry adds
// paths and FileHandles (seekable-node.js).
import { typeError, ZstdError } from './errors.js';
import { describe } from './options.js';
import { isWasmBuffer, toUint8Array } from './input.js';

/** Sources the reader opened itself (so close() closes them); user objects are left alone. */
export const OWNED = Symbol('zstd-kit owned source');

const isData = (x) =>
  ArrayBuffer.isView(x) || ['[object ArrayBuffer]', '[object SharedArrayBuffer]'].includes(Object.prototype.toString.call(x));

// Exactly `length` bytes of what a source returned, or a ZstdError saying what came back.
function exact(bytes, length, what) {
  const u8 = toUint8Array(bytes, what);
  if (u8.length !== length) {
    throw new ZstdError('seekable_io', `${what} returned ${u8.length} bytes where ${length} were asked for`);
  }
  return u8;
}

function withTail(source) {
  source.tail ??= (n) => {
    const k = Math.min(n, source.size);
    return source.read(source.size - k, k);
  };
  return source;
}

function memorySource(bytes) {
  return withTail({ size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) });
}

function blobSource(blob) {
  return withTail({
    size: blob.size,
    read: async (offset, length) => exact(await blob.slice(offset, offset + length).arrayBuffer(), length, 'Blob.slice()'),
  });
}

function customSource(source) {
  if (!Number.isSafeInteger(source.size) || source.size < 0) {
    throw typeError(`source.size must be a non-negative integer, got ${describe(source.size)}`);
  }
  return withTail({
    size: source.size,
    read: async (offset, length) => exact(await source.read(offset, length), length, 'source.read()'),
  });
}

// Cancels a response body we will not read (a server that ignored Range sends the whole file).
async function discard(res) {
  try {
    await res.body?.cancel();
  } catch {
    // already closed or errored: nothing to free
  }
}

/** An http(s) URL read with Range requests: one request per read, the size from Content-Range. */
export function urlSource(url) {
  const href = String(url);
  const source = { size: undefined };
  const get = async (range) => {
    let res;
    try {
      res = await fetch(href, { headers: { Range: `bytes=${range}` } });
    } catch (e) {
      throw new ZstdError('seekable_io', `GET ${href} failed: ${e?.message ?? e}`, { cause: e });
    }
    if (res.status === 200) {
      await discard(res);
      throw new ZstdError('range_unsupported', `${href}: the server ignored the Range header (HTTP 200, the whole file)`);
    }
    if (res.status !== 206) {
      await discard(res);
      throw new ZstdError('seekable_io', `GET ${href} (Range: bytes=${range}): HTTP ${res.status}`);
    }
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('Content-Range') ?? '');
    if (m === null) {
      await discard(res);
      throw new ZstdError(
        'range_unsupported',
        `${href}: a 206 response without a readable Content-Range (cross-origin servers must expose it)`,
      );
    }
    const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (source.size !== undefined && total !== source.size) {
      await discard(res);
      throw new ZstdError('seekable_io', `${href} changed size (${source.size} -> ${total} bytes) while being read`);
    }
    source.size = total;
    return { start, bytes: exact(await res.arrayBuffer(), end - start + 1, `GET ${href}`) };
  };
  source.tail = async (n) => {
    if (n === 0) return new Uint8Array(0);
    const { bytes } = await get(`-${n}`);
    return bytes;
  };
  source.read = async (offset, length) => {
    if (length === 0) return new Uint8Array(0);
    const { start, bytes } = await get(`${offset}-${offset + length - 1}`);
    if (start !== offset) throw new ZstdError('seekable_io', `${href}: asked for bytes from ${offset}, got them from ${start}`);
    return bytes;
  };
  source[OWNED] = true;
  return source;
}

const isHttp = (s) => /^https?:\/\//i.test(s);

/** True where a string source names a local file (Node), not a URL. */
const hasFiles = typeof process === 'object' && typeof process.versions?.node === 'string';

/**
 * The source for openSeekable()'s argument; `openFile(pathOrHandle)` (Node only) opens paths and
 * FileHandles, else they are a TypeError.
 */
export async function sourceOf(source, openFile = null) {
  if (isWasmBuffer(source)) throw typeError('openSeekable: pass the bytes (wasmBuffer.toBytes()), not a WasmBuffer');
  if (isData(source)) return memorySource(toUint8Array(source, 'source'));
  if (typeof Blob === 'function' && source instanceof Blob) return blobSource(source);
  if (source instanceof URL || typeof source === 'string') {
    const text = String(source);
    if (isHttp(text)) return urlSource(text);
    if (openFile !== null && (source instanceof URL ? source.protocol === 'file:' : hasFiles)) return openFile(source);
    if (typeof source === 'string' && typeof location === 'object' && location?.href) {
      return urlSource(new URL(text, location.href)); // a relative URL, in browsers and workers
    }
    throw typeError(`openSeekable: ${text} is neither an http(s) URL nor, here, a file path`);
  }
  if (source !== null && typeof source === 'object') {
    if (openFile !== null && typeof source.fd === 'number' && typeof source.stat === 'function') return openFile(source);
    if (typeof source.read === 'function' && 'size' in source) return customSource(source);
  }
  throw typeError(
    `openSeekable: source must be bytes, a Blob, an http(s) URL, a path or FileHandle (Node), or { size, read(offset, length) }; got ${describe(source)}`,
  );
}
