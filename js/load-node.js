// Node loader (also Deno and Bun), threaded unless told not. Built into dist/node/index.cjs only,
// so paths are relative to dist/node/: the CommonJS glue in wasm/, the .wasm beside the browser
// entry. Each is named by a literal require()/import() a bundler follows. A Node app bundled with
// esbuild or webpack carries the glue as code but finds no files beside it: the wasm then comes
// from its inline copy. Pthread workers are always eval'd from the glue's source text, so they
// need no file either.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileWasm, loadGlue, loadPreferringThreads, startModule } from './load-common.js';
import { planThreads } from './pool.js';

/** Compiles the .wasm at a path, or at a file:, http: or https: URL. */
async function compileFrom(location) {
  const where = String(location);
  if (/^https?:/i.test(where)) {
    const response = await fetch(where);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(readFileSync(/^file:/i.test(where) ? fileURLToPath(where) : where));
}

// A pthread worker: Emscripten's worker script, then the glue when that script asks for it with
// importScripts(). Both come as workerData. Eval'd code is CommonJS or, under --input-type=module,
// ESM: import() works in both, and gives the script the require() it expects.
const workerBootstrap = `import('node:module').then(({ createRequire }) => {
  globalThis.require = createRequire(process.cwd() + '/');
  const { worker, glue } = require('node:worker_threads').workerData;
  (0, eval)(worker);
  globalThis.importScripts = () => (0, eval)(glue);
});`;

async function loadThreaded(options) {
  const { maxThreads, poolSize } = planThreads(availableParallelism(), options.maxThreads);
  const factory = await loadGlue('zstd-kit-mt.js', () => require('./wasm/zstd-kit-mt.js'));
  const wasmModule = await compileWasm('zstd-kit-mt.wasm', options, {
    defaultLocation: () => join(__dirname, '..', 'browser', 'zstd-kit-mt.wasm'),
    compileFrom,
    inline: () => import('../browser/zstd-kit-mt.inline.js'),
  });
  const sources = await loadGlue('zstd-kit-mt.text.cjs', () => require('./wasm/zstd-kit-mt.text.cjs'));
  const module = await startModule(factory, wasmModule, {
    zkPoolSize: poolSize,
    mainScriptUrlOrBlob: 'zstd-kit-mt.js',
    newWorker: () => new Worker(workerBootstrap, { eval: true, workerData: sources }),
  });
  module.setMaxThreads(maxThreads);
  // Idle pool workers must not keep the process alive.
  for (const worker of module.pthreadWorkers()) worker.unref();
  return module;
}

async function loadSingle(options) {
  const factory = await loadGlue('zstd-kit-st.js', () => require('./wasm/zstd-kit-st.js'));
  const wasmModule = await compileWasm('zstd-kit-st.wasm', options, {
    defaultLocation: () => join(__dirname, '..', 'browser', 'zstd-kit-st.wasm'),
    compileFrom,
    inline: () => import('../browser/zstd-kit-st.inline.js'),
  });
  return startModule(factory, wasmModule);
}

export function loadNodeModule(options) {
  return loadPreferringThreads(
    options.threads !== false,
    () => loadThreaded(options),
    () => loadSingle(options),
  );
}
