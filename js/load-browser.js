// Browser loader (pages and module Web Workers): threaded only where the page is cross-origin
// isolated and can share memory with workers; otherwise, or if the threaded build fails to start,
// single-threaded. Built into dist/browser/index.js, beside the files it loads.
//
// Every file is named by a literal a bundler can follow: the glue by import('./...js'), the wasm by
// new URL('./...wasm', import.meta.url) (emitted by Vite, webpack and Parcel). Where a bundler
// emits no .wasm (esbuild, Rollup), the fetch fails and the base64 copy is imported instead: it is
// a chunk of its own, so it costs nothing where the .wasm exists. The threaded glue and its pthread
// worker come as source text and run from Blob URLs, so no bundler has to emit a worker script
// and no dev server can rewrite one.
import { compileFromUrl, compileWasm, loadGlue, loadPreferringThreads, startModule } from './load-common.js';
import { planThreads } from './pool.js';

function canUseThreads() {
  if (globalThis.crossOriginIsolated !== true || typeof Worker === 'undefined') return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

const blobUrl = (text) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));

async function loadThreaded(options) {
  const { maxThreads, poolSize } = planThreads(globalThis.navigator?.hardwareConcurrency, options.maxThreads);
  const [sources, wasmModule] = await Promise.all([
    loadGlue('zstd-kit-mt.text.js', () => import('./zstd-kit-mt.text.js')),
    compileWasm('zstd-kit-mt.wasm', options, {
      defaultLocation: () => new URL('./zstd-kit-mt.wasm', import.meta.url),
      compileFrom: compileFromUrl,
      inline: () => import('./zstd-kit-mt.inline.js'),
    }),
  ]);
  const glueUrl = blobUrl(sources.glue);
  const workerUrl = blobUrl(sources.worker);
  try {
    const { default: factory } = await import(/* webpackIgnore: true */ /* @vite-ignore */ glueUrl);
    const module = await startModule(factory, wasmModule, {
      zkPoolSize: poolSize,
      mainScriptUrlOrBlob: glueUrl,
      newWorker: () => new Worker(workerUrl, { name: 'zstd-kit pthread' }),
    });
    module.setMaxThreads(maxThreads);
    return module;
  } catch (e) {
    // The workers of a running module keep using both URLs; a failed start needs neither.
    URL.revokeObjectURL(glueUrl);
    URL.revokeObjectURL(workerUrl);
    throw e;
  }
}

async function loadSingle(options) {
  const [{ default: factory }, wasmModule] = await Promise.all([
    loadGlue('zstd-kit-st.js', () => import('./zstd-kit-st.js')),
    compileWasm('zstd-kit-st.wasm', options, {
      defaultLocation: () => new URL('./zstd-kit-st.wasm', import.meta.url),
      compileFrom: compileFromUrl,
      inline: () => import('./zstd-kit-st.inline.js'),
    }),
  ]);
  return startModule(factory, wasmModule);
}

export function loadBrowserModule(options) {
  return loadPreferringThreads(
    options.threads !== false && canUseThreads(),
    () => loadThreaded(options),
    () => loadSingle(options),
  );
}
