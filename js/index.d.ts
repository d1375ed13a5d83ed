/**
 * zstd-kit: Zstandard for JavaScript (libzstd compiled to WebAssembly).
 * Types for everything the package exports; tests/types/usage.ts checks them with tsc.
 */

// Declared here so that no lib (esnext.disposable) or @types/node is needed; merges with theirs.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Data argument: bytes, a view of bytes, a buffer, a string (UTF-8), or a WasmBuffer. */
export type Input = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | WasmBuffer | BufferSegment | BufferWithSegments;

export interface InitOptions {
  /** false forces the single-threaded build. Default: threaded where the platform allows. */
  threads?: boolean;
  /**
   * Where a file of the package is served, for CDNs and custom layouts: called with
   * 'zstd-kit-st.wasm' or 'zstd-kit-mt.wasm', returns its URL (in Node also a path). Wins over baseUrl.
   */
  locateFile?: (file: string) => string | URL;
  /** The folder the .wasm files are served from (the package's dist/browser/), absolute or relative to the page. */
  baseUrl?: string | URL;
}

/** Loads the wasm module. Idempotent; resolves to the module namespace. */
export function init(options?: InitOptions): Promise<typeof import('./index.js')>;

export interface Features {
  /** True when the threaded (pthreads) build is loaded. */
  threads: boolean;
  /** Most threads one operation may use; larger `threads` options (up to 64) are clamped to it. */
  maxThreads: number;
  /** Always false: neither build is compiled for wasm SIMD (it measured no gain for zstd). */
  simd: boolean;
  /** Version of the bundled libzstd, e.g. '1.5.4'. */
  zstdVersion: string;
  /** Why the threaded build was wanted but did not start (init() went on single-threaded), else null. */
  threadsError: ZstdError | null;
}
export const features: Features;

export interface Memory {
  /** Bytes the library holds in wasm memory now (libzstd contexts and every buffer). */
  totalAllocatedBytes(): number;
  /** Highest value totalAllocatedBytes() has reached. */
  peakAllocatedBytes(): number;
  /** Size of the wasm memory (it grows, never shrinks). */
  heapSize(): number;
}
export const memory: Memory;

/** Error raised for zstd failures and misuse; `code` names the failure in snake case. */
export class ZstdError extends Error {
  constructor(code: string, message?: string, options?: { cause?: unknown });
  readonly code:
    | 'not_initialized'
    | 'load_failed'
    | 'freed'
    | 'content_size_unknown'
    | 'output_too_large'
    | 'invalid_state'
    | 'corruption_detected'
    | 'checksum_wrong'
    | 'dictionary_wrong'
    | 'dst_size_too_small'
    | 'prefix_unknown'
    | 'src_size_wrong'
    | 'frame_parameter_window_too_large'
    | 'memory_allocation'
    | (string & {});
}

/**
 * Base of objects that own wasm memory. Their options objects are checked: a key a call does not
 * take is a TypeError, as it is a type error here.
 */
