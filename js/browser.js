// Browser entry point (ESM): dist/browser/index.js, beside its glue and wasm files. The build
// resolves 'zstd-kit:self' to the output file itself, so init() returns the namespace users imported.
import * as zstd from 'zstd-kit:self';
import { loadBrowserModule } from './load-browser.js';
import { initWith } from './runtime.js';

export * from './api.js';

/**
 * Loads the wasm module: threaded when the page is cross-origin isolated, else single-threaded.
 * Idempotent; resolves to the module namespace.
 * @param {{ threads?: boolean, locateFile?: (file: string) => string | URL, baseUrl?: string | URL }} [options]
 */
export function init(options) {
  return initWith(loadBrowserModule, options, zstd);
}
