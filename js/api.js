// Everything zstd-kit exports, the same in every environment; each entry point adds init().
export * from './constants.js';
export { ZstdError } from './errors.js';
export { features, memory } from './runtime.js';
export { WasmBuffer, allocBuffer } from './buffer.js';
export { BufferSegment, BufferSegments, BufferWithSegments, BufferWithSegmentsCollection } from './segments.js';
export { ZstdCompressor, compressBound } from './compressor.js';
export { ZstdDecompressor } from './decompressor.js';
export { compress, decompress, compressAsync, decompressAsync } from './oneshot.js';
export { ZstdCompressionObj, ZstdDecompressionObj, ZstdCompressionChunker } from './stream-objects.js';
export { ZstdStreamWriter } from './stream-writer.js';
export { ZstdCompressionStream, ZstdDecompressionStream } from './web-streams.js';
export { ZstdCompressionDict, trainDictionary } from './dictionary.js';
export { ZstdCompressionParameters } from './parameters.js';
export { getFrameParameters, frameContentSize, frameHeaderSize, estimateDecompressionContextSize } from './frame.js';
