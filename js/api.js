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
export { ZstdStreamReader, ZstdCompressionReader, ZstdDecompressionReader } from './stream-reader.js';
export {
  BufferReader,
  BufferOutputStream,
  CompressedInputStream,
  CompressedOutputStream,
  OutputStream,
  ZstdTextReader,
  ZstdTextWriter,
  inputStream,
  outputStream,
  open,
} from './io.js';
export { tarZst, untarZst } from './archive.js';
export { ZstdCompressionDict, trainDictionary } from './dictionary.js';
export { ZstdCompressionParameters } from './parameters.js';
export { getFrameParameters, frameContentSize, frameHeaderSize, estimateDecompressionContextSize } from './frame.js';
// Random access: seekable files, super-chunks, tensors.
export { compressSeekable, ZstdSeekableCompressionStream } from './seekable.js';
export { openSeekable, ZstdSeekableReader } from './seekable-reader.js';
export { SChunk } from './schunk.js';
export { packTensor, unpackTensor } from './tensor.js';
