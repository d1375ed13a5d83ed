// Browser loader: the ES-module glue beside this file. Threaded only where the page is
// cross-origin isolated and can share memory with workers; otherwise (or if the threaded
// build does not come up in time) single-threaded.
import { planThreads } from './pool.js';

const THREADED_START_TIMEOUT_MS = 15000;

function canUseThreads() {
  if (globalThis.crossOriginIsolated !== true || typeof Worker === 'undefined') return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

async function instantiate(name, extra) {
  const base = new URL('./', import.meta.url);
  const url = new URL(`${name}.js`, base).href;
  const { default: factory } = await import(/* webpackIgnore: true */ url);
  return factory({ locateFile: (file) => new URL(file, base).href, mainScriptUrlOrBlob: url, ...extra });
}

export async function loadBrowserModule(options) {
  if (options.threads !== false && canUseThreads()) {
    const { maxThreads, poolSize } = planThreads(globalThis.navigator?.hardwareConcurrency);
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), THREADED_START_TIMEOUT_MS);
    });
    try {
      const module = await Promise.race([instantiate('zstd-kit-mt', { zkPoolSize: poolSize }), timeout]);
      if (module) {
        module.setMaxThreads(maxThreads);
        return { module, threads: true };
      }
    } catch {
      // fall through to the single-threaded build
    } finally {
      clearTimeout(timer);
    }
  }
  return { module: await instantiate('zstd-kit-st', {}), threads: false };
}
