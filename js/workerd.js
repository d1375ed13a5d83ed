// Cloudflare workerd entry point (the "workerd" export condition wrangler resolves). workerd
// compiles no wasm from bytes and has no module URLs: the wasm comes in as an imported
// WebAssembly.Module (wrangler, or a config.capnp wasm module), and the glue is the flavour that
// generates no code (-sDYNAMIC_EXECUTION=0). Single-threaded: Workers have no shared memory.
import * as zstd from 'zstd-kit:self';
import wasmModule from '../browser/zstd-kit-st.wasm';
import factory from './zstd-kit-st.js';
import { startModule } from './load-common.js';
import { initWith } from './runtime.js';

export * from './api.js';

async function loadWorkerdModule() {
  return { module: await startModule(factory, wasmModule), threads: false };
}

/**
 * Loads the wasm module (single-threaded). Idempotent; resolves to the module namespace.
 * @param {{ threads?: boolean }} [options]
 */
export function init(options) {
  return initWith(loadWorkerdModule, options, zstd);
}
