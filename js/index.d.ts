/**
 * zstd-kit: Zstandard for JavaScript (libzstd compiled to WebAssembly).
 * Types for everything the package exports; tests/types/usage.ts checks them with tsc.
 */

// Declared here so that no lib (esnext.disposable) or @types/node is needed; merges with theirs.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
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
  /**
   * Threaded build: the number of threads in the pool that all operations share (an integer >= 1;
   * default: the logical CPUs, up to 8); `threads` options above it are clamped to it. Bounds the
   * CPU zstd-kit's workers use, and starts fewer pthread workers.
   */
  maxThreads?: number;
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
    | 'seek_table_invalid'
    | 'range_unsupported'
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

// --- Random access: seekable files, super-chunks, tensors ---------------------------------------

/** Options of the seekable compressors: frame size and checksums, then any compressor option. */
export interface SeekableOptions extends CompressorOptions {
  /** Decompressed bytes per frame, 1 to 2^31. Default 1 MiB. */
  frameSize?: number;
  /** Each frame's XXH64 (low 32 bits) in the seek table, verified by readers. Default true. */
  checksum?: boolean;
}

export interface SeekableWriterOptions {
  frameSize?: number;
  checksum?: boolean;
  /** Largest chunk handed to the sink. */
  writeSize?: number;
  /** Close the sink when the writer closes. Default true. */
  closeSink?: boolean;
}

/**
 * A seekable file (zstd's contrib/seekable_format): frames of frameSize bytes, each compressed
 * independently, then the seek table in a skippable frame. `zstd -d` decodes it.
 */
export function compressSeekable(data: Input, options?: SeekableOptions): Uint8Array;

/** A TransformStream whose output is a seekable file; memory stays bounded. */
export class ZstdSeekableCompressionStream extends TransformStream<any, Uint8Array> {
  constructor(options?: SeekableOptions);
}

/** What openSeekable() reads: read(offset, length) must give exactly `length` bytes. */
export interface RandomAccessSource {
  readonly size: number;
  read(offset: number, length: number): Promise<ArrayBufferView | ArrayBuffer> | ArrayBufferView | ArrayBuffer;
}

