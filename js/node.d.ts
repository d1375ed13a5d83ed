// zstd-kit/node: the main API (the same module instance) plus node:stream Transforms and
// node:zlib's zstd functions with node:zlib's shapes (Node >= 22.15), so such code runs on Node 20.
import type { Transform, TransformOptions } from 'node:stream';
import type { CompressorOptions, DecompressorOptions, SeekableOptions, ZstdCompressionDict } from './index.js';
export * from './index.js';

/** node:zlib's zstd options (ZstdOptions), with zstd-kit's own keys beside them. */
export interface ZlibZstdOptions extends Pick<
  TransformOptions,
  'highWaterMark' | 'readableHighWaterMark' | 'writableHighWaterMark' | 'signal'
> {
  /** Keyed by constants.ZSTD_c_* (compression) or ZSTD_d_* (decompression). */
  params?: { [key: number]: number | boolean };
  /** Raw content or a trained dictionary (bytes), or a ZstdCompressionDict. */
  dictionary?: ArrayBufferView | ArrayBuffer | ZstdCompressionDict;
  /** Compression: the input's size, written in the frame and checked. */
  pledgedSrcSize?: number;
  /** Output chunk size (>= 64). */
  chunkSize?: number;
  /** ZSTD_e_continue (default), ZSTD_e_flush or ZSTD_e_end after each write. */
  flush?: number;
  /** At the end: ZSTD_e_end (default); ZSTD_e_flush on decompression: a truncated stream is not an error. */
  finishFlush?: number;
  /** More output than this: RangeError (ERR_BUFFER_TOO_LARGE). */
  maxOutputLength?: number;
  /** The convenience functions resolve to { buffer, engine }. */
  info?: boolean;
}
export type ZstdCompressOptions = ZlibZstdOptions & CompressorOptions;
export type ZstdDecompressOptions = ZlibZstdOptions & DecompressorOptions;

/** node:zlib's ZstdCompress stream. */
export class ZstdCompress extends Transform {
  /** Input bytes taken so far. */
  bytesWritten: number;
  /** Everything written so far comes out decodable (ZSTD_e_flush, the default) or the frame ends (ZSTD_e_end). */
  flush(kind?: number, callback?: () => void): void;
  flush(callback?: () => void): void;
  close(callback?: () => void): void;
}
/** node:zlib's ZstdDecompress stream (concatenated frames decode fully). */
export class ZstdDecompress extends Transform {
  bytesWritten: number;
  flush(kind?: number, callback?: () => void): void;
  flush(callback?: () => void): void;
  close(callback?: () => void): void;
}

/** A Transform compressing into one zstd frame (like node:zlib's createZstdCompress()): zstd-kit's options or node:zlib's. */
export function createZstdCompress(options?: ZstdCompressOptions): ZstdCompress;
/** A Transform decompressing concatenated frames; a stream ending inside a frame errors. */
export function createZstdDecompress(options?: ZstdDecompressOptions): ZstdDecompress;

type ZstdCallback = (error: Error | null, result: Buffer) => void;
type ZstdInput = string | ArrayBuffer | ArrayBufferView;
export function zstdCompress(buf: ZstdInput, callback: ZstdCallback): void;
export function zstdCompress(buf: ZstdInput, options: ZstdCompressOptions, callback: ZstdCallback): void;
export function zstdCompressSync(buf: ZstdInput, options?: ZstdCompressOptions): Buffer;
export function zstdDecompress(buf: ZstdInput, callback: ZstdCallback): void;
export function zstdDecompress(buf: ZstdInput, options: ZstdDecompressOptions, callback: ZstdCallback): void;
/** Every frame (node:zlib stops after the first: nodejs/node#64741). */
export function zstdDecompressSync(buf: ZstdInput, options?: ZstdDecompressOptions): Buffer;
export const promises: {
  zstdCompress(buf: ZstdInput, options?: ZstdCompressOptions): Promise<Buffer>;
  zstdDecompress(buf: ZstdInput, options?: ZstdDecompressOptions): Promise<Buffer>;
};
/** node:zlib's zstd constants, with zstd's values: ZSTD_c_*, ZSTD_d_*, ZSTD_e_*, ZSTD_fast ... ZSTD_btultra2, ZSTD_error_*, ... */
export const constants: { readonly [name: string]: number };
/** A Transform whose output is a seekable file (zstd's seekable format); options as compressSeekable()'s. */
export function createZstdSeekableCompress(options?: SeekableOptions): Transform;
