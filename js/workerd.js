// Cloudflare workerd entry point (the "workerd" export condition wrangler resolves). workerd
// compiles no wasm from bytes and has no module URLs: the wasm comes in as an imported
// WebAssembly.Module (wrangler, or a config.capnp wasm module), and the glue is the flavour that
// generates no code (-sDYNAMIC_EXECUTION=0). Single-threaded: Workers have no shared memory.
import * as zstd from 'zstd-kit:self';
import wasmModule from '../browser/zstd-kit-st.wasm';
import factory from './zstd-kit-st.js';
import { loadFailed, startModule } from './load-common.js';
import { initWith } from './runtime.js';

export * from './api.js';

async function loadWorkerdModule() {
  if (typeof FinalizationRegistry !== 'function' || typeof WeakRef !== 'function') {
    throw loadFailed(
      'zstd-kit needs WeakRef and FinalizationRegistry, which workerd has from compatibility date 2025-05-05 ' +
        '(or with the enable_weak_ref flag): set compatibility_date to 2025-05-05 or later',
    );
  }
  // wrangler (and workerd's wasm modules) give a WebAssembly.Module; a bundler with a binary loader, bytes.
  const compiled = wasmModule instanceof WebAssembly.Module ? wasmModule : await WebAssembly.compile(wasmModule);
  return { module: await startModule(factory, compiled), threads: false };
}

/**
 * Loads the wasm module (single-threaded). Idempotent; resolves to the module namespace.
 * @param {{ threads?: boolean }} [options]
 */
export function init(options) {
  return initWith(loadWorkerdModule, options, zstd);
}