/** A Node fs.promises FileHandle (left open by close()). */
export interface FileHandleLike {
  readonly fd: number;
  stat(): Promise<{ size: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/**
 * Bytes; a Blob or File; an http(s) URL (a URL object or string; in browsers also a relative URL
 * string) read with Range requests; in Node, a path, file: URL or FileHandle; or any
 * { size, read(offset, length) }.
 */
export type SeekableSource = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | Blob | URL | string | FileHandleLike | RandomAccessSource;

export interface OpenSeekableOptions {
  /** Most bytes of decoded frames kept for later reads (LRU). Default 8 MiB. */
  cacheBytes?: number;
  /** A frame larger than this (compressed or not) is a RangeError at open. Default 64 MiB. */
  maxFrameSize?: number;
  /** The dictionary the frames were compressed with. */
  dictData?: ZstdCompressionDict;
}

export interface SeekableFrame {
  compressedOffset: number;
  compressedSize: number;
  decompressedOffset: number;
  decompressedSize: number;
}

/** Random access into a seekable file: only the frames a read touches are fetched and decoded. */
export class ZstdSeekableReader implements Disposable {
  private constructor();
  /** Decompressed size. */
  readonly size: number;
  /** Size of the file (frames and seek table). */
  readonly compressedSize: number;
  readonly frameCount: number;
  /** RangeError unless 0 <= i < frameCount. */
  frame(i: number): SeekableFrame;
  /** Decompressed bytes [offset, offset + length), clipped at size; length defaults to the rest. */
  read(offset?: number, length?: number): Promise<Uint8Array>;
  /** The same range as a stream of chunks (read ahead a few MiB at a time, bypassing the cache). */
  stream(offset?: number, length?: number): ReadableStream<Uint8Array>;
  /** Releases memory and cache; closes sources openSeekable() opened (paths, URLs). */
  close(): Promise<void>;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/**
 * Opens a seekable file, reading its footer and seek table first. No or a malformed seek table:
 * ZstdError('seek_table_invalid'); an HTTP server that ignores Range: ZstdError('range_unsupported');
 * a frame larger than maxFrameSize: RangeError.
 */
export function openSeekable(source: SeekableSource, options?: OpenSeekableOptions): Promise<ZstdSeekableReader>;

export interface SChunkOptions {
  /** Bytes per chunk, a multiple of typesize. */
  chunkSize: number;
  /** Bytes per item. Default 1. */
  typesize?: number;
  level?: number;
  dictData?: ZstdCompressionDict;
  /** Items appended at once. */
  data?: Input;
}

export interface FromCframeOptions {
  /** false: the chunks stay in `cframe` (keep it unchanged), copied in only while used. Default true. */
  copy?: boolean;
  /** For later appends and updates. */
  level?: number;
  dictData?: ZstdCompressionDict;
  /** For seekable files without an SChunk header. */
  typesize?: number;
  chunkSize?: number;
}

/**
 * Where getSlice() and decompressChunk() may write (the result is then a view of it); a WasmBuffer
 * is written in place, without a copy (the result is then a view of wasm memory, as its view()).
 */
export type OutputBuffer = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | WasmBuffer;

/** python-blosc2's SChunk: items in chunks, each a zstd frame decoded only when touched. */
export class SChunk implements Disposable {
  constructor(options: SChunkOptions);
  /** From toCframe()'s output or any seekable file. */
  static fromCframe(cframe: Input, options?: FromCframeOptions): SChunk;
  readonly chunkSize: number;
  readonly typesize: number;
  readonly nchunks: number;
  readonly nitems: number;
  readonly nbytes: number;
  /** Compressed bytes of the chunks. */
  readonly cbytes: number;
  /** Adds items at the end: fills the last partial chunk, then new chunks. */
  append(data: Input): this;
  /** Items [start, stop) (negative from the end, clipped, as Array.prototype.slice) as bytes. */
  getSlice(start?: number, stop?: number, out?: OutputBuffer): Uint8Array;
  /** Updates the items from `start` and appends what lies past the end. */
  setSlice(start: number, value: Input): this;
  decompressChunk(i: number, out?: OutputBuffer): Uint8Array;
  /** A new chunk of 1 to chunkSize bytes before chunk i. */
  insertChunk(i: number, data: Input): this;
  deleteChunk(i: number): this;
  /** A seekable zstd file: header frame, one frame per chunk, seek table. `zstd -d` decodes it. */
  toCframe(): Uint8Array;
  memorySize(): number;
  free(): void;
  readonly freed: boolean;
  [Symbol.dispose](): void;
}

/** Every TypedArray type (and Float16Array, where the platform has it: any typed array). */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;
export type AnyTypedArray = TypedArray | (ArrayBufferView & { readonly length: number; readonly BYTES_PER_ELEMENT: number });

export interface PackTensorOptions {
  /** Default [length]; its element count must be the length (RangeError). */
  shape?: number[];
  level?: number;
  /** Bytes per chunk. Default 1 MiB. */
  chunkSize?: number;
}

/** A typed array and its shape in one self-describing buffer (a seekable zstd file). */
export function packTensor(typedArray: AnyTypedArray, options?: PackTensorOptions): Uint8Array;
/** The typed array packTensor() packed, of its type, with `shape`. */
export function unpackTensor(buf: Input): AnyTypedArray & { shape: number[] };
/** Node only: packTensor() into a .zst file that `zstd -d` decodes to the raw bytes. */
export function saveTensor(typedArray: AnyTypedArray, path: string | URL, options?: PackTensorOptions): Promise<void>;
/** Node only: the typed array saveTensor() wrote. */
export function loadTensor(path: string | URL): Promise<AnyTypedArray & { shape: number[] }>;

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
  /** python-zstandard's stream_reader: reads the *compressed* form of `source` (one frame; size: written in it). */
  streamReader(source: StreamSource, options?: { size?: number; readSize?: number }): ZstdCompressionReader;
  /** A writer of a seekable file: flush(FLUSH_FRAME) ends a frame early; close() writes the seek table. */
  seekableWriter(sink: StreamSink, options?: SeekableWriterOptions): ZstdStreamWriter;
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
  /** python-zstandard's stream_reader: reads the decompressed form of `source` (concatenated frames unless readAcrossFrames is false). */
  streamReader(source: StreamSource, options?: { readSize?: number; readAcrossFrames?: boolean }): ZstdDecompressionReader;
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

// --- I/O objects (pyarrow), python-zstandard's readers and open(), .tar.zst archives --------------

/** pyarrow's BufferReader: a file over bytes in memory; reads are views of them (zero-copy). */
export class BufferReader {
  constructor(data: Input);
  readonly size: number;
  /** Up to n bytes (all that is left without n). */
  read(n?: number): Uint8Array;
  /** whence: 0 from the start (default), 1 from here, 2 from the end; RangeError outside [0, size]. */
  seek(position: number, whence?: 0 | 1 | 2): number;
  tell(): number;
  readonly closed: boolean;
  close(): void;
}

/** pyarrow's BufferOutputStream: bytes written into a growing buffer. */
export class BufferOutputStream {
  constructor();
  write(data: Input): number;
  tell(): number;
  /** A copy of everything written so far. */
  getValue(): Uint8Array;
  readonly closed: boolean;
  close(): void;
}

/** What the readers share: await read(n) (empty at the end), readInto, readAll, tell, forward seek. */
export class ZstdStreamReader implements AsyncIterable<Uint8Array> {
  /** Exactly n bytes unless the stream ends first (then fewer; empty at the end); n < 0: readAll(). */
  read(n?: number): Promise<Uint8Array>;
  /** Fills `target` (or up to the end); resolves to the bytes written. */
  readInto(target: ArrayBufferView): Promise<number>;
  readAll(): Promise<Uint8Array>;
  tell(): number;
  /** Forward only, by reading; backwards: RangeError. */
  seek(position: number): Promise<number>;
  readonly closed: boolean;
  /** Releases the memory (and a file being read) now. */
  close(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
  [Symbol.asyncDispose](): Promise<void>;
}
export class ZstdCompressionReader extends ZstdStreamReader {}
export class ZstdDecompressionReader extends ZstdStreamReader {}

/** pyarrow's CompressedInputStream: the decompressed bytes of any stream source. */
export class CompressedInputStream extends ZstdDecompressionReader {
  constructor(source: StreamSource | Blob, options?: DecompressorOptions & { readSize?: number; readAcrossFrames?: boolean });
}

export interface CompressedOutputOptions extends CompressorOptions {
  /** The total input size when known: written in the frame, checked. */
  size?: number;
  writeSize?: number;
  /** Close (end) the sink on close(). Default true. */
  closeSink?: boolean;
}

/** pyarrow's CompressedOutputStream: compresses what is written into a sink, in bounded memory. */
export class CompressedOutputStream {
  constructor(sink: StreamSink, options?: CompressedOutputOptions);
  write(data: Input): Promise<number>;
  /** Everything written so far becomes decodable. */
  flush(): Promise<void>;
  /** Uncompressed bytes written. */
  tell(): number;
  /** Compressed bytes handed to the sink. */
  readonly bytesWritten: number;
  readonly closed: boolean;
  /** Ends the frame and the sink. */
  close(): Promise<void>;
  abort(reason?: unknown): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/** outputStream()'s writer when nothing is compressed. */
export class OutputStream {
  constructor(sink: StreamSink, options?: { closeSink?: boolean });
  write(data: Input): Promise<number>;
  flush(): Promise<void>;
  tell(): number;
  readonly bytesWritten: number;
  readonly closed: boolean;
  close(): Promise<void>;
  abort(reason?: unknown): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/** 'detect' (default): by a '.zst' name (path or File); 'zstd': always; null: never. */
export type Compression = 'detect' | 'zstd' | null;

/** pyarrow's input_stream: Node paths (a '.zst' one decompressed on the fly), bytes, Blobs/Files, streams. */
export function inputStream(
  source: string | URL | StreamSource | Blob,
  options?: DecompressorOptions & { compression?: Compression; readSize?: number; readAcrossFrames?: boolean },
): Promise<ZstdStreamReader>;
/** pyarrow's output_stream: Node paths (a '.zst' one compressed on the fly) or any sink. */
export function outputStream(
  target: string | URL | StreamSink,
  options?: CompressedOutputOptions & { compression?: Compression },
): Promise<CompressedOutputStream | OutputStream>;

/** open()'s reader in text mode: strings, decoded with the encoding. */
export class ZstdTextReader implements AsyncIterable<string> {
  /** n characters (all without n). */
  read(n?: number): Promise<string>;
  readAll(): Promise<string>;
  /** One line with its '\n' ('' at the end). */
  readLine(): Promise<string>;
  tell(): number;
  readonly closed: boolean;
  close(): Promise<void>;
  /** Line by line. */
  [Symbol.asyncIterator](): AsyncIterator<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** open()'s writer in text mode. */
export class ZstdTextWriter {
  write(text: string): Promise<number>;
  flush(mode?: typeof FLUSH_BLOCK | typeof FLUSH_FRAME): Promise<number>;
  readonly closed: boolean;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface OpenOptions extends CompressorOptions, DecompressorOptions {
  /** 'r' (default), 'w' or 'a' (a new frame after what is there); 'rb' etc. too. Blobs/Files: 'r' only. */
  mode?: 'r' | 'w' | 'a' | 'rb' | 'wb' | 'ab';
  /** Text mode: strings in and out. */
  encoding?: string;
}
/** python-zstandard's zstandard.open: a reader or writer of a .zst file (Node path), Blob or File. */
export function open(
  file: string | URL | Blob,
  options?: OpenOptions & { mode?: 'r' | 'rb'; encoding?: undefined },
): Promise<ZstdDecompressionReader>;
export function open(
  file: string | URL,
  options: OpenOptions & { mode: 'w' | 'a' | 'wb' | 'ab'; encoding?: undefined },
): Promise<ZstdStreamWriter>;
export function open(file: string | URL | Blob, options: OpenOptions & { mode?: 'r' | 'rb'; encoding: string }): Promise<ZstdTextReader>;
export function open(
  file: string | URL,
  options: OpenOptions & { mode: 'w' | 'a' | 'wb' | 'ab'; encoding: string },
): Promise<ZstdTextWriter>;

export type ArchiveChunk = Uint8Array | ArrayBufferView | ArrayBuffer | string;

/** One entry of tarZst(): a File, or an object. */
export interface ArchiveEntryInput {
  name: string;
  /** The whole body. */
  data?: string | ArrayBufferView | ArrayBuffer | SharedArrayBuffer | Blob;
  /** The body as chunks (then size is required). */
  stream?: ReadableStream<ArchiveChunk> | AsyncIterable<ArchiveChunk> | Iterable<ArchiveChunk>;
  /** As stream. */
  body?: ReadableStream<ArchiveChunk> | AsyncIterable<ArchiveChunk> | Iterable<ArchiveChunk>;
  size?: number;
  /** Default 0o644 (0o755 for directories). */
  mode?: number;
  /** Date or milliseconds since the epoch; default now. */
  mtime?: Date | number;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
}

export interface TarZstOptions {
  level?: number;
  threads?: number;
  /** The seekable format: frames of frameSize bytes of tar stream (default 1 MiB) and a seek table. */
  seekable?: boolean;
  frameSize?: number;
}

/** A .tar.zst archive of `entries`, streamed: entries are read one at a time as the stream is read. */
export function tarZst(
  entries: Iterable<File | ArchiveEntryInput> | AsyncIterable<File | ArchiveEntryInput>,
  options?: TarZstOptions,
): ReadableStream<Uint8Array>;

/** One entry as untarZst() yields it; read (or cancel) its body before asking for the next. */
export interface ArchiveEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | string;
  size: number;
  mode: number;
  mtime: Date;
  linkname: string;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  readonly body: ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
}

/** The entries of a .tar.zst archive; truncated: ZstdError('src_size_wrong'); over maxEntrySize: 'output_too_large'. */
export function untarZst(source: StreamSource | Blob, options?: { maxEntrySize?: number }): AsyncIterableIterator<ArchiveEntry>;

/** What packDirectory()'s filter is given about a path: its fs.Stats (lstat's; the part used here, so no @types/node is needed). */
export interface FileStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  size: number;
  mode: number;
  mtimeMs: number;
}

/** Node only: the contents of folder `dir` into a .tar.zst (a path, written under a temporary name, or a sink). */
export function packDirectory(
  dir: string | URL,
  out: string | URL | StreamSink,
  options?: { level?: number; threads?: number; filter?: (relativePath: string, stats: FileStats) => boolean },
): Promise<{ entries: number; bytes: number }>;

/** Node only: extracts under `dir`, never outside it (ZstdError('unsafe_path')). */
export function extractArchive(
  archive: string | URL | StreamSource | Blob,
  dir: string | URL,
  options?: { strip?: number; filter?: (entry: ArchiveEntry) => boolean },
): Promise<{ entries: number }>;
