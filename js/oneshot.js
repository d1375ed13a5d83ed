// The one-liners: zstd.compress / decompress and their async forms. They reuse cached
// compressors and decompressors (one per option set, a few at most), so a loop of one-liners
// costs what a loop over one reused ZstdCompressor does. Options with a dictionary or explicit
// parameters get an object of their own for the call (the dictionary keeps its digested form).
import { ZstdCompressor } from './compressor.js';
import { DEFAULT_COMPRESSION_LEVEL } from './constants.js';
import { ZstdDecompressor } from './decompressor.js';
import { oneShotCompressOptions, oneShotDecompressOptions } from './options.js';
import { wasm } from './runtime.js';

// Most cached objects per kind; the oldest goes first.
const CACHE_LIMIT = 8;
const compressors = new Map();
const decompressors = new Map();

function cached(cache, key, make) {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= CACHE_LIMIT) {
      const [oldest, evicted] = cache.entries().next().value;
      cache.delete(oldest);
      evicted.free();
    }
    cache.set(key, value);
  }
  return value;
}

// Calls fn(compressor) with the compressor for `levelOrOptions`.
function withCompressor(levelOrOptions, call, fn) {
  wasm(); // not_initialized before init(), whatever the options
  const level = levelOrOptions ?? DEFAULT_COMPRESSION_LEVEL;
  if (typeof level === 'number') {
    const c = compressors.get(level);
    if (c !== undefined) return fn(c);
  }
  const { key, options } = oneShotCompressOptions(levelOrOptions, call);
  if (key === null) return useOnce(new ZstdCompressor(options), fn);
  return fn(cached(compressors, key, () => new ZstdCompressor(options)));
}

function withDecompressor(options, call, fn) {
  wasm();
  const { key, decompressor, decode } = oneShotDecompressOptions(options, call);
  if (key === null) return useOnce(new ZstdDecompressor(decompressor), (d) => fn(d, decode));
  return fn(
    cached(decompressors, key, () => new ZstdDecompressor(decompressor)),
    decode,
  );
}

// fn(object), then the object is freed (when fn's promise settles, for an async fn).
function useOnce(object, fn) {
  let result;
  try {
    result = fn(object);
  } catch (e) {
    object.free();
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => object.free());
  object.free();
  return result;
}

/**
 * Compresses `data` into one zstd frame (content size written).
 * @param {number|object} [levelOrOptions=3] a level, or ZstdCompressor's options
 */
export function compress(data, levelOrOptions = undefined) {
  return withCompressor(levelOrOptions, 'compress()', (c) => c.compress(data));
}

/**
 * Decompresses every frame of `data`, concatenated (skippable frames skipped); frames need not
 * state their content size.
 * @param {{ maxOutputSize?: number, dictData?: object, maxWindowSize?: number }} [options]
 */
export function decompress(data, options = undefined) {
  return withDecompressor(options, 'decompress()', (d, decode) => d.decompress(data, decode));
}

/** compress() without blocking the calling thread (see ZstdCompressor.compressAsync()). */
export async function compressAsync(data, levelOrOptions = undefined) {
  return withCompressor(levelOrOptions, 'compressAsync()', (c) => c.compressAsync(data));
}

/** decompress() without blocking the calling thread (see ZstdDecompressor.decompressAsync()). */
export async function decompressAsync(data, options = undefined) {
  return withDecompressor(options, 'decompressAsync()', (d, decode) => d.decompressAsync(data, decode));
}
