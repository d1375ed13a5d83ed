// Node entry point, built into dist/node/index.cjs: the one instance that ESM (dist/node/index.mjs
// wraps it), CommonJS and zstd-kit/node users share. The build resolves 'zstd-kit:self' to the
// output file itself, so init() returns module.exports (esbuild's self-require puts it in `default`).
import * as zstd from 'zstd-kit:self';
import { loadNodeModule } from './load-node.js';
import { initWith } from './runtime.js';

export * from './api.js';
export { createZstdCompress, createZstdDecompress, ZstdCompress, ZstdDecompress } from './node-streams.js';
// node:zlib's zstd functions, with node:zlib's shapes (zstd-kit/node).
export { zstdCompress, zstdCompressSync, zstdDecompress, zstdDecompressSync, promises, constants } from './node-zlib.js';
// Node's forms of api.js's inputStream/outputStream/open (paths too), and the file-system archives.
export { inputStream, outputStream, open } from './node-io.js';
export { packDirectory, extractArchive } from './archive-node.js';
// Node's openSeekable() also opens paths and FileHandles; it takes the place of api.js's.
export { openSeekable, saveTensor, loadTensor, createZstdSeekableCompress } from './seekable-node.js';

/**
 * Loads the wasm module (threaded unless `{ threads: false }`). Idempotent; resolves to the
 * module namespace.
 * @param {{ threads?: boolean, locateFile?: (file: string) => string | URL, baseUrl?: string | URL }} [options]
 */
export function init(options) {
  return initWith(loadNodeModule, options, zstd.default ?? zstd);
}
