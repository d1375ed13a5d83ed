// zstd's constants for the bundled libzstd 1.5.4; usable before init(). A test checks them
// against what the wasm module reports.
export const ZSTD_VERSION = Object.freeze([1, 5, 4]);
export const MAX_COMPRESSION_LEVEL = 22;
export const MIN_COMPRESSION_LEVEL = -131072;
export const DEFAULT_COMPRESSION_LEVEL = 3;
export const MAGIC_NUMBER = 0xfd2fb528;
/** The first four bytes of every zstd frame (the little-endian magic number). */
export const FRAME_HEADER = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]);

export const FLUSH_BLOCK = 1; // python-zstandard: COMPRESSOBJ_FLUSH_BLOCK
export const FLUSH_FRAME = 2;

export const FORMAT_ZSTD1 = 0;
export const FORMAT_ZSTD1_MAGICLESS = 1;

export const STRATEGY_FAST = 1;
export const STRATEGY_DFAST = 2;
export const STRATEGY_GREEDY = 3;
export const STRATEGY_LAZY = 4;
export const STRATEGY_LAZY2 = 5;
export const STRATEGY_BTLAZY2 = 6;
export const STRATEGY_BTOPT = 7;
export const STRATEGY_BTULTRA = 8;
export const STRATEGY_BTULTRA2 = 9;

export const COMPRESSION_RECOMMENDED_INPUT_SIZE = 131072;
export const COMPRESSION_RECOMMENDED_OUTPUT_SIZE = 131591;
export const DECOMPRESSION_RECOMMENDED_INPUT_SIZE = 131075;
export const DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE = 131072;

// Parameter bounds of a 32-bit build (wasm32).
export const WINDOWLOG_MIN = 10;
export const WINDOWLOG_MAX = 30;
export const CHAINLOG_MIN = 6;
export const CHAINLOG_MAX = 29;
export const HASHLOG_MIN = 6;
export const HASHLOG_MAX = 30;
export const SEARCHLOG_MIN = 1;
export const SEARCHLOG_MAX = 29;
export const MINMATCH_MIN = 3;
export const MINMATCH_MAX = 7;
export const TARGETLENGTH_MIN = 0;
export const TARGETLENGTH_MAX = 131072;
