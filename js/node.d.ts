// zstd-kit/node: the main API (the same module instance) plus node:stream Transforms.
import type { Transform } from 'node:stream';
import type { CompressorOptions, DecompressorOptions, SeekableOptions } from './index.js';
export * from './index.js';
/** A Transform compressing into one zstd frame (like node:zlib's createGzip()). */
export function createZstdCompress(options?: CompressorOptions): Transform;
/** A Transform decompressing concatenated frames; a stream ending inside a frame errors. */
export function createZstdDecompress(options?: DecompressorOptions): Transform;
/** A Transform whose output is a seekable file (zstd's seekable format); options as compressSeekable()'s. */
export function createZstdSeekableCompress(options?: SeekableOptions): Transform;
