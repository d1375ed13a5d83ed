// What the loaders (browser, Node, workerd) share: where the user said the .wasm is, compiling
// it from a URL or its inline copy, starting a glue factory on the compiled module while noticing
// at once when a pthread worker fails, and trying the threaded build before the single-threaded one.
import { ZstdError } from './errors.js';

/** Longest a threaded start may take when no failure is reported: a guard against hangs only. */
const THREADED_START_GUARD_MS = 5000;

/** ZstdError('load_failed'): what failed, where, and what to do. */
export function loadFailed(message, cause) {
  return new ZstdError('load_failed', message, { cause });
}

/** What `load()` (the literal import or require of a file the package ships) resolves to. */
export async function loadGlue(name, load) {
  try {
    return await load();
  } catch (e) {
    throw loadFailed(`could not load ${name}, a file of zstd-kit's own (${e.message}): serve it with the app, where the bundler put it`, e);
  }
}

/**
 * Where init({ locateFile, baseUrl }) says `file` is (locateFile wins), or undefined when
 * neither is given. locateFile(file) returns a URL or a string; baseUrl is the folder holding the
 * package's .wasm files (dist/browser/): a URL, or a string resolved against the page (in Node,
 * Deno and Bun: a URL or a path).
 */
export function locate(options, file) {
  const { locateFile, baseUrl } = options;
  if (locateFile !== undefined) {
    if (typeof locateFile !== 'function') throw new TypeError('init(): locateFile must be a function (file name) => URL or path');
    const where = locateFile(file);
    if (typeof where !== 'string' && !(where instanceof URL))
      throw new TypeError(`init(): locateFile('${file}') must return a URL or a string`);
    return where;
  }
  if (baseUrl === undefined) return undefined;
  if (typeof baseUrl !== 'string' && !(baseUrl instanceof URL)) throw new TypeError('init(): baseUrl must be a URL or a string');
  const base = String(baseUrl).endsWith('/') ? String(baseUrl) : `${baseUrl}/`;
  const page = globalThis.location?.href;
  if (page === undefined && !URL.canParse(base)) return base + file; // a path
  return new URL(file, new URL(base, page)).href;
}

/** Compiles the .wasm served at `url` (any MIME type: a wrong one only loses streaming). */
export async function compileFromUrl(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/.test(response.headers.get('content-type') ?? '')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The .wasm from its inline copy: gzipped (so it costs what the .wasm does over gzip), in base64. */
export async function fromInline(text) {
  let gzipped;
  if (typeof Uint8Array.fromBase64 === 'function') {
    gzipped = Uint8Array.fromBase64(text);
  } else {
    const binary = atob(text);
    gzipped = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) gzipped[i] = binary.charCodeAt(i);
  }
  const stream = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/**
 * Compiles the .wasm `file`: from where init's options say; else from `defaultLocation()` (the
 * copy the package ships beside its loader); else from `inline()` (a module whose default export
 * is the inline copy, for bundles that did not emit the file). `compileFrom(location)` does
 * the fetching. A location the user gave is never replaced by the inline copy: its failure is
 * the error.
 */
export async function compileWasm(file, options, { defaultLocation, compileFrom, inline }) {
  const chosen = locate(options, file);
  if (chosen !== undefined) {
    try {
      return await compileFrom(chosen);
    } catch (e) {
      throw loadFailed(
        `could not load ${file} from ${chosen} (init's locateFile/baseUrl): ${e.message}; serve it there or fix the option`,
        e,
      );
    }
  }
  let where;
  try {
    where = defaultLocation();
    return await compileFrom(where);
  } catch (assetError) {
    try {
      return await WebAssembly.compile(await fromInline((await inline()).default));
    } catch (inlineError) {
      throw loadFailed(
        `could not load ${file} from ${where ?? 'beside the loader'} (${assetError.message}) nor its inline copy (${inlineError.message}); ` +
          `serve ${file} there, or tell init() where it is with { baseUrl } or { locateFile }`,
        new AggregateError([assetError, inlineError], `${file} did not load`),
      );
    }
  }
}

function workerFailure(event) {
  if (event instanceof Error) return event;
  const where = event?.filename ? ` at ${event.filename}:${event.lineno}` : '';
  return new Error(`a pthread worker failed to start: ${event?.message || 'its script did not load'}${where}`);
}

/**
 * Runs an Emscripten glue factory on a compiled WebAssembly.Module. With `newWorker` (threaded
 * build), the factory's pthread workers come from it, and a worker that fails while the module
 * starts, or a start slower than the guard, rejects at once and terminates the workers made.
 */
export function startModule(factory, wasmModule, { newWorker, ...moduleOptions } = {}) {
  return new Promise((resolve, reject) => {
    const workers = [];
    let state = 'starting';
    let timer;
    const fail = (error) => {
      if (state !== 'starting') return;
      state = 'failed';
      clearTimeout(timer);
      for (const worker of workers) worker.terminate();
      reject(error);
    };
    const moduleArg = {
      ...moduleOptions,
      instantiateWasm(imports, receiveInstance) {
        WebAssembly.instantiate(wasmModule, imports).then((instance) => receiveInstance(instance, wasmModule), fail);
        return {};
      },
    };
    if (newWorker) {
      timer = setTimeout(
        () => fail(new Error(`the threaded build did not start within ${THREADED_START_GUARD_MS / 1000} s`)),
        THREADED_START_GUARD_MS,
      );
      // Listened to from the start: the glue listens only once the wasm is instantiated, and in
      // Node an 'error' nobody listens to would end the process.
      const onError = (event) => fail(workerFailure(event));
      moduleArg.zkNewWorker = () => {
        const worker = newWorker();
        if (typeof worker.on === 'function') worker.on('error', onError);
        else worker.addEventListener('error', onError);
        workers.push(worker);
        return worker;
      };
      // The glue's own handler. After start-up a failing worker throws, as the glue itself would.
      moduleArg.zkWorkerError = (event) => {
        if (state === 'started') throw workerFailure(event);
        fail(workerFailure(event));
      };
    }
    let ready;
    try {
      ready = factory(moduleArg);
    } catch (e) {
      fail(e);
      return;
    }
    ready.then((module) => {
      if (state !== 'starting') return;
      state = 'started';
      clearTimeout(timer);
      resolve(module);
    }, fail);
  });
}

/**
 * The threaded build when wanted and it starts, else the single-threaded one. A threaded start
 * that fails is no error: init() goes on single-threaded, and `threadsError` says why.
 */
export async function loadPreferringThreads(wantThreads, loadThreaded, loadSingle) {
  let threadsError = null;
  if (wantThreads) {
    try {
      return { module: await loadThreaded(), threads: true, threadsError };
    } catch (e) {
      threadsError = loadFailed(`the threaded build did not start, so zstd-kit runs single-threaded: ${e.message}`, e);
    }
  }
  return { module: await loadSingle(), threads: false, threadsError };
}
