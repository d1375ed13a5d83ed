// Node entry point (ESM; the CommonJS entry is built from this file).
// The build resolves this to the output file itself, so init() returns the object users
// imported: the ESM namespace, or (CommonJS build, where esbuild wraps the self-require)
// its `default`, module.exports.
import * as zstd from 'zstd-kit:self';
import { loadNodeModule } from './load-node.js';
import { initWith } from './runtime.js';

export * from './api.js';
export { createZstdCompress, createZstdDecompress } from './node-streams.js';

/**
 * Loads the wasm module (threaded unless `{ threads: false }`). Idempotent; resolves to the
 * module namespace.
 * @param {{ threads?: boolean }} [options]
 */
export function init(options) {
  return initWith(loadNodeModule, options, zstd.default ?? zstd);
}
