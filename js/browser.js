// Browser entry point (ESM): served as /zstd-kit/index.js beside its wasm and worker files.
// The build resolves this to the output file itself, so init() returns the object users
// imported: the ESM namespace, or (CommonJS build, where esbuild wraps the self-require)
// its `default`, module.exports.
import * as zstd from 'zstd-kit:self';
import { loadBrowserModule } from './load-browser.js';
import { initWith } from './runtime.js';

export * from './api.js';

/**
 * Loads the wasm module: threaded when the page is cross-origin isolated, else single-threaded.
 * Idempotent; resolves to the module namespace.
 * @param {{ threads?: boolean }} [options]
 */
export function init(options) {
  return initWith(loadBrowserModule, options, zstd.default ?? zstd);
}