export interface Disposable {
  /** Releases the wasm memory now; later use throws ZstdError('freed'). Safe to repeat. */
  free(): void;
  /** True once free() has run. */
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/** Bytes that live in wasm memory: zero-copy input and output. */
export class WasmBuffer implements Disposable {
  private constructor();
  readonly size: number;
  /** Zero-copy view; valid until free(); call again after anything that may grow wasm memory. */
  view(): Uint8Array;
  /** A JS-owned copy. */
  toBytes(): Uint8Array;
  /** Changes the size, keeping the first min(old, new) bytes. */
  resize(size: number): this;
  /** Zero-copy sub-buffer that keeps this memory alive. */
  slice(offset?: number, length?: number): WasmBuffer;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/** Allocates `size` uninitialised bytes in wasm memory. */
export function allocBuffer(size: number): WasmBuffer;

/** One item of a BufferWithSegments or collection; shares (and keeps alive) its memory. */
export class BufferSegment implements Disposable {
  private constructor();
  /** Offset within its backing buffer. */
  readonly offset: number;
  readonly length: number;
  /** Zero-copy view; call again after anything that may grow wasm memory. */
  view(): Uint8Array;
  /** A JS-owned copy. */
  toBytes(): Uint8Array;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/** The (offset, length) pairs of a BufferWithSegments. */
export class BufferSegments implements Iterable<{ offset: number; length: number }> {
  private constructor();
  readonly length: number;
  get(i: number): { offset: number; length: number };
  /** [offset0, length0, offset1, length1, ...] */
  toBigUint64Array(): BigUint64Array;
  [Symbol.iterator](): Iterator<{ offset: number; length: number }>;
}

/** Items of known lengths in one backing buffer in wasm memory. */
export class BufferWithSegments implements Disposable, Iterable<BufferSegment> {
  /**
   * Copies `data` into wasm memory once. `segments`: BigUint64Array [offset0, length0, ...] or its
   * bytes; a segment outside the data is a RangeError.
   */
  constructor(data: Input, segments: BigUint64Array | Uint8Array | ArrayBuffer);
  /** Bytes in the backing buffer. */
  readonly size: number;
  /** Number of segments. */
  readonly length: number;
  /** RangeError when out of range. */
  get(i: number): BufferSegment;
  /** As get(); negative i counts from the end. */
  at(i: number): BufferSegment;
  segments(): BufferSegments;
  /** The whole backing buffer, zero-copy. */
  view(): Uint8Array;
  toBytes(): Uint8Array;
  [Symbol.iterator](): Iterator<BufferSegment>;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/** Several BufferWithSegments seen as one sequence of segments (what the multi APIs return). */
export class BufferWithSegmentsCollection implements Disposable, Iterable<BufferSegment> {
  constructor(...buffers: BufferWithSegments[]);
  /** Segments across all buffers. */
  readonly length: number;
  readonly bufferCount: number;
  /** Global index; RangeError when out of range. */
  get(i: number): BufferSegment;
  at(i: number): BufferSegment;
  /** Total bytes of all buffers. */
  size(): number;
  [Symbol.iterator](): Iterator<BufferSegment>;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/** What the multi APIs take: one item per frame. */
export type BatchInput = Input[] | BufferWithSegments | BufferWithSegmentsCollection;

export interface MultiOptions {
  /** 0 or 1: one thread; -1: all logical CPUs; up to 64, clamped to features.maxThreads. Default 0. */
  threads?: number;
}

export interface MultiDecompressOptions extends MultiOptions {
  /** One decompressed size per frame (uint64), so frame headers need not state it. */
  decompressedSizes?: BigUint64Array | Uint8Array | ArrayBuffer | Array<number | bigint>;
}

/** Where streaming APIs read from. */
export type StreamSource =
  | Input
  | ReadableStream<Uint8Array | ArrayBufferView | ArrayBuffer | string>
  | AsyncIterable<Uint8Array | ArrayBufferView | ArrayBuffer | string>
  | Iterable<Uint8Array | ArrayBufferView | ArrayBuffer | string>;

/** Where streaming APIs write to: a WritableStream, a Node Writable, or any object with write(). */
export type StreamSink = WritableStream<Uint8Array> | { write(chunk: Uint8Array): unknown; close?(): unknown; end?(): unknown };

/**
 * Objects returned by compressobj() / decompressobj() / chunker() / streamWriter(). Each releases
 * its wasm memory when its work ends (the end of the frame, close()) or when a ZstdError breaks
 * it; later use then throws ZstdError('invalid_state'), or that error again.
 */
interface StreamObject {
  /** Releases the wasm memory now; later use throws ZstdError('freed'). */
  free(): void;
  /** True once the wasm memory is released (free(), the end of the work, or a failure). */
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export class ZstdCompressionObj implements StreamObject {
  private constructor();
  /** Output ready so far (often empty). */
  compress(data: Input): Uint8Array;
  /** FLUSH_BLOCK: all data so far decodable, repeatable. FLUSH_FRAME (default): ends the frame and the object. */
  flush(mode?: typeof FLUSH_BLOCK | typeof FLUSH_FRAME): Uint8Array;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export class ZstdDecompressionObj implements StreamObject {
  private constructor();
  decompress(data: Input): Uint8Array;
  /** Always empty: nothing is held back. */
  flush(): Uint8Array;
  /** True once the frame has ended (never with readAcrossFrames). */
  readonly eof: boolean;
  /** Bytes after the end of the frame. */
  readonly unusedData: Uint8Array;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export class ZstdCompressionChunker implements StreamObject {
  private constructor();
  /** Full chunks only (exactly chunkSize bytes each). */
  compress(data: Input): Uint8Array[];
  /** Ends the current block: full chunks, then the rest as a shorter chunk. */
  flush(): Uint8Array[];
  /** Ends the frame: the remaining chunks, the last possibly shorter. */
  finish(): Uint8Array[];
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export class ZstdStreamWriter implements StreamObject {
  private constructor();
  /** Bytes handed to the sink: a number for a sync sink, a promise for an async one. */
  write(data: Input): number | Promise<number>;
  flush(mode?: typeof FLUSH_BLOCK | typeof FLUSH_FRAME): number | Promise<number>;
  /** Ends the frame (or checks the stream ended on a frame boundary) and closes the sink. */
  close(): Promise<void>;
  readonly bytesWritten: number;
  /** Gives up: releases the memory and aborts (or destroys) the sink with `error`. */
  abort(error?: unknown): void;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export interface StreamSizes {
  /** Bytes read from a data source at a time. */
  readSize?: number;
  /** Largest output chunk. */
  writeSize?: number;
}

/** Compressing TransformStream, the shape of the platform's CompressionStream. */
// Input chunks: any BufferSource (typed as the platform types CompressionStream's writable side).
export class ZstdCompressionStream extends TransformStream<any, Uint8Array> {
  constructor(options?: CompressorOptions);
}

/** Decompressing TransformStream: concatenated frames, skippable frames skipped. */
export class ZstdDecompressionStream extends TransformStream<any, Uint8Array> {
  constructor(options?: DecompressorOptions);
}

/** Largest frame `size` bytes of input can become (ZSTD_COMPRESSBOUND). */
export function compressBound(size: number): number;

/** A compression dictionary (raw content or a full zstd dictionary), shared by every user. */
export class ZstdCompressionDict implements Disposable {
  constructor(data: Input, options?: { dictType?: 'auto' | 'rawContent' | 'fullDict' });
  /** Id from a full dictionary's header; 0 for raw content. */
  dictId(): number;
  /** A copy of the dictionary's bytes. */
  asBytes(): Uint8Array;
  readonly length: number;
  /** Digests it for compression at `level` now (default 3); shared by every compressor at that level. */
  precompute(options?: { level?: number }): this;
  memorySize(): number;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export interface TrainOptions {
  /** fastCover segment size; with d set too, no search. */
  k?: number;
  /** fastCover dmer size. */
  d?: number;
  f?: number;
  /** Share of samples used to train during the search (the rest tests); (0, 1]. */
  splitPoint?: number;
  accel?: number;
  /** Candidates tried by the search. */
  steps?: number;
  /** Search threads (threaded build); -1 = all. */
  threads?: number;
  level?: number;
  /** 0 = random. */
  dictId?: number;
  /** 0..4: libzstd's progress messages on stderr. */
  notifications?: number;
}

/** Trains a dictionary of at most dictSize bytes on samples (zstd's fastCover). */
export function trainDictionary(dictSize: number, samples: BatchInput, options?: TrainOptions): ZstdCompressionDict;

export interface CompressionParameterFields {
  windowLog?: number;
  chainLog?: number;
  hashLog?: number;
  searchLog?: number;
  minMatch?: number;
  targetLength?: number;
  strategy?: number;
  format?: 'zstd1' | 'magicless' | typeof FORMAT_ZSTD1 | typeof FORMAT_ZSTD1_MAGICLESS;
  writeContentSize?: boolean;
  writeChecksum?: boolean;
  writeDictId?: boolean;
  jobSize?: number;
  overlapLog?: number;
  forceMaxWindow?: boolean;
  enableLdm?: boolean;
  ldmHashLog?: number;
  ldmMinMatch?: number;
  ldmBucketSizeLog?: number;
  ldmHashRateLog?: number;
  threads?: number;
}

/** Explicit compression parameters, each checked against libzstd's bounds (RangeError). */
export class ZstdCompressionParameters {
  constructor(fields?: CompressionParameterFields);
  /** libzstd's parameters for a level, input size and dictionary size. */
  static fromLevel(level: number, options?: { sourceSize?: number; dictSize?: number }): ZstdCompressionParameters;
  estimatedCompressionContextSize(): number;
  toJSON(): CompressionParameterFields;
  readonly windowLog?: number;
  readonly chainLog?: number;
  readonly hashLog?: number;
  readonly searchLog?: number;
  readonly minMatch?: number;
  readonly targetLength?: number;
  readonly strategy?: number;
  readonly format?: number;
  readonly writeContentSize?: boolean;
  readonly writeChecksum?: boolean;
  readonly writeDictId?: boolean;
  readonly jobSize?: number;
  readonly overlapLog?: number;
  readonly forceMaxWindow?: boolean;
  readonly enableLdm?: boolean;
  readonly ldmHashLog?: number;
  readonly ldmMinMatch?: number;
  readonly ldmBucketSizeLog?: number;
  readonly ldmHashRateLog?: number;
  readonly threads?: number;
}

export interface CompressorOptions {
  /** -131072..22; negative levels are the fast modes. Default 3. */
  level?: number;
  writeChecksum?: boolean;
  writeContentSize?: boolean;
  writeDictId?: boolean;
  /** zstd worker threads for one input; -1 = all logical CPUs; up to 64 (RangeError above), clamped to features.maxThreads. */
  threads?: number;
  dictData?: ZstdCompressionDict;
  /** Overrides level. */
  compressionParams?: ZstdCompressionParameters;
}

/** zstd.decompress()'s options: every frame is decoded (skippable frames skipped). */
export interface OneShotDecompressOptions {
  /** Cap on the output (ZstdError output_too_large past it); 0 = none but the platform's. */
  maxOutputSize?: number;
  dictData?: ZstdCompressionDict;
  /** Largest window a frame may use; 0 = zstd's default limit. */
  maxWindowSize?: number;
}

/** One zstd frame of `data`, from a cached compressor for `levelOrOptions` (default level 3). */
export function compress(data: Input, levelOrOptions?: number | CompressorOptions): Uint8Array;
/** Every frame of `data`, concatenated; frames need not state their content size. */
export function decompress(data: Input, options?: OneShotDecompressOptions): Uint8Array;
/** compress() without blocking the calling thread (job thread, or slices in the single-threaded build). */
export function compressAsync(data: Input, levelOrOptions?: number | CompressorOptions): Promise<Uint8Array>;
/** decompress() without blocking the calling thread. */
export function decompressAsync(data: Input, options?: OneShotDecompressOptions): Promise<Uint8Array>;

export class ZstdCompressor implements Disposable {
  constructor(options?: CompressorOptions);
  readonly level: number;
  /** Worker threads in use after clamping to the build. */
  readonly threads: number;
  /** One frame, content size written, as a JS-owned Uint8Array. */
  compress(data: Input): Uint8Array;
  /** The same frame, left in wasm memory. */
  compressToBuffer(data: Input): WasmBuffer;
  /** compress() without blocking the calling thread; uses this compressor's threads. */
  compressAsync(data: Input): Promise<Uint8Array>;
  /** Each item compressed into its own frame, in input order. */
  multiCompressToBuffer(data: BatchInput, options?: MultiOptions): BufferWithSegmentsCollection;
  /** As multiCompressToBuffer(), never blocking the calling thread. */
  multiCompressToBufferAsync(data: BatchInput, options?: MultiOptions): Promise<BufferWithSegmentsCollection>;
  /** size: total input size when known (written in the frame header, checked). */
  compressobj(options?: { size?: number }): ZstdCompressionObj;
  chunker(options?: { size?: number; chunkSize?: number }): ZstdCompressionChunker;
  readToIter(source: StreamSource, options?: { size?: number } & StreamSizes): AsyncIterableIterator<Uint8Array>;
  streamWriter(sink: StreamSink, options?: { size?: number; writeSize?: number; closeSink?: boolean }): ZstdStreamWriter;
  copyStream(
    source: StreamSource,
    sink: StreamSink,
    options?: { size?: number } & StreamSizes,
  ): Promise<{ bytesRead: number; bytesWritten: number }>;
  /** Of the current (or last) frame. */
  frameProgression(): { ingested: number; consumed: number; produced: number };
  memorySize(): number;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export interface DecompressorOptions {
  /** Largest window a frame may use; 0 = zstd's default limit. */
  maxWindowSize?: number;
  format?: 'zstd1' | 'magicless' | typeof FORMAT_ZSTD1 | typeof FORMAT_ZSTD1_MAGICLESS;
  dictData?: ZstdCompressionDict;
}

export interface DecompressOptions {
  /**
   * Cap on the output (ZstdError output_too_large past it, found before allocating it). 0 = none but
   * the platform's. Frames without a content size decode without it, into a growing result.
   */
  maxOutputSize?: number;
  /** Decode every frame (skippable frames skipped), not only the first. Default false. */
  readAcrossFrames?: boolean;
}

export class ZstdDecompressor implements Disposable {
  constructor(options?: DecompressorOptions);
  decompress(frame: Input, options?: DecompressOptions): Uint8Array;
  decompressToBuffer(frame: Input, options?: DecompressOptions): WasmBuffer;
  /** decompress() without blocking the calling thread. */
  decompressAsync(frame: Input, options?: DecompressOptions): Promise<Uint8Array>;
  /** Each frame decompressed, in input order. */
  multiDecompressToBuffer(frames: BatchInput, options?: MultiDecompressOptions): BufferWithSegmentsCollection;
  /** As multiDecompressToBuffer(), never blocking the calling thread. */
  multiDecompressToBufferAsync(frames: BatchInput, options?: MultiDecompressOptions): Promise<BufferWithSegmentsCollection>;
  decompressobj(options?: { readAcrossFrames?: boolean }): ZstdDecompressionObj;
  readToIter(
    source: StreamSource,
    options?: StreamSizes & { skipBytes?: number; readAcrossFrames?: boolean },
  ): AsyncIterableIterator<Uint8Array>;
  streamWriter(sink: StreamSink, options?: { writeSize?: number; closeSink?: boolean }): ZstdStreamWriter;
  copyStream(source: StreamSource, sink: StreamSink, options?: StreamSizes): Promise<{ bytesRead: number; bytesWritten: number }>;
  /** Content of the last frame of a chain where frame k used frame k - 1's content as dictionary. */
  decompressContentDictChain(frames: BatchInput): Uint8Array;
  memorySize(): number;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

export interface FrameParameters {
  /** -1 when the header does not say. */
  contentSize: number;
  windowSize: number;
  dictId: number;
  hasChecksum: boolean;
}
export function getFrameParameters(data: Input): FrameParameters;
/** -1 when unknown. */
export function frameContentSize(data: Input): number;
export function frameHeaderSize(data: Input): number;
export function estimateDecompressionContextSize(): number;

export const ZSTD_VERSION: readonly [number, number, number];
export const MAX_COMPRESSION_LEVEL: number;
export const MIN_COMPRESSION_LEVEL: number;
export const DEFAULT_COMPRESSION_LEVEL: number;
export const MAGIC_NUMBER: number;
export const FRAME_HEADER: Uint8Array;
export const FLUSH_BLOCK: 1;
export const FLUSH_FRAME: 2;
export const FORMAT_ZSTD1: 0;
export const FORMAT_ZSTD1_MAGICLESS: 1;
export const STRATEGY_FAST: 1;
export const STRATEGY_DFAST: 2;
export const STRATEGY_GREEDY: 3;
export const STRATEGY_LAZY: 4;
export const STRATEGY_LAZY2: 5;
export const STRATEGY_BTLAZY2: 6;
export const STRATEGY_BTOPT: 7;
export const STRATEGY_BTULTRA: 8;
export const STRATEGY_BTULTRA2: 9;
export const COMPRESSION_RECOMMENDED_INPUT_SIZE: number;
export const COMPRESSION_RECOMMENDED_OUTPUT_SIZE: number;
export const DECOMPRESSION_RECOMMENDED_INPUT_SIZE: number;
export const DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE: number;
export const WINDOWLOG_MIN: number;
export const WINDOWLOG_MAX: number;
export const CHAINLOG_MIN: number;
export const CHAINLOG_MAX: number;
export const HASHLOG_MIN: number;
export const HASHLOG_MAX: number;
export const SEARCHLOG_MIN: number;
export const SEARCHLOG_MAX: number;
export const MINMATCH_MIN: number;
export const MINMATCH_MAX: number;
export const TARGETLENGTH_MIN: number;
export const TARGETLENGTH_MAX: number;
