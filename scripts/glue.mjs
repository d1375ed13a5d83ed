// Post-processing of the glue Emscripten 3.1.6 generates, so that it loads the same way under
// every bundler and runtime. Each patch must match exactly once (a new Emscripten fails the
// build here, not at a user's); check() then asserts what must never remain.
//
// What the patches do, and why:
// - No `import.meta` in the browser/workerd glue: bundlers rewrite it (webpack inlines the
//   builder's file path), esbuild/Rollup leave `new URL(x, import.meta.url)` pointing nowhere,
//   and workerd has no module URL. The loader brings the compiled wasm (instantiateWasm).
// - Pthread workers come from the loader (Module.zkNewWorker): a Blob URL in browsers (no dev
//   server can rewrite it, no bundler needs to emit it), eval'd source in a bundled Node app.
// - A worker that fails to start reports to the loader (Module.zkWorkerError), which falls back
//   to the single-threaded build at once, instead of an uncaught throw and a hang.
// - The Node glue no longer sets a process-wide `global.Worker`.

const patches = {
  web: [
    ['module URL', 'var _scriptDir = import.meta.url;', 'var _scriptDir = undefined;'],
    ['wasm URL', /wasmBinaryFile=new URL\("(zstd-kit-(?:st|mt)\.wasm)",import\.meta\.url\)\.toString\(\)/, 'wasmBinaryFile="$1"'],
  ],
  // In an app bundled as an ES module for Node there is no __dirname (the glue needs no files).
  node: [['script directory', 'scriptDirectory=__dirname+"/"', 'scriptDirectory=(typeof __dirname=="string"?__dirname:".")+"/"']],
  threads: [
    [
      'worker creation',
      /allocateUnusedWorker:function\(\)\{.*?\},getNewWorker:/,
      'allocateUnusedWorker:function(){PThread.unusedWorkers.push(Module["zkNewWorker"]())},getNewWorker:',
    ],
    [
      'worker errors',
      'worker.onerror=(e=>{var message="worker sent an error!";err(message+" "+e.filename+":"+e.lineno+": "+e.message);throw e})',
      'worker.onerror=(e=>{Module["zkWorkerError"](e)})',
    ],
  ],
  nodeThreads: [['global Worker', 'global.Worker=nodeWorkerThreads.Worker}', '}']],
  // A worker whose glue fails to load throws it (an 'error' event the loader sees) instead of
  // leaving an unhandled rejection nobody hears of.
  worker: [
    [
      'worker load failure',
      '.then(function(instance){Module=instance})',
      '.then(function(instance){Module=instance},function(e){setTimeout(function(){throw e})})',
    ],
  ],
  // Deno's worker_threads global has a read-only `location`: assigning it threw, and the worker died.
  nodeWorker: [['worker location', 'location:{href:__filename},', '']],
};

function apply(text, list, file) {
  for (const [what, search, replacement] of list) {
    const found = typeof search === 'string' ? text.split(search).length - 1 : (text.match(new RegExp(search, 'g')) ?? []).length;
    if (found !== 1) throw new Error(`glue patch "${what}" matched ${found} times in ${file} (expected once): Emscripten changed?`);
    text = text.replace(search, replacement);
  }
  return text;
}

/**
 * The patched glue. `flavour` is 'node', 'web' or 'workerd' (as cmake/wasm.cmake names them);
 * `kind` is 'glue' or 'worker' (the pthread worker script).
 */
export function patchGlue(text, { flavour, threads, kind = 'glue', file = 'glue' }) {
  if (kind === 'worker') return apply(text, [...patches.worker, ...(flavour === 'node' ? patches.nodeWorker : [])], file);
  text = apply(text, flavour === 'node' ? patches.node : patches.web, file);
  if (threads) text = apply(text, [...patches.threads, ...(flavour === 'node' ? patches.nodeThreads : [])], file);
  check(text, { flavour, threads, file });
  return text;
}

/** What must not remain in patched glue; throws naming the first offence. */
export function check(text, { flavour, threads, file = 'glue' }) {
  const forbidden = [
    [/process\["on"\]\("(uncaughtException|unhandledRejection)"/, 'a process-wide error handler'],
    [/global\.Worker=/, 'a global Worker'],
  ];
  if (flavour !== 'node') forbidden.push([/import\.meta/, 'import.meta']);
  if (threads) forbidden.push([/new Worker\(/, 'a worker the loader does not create']);
  if (flavour === 'workerd') forbidden.push([/new Function|\beval\(/, 'code generation (refused by workerd)']);
  for (const [pattern, what] of forbidden) {
    if (pattern.test(text)) throw new Error(`${file}: ${what} is left in the glue`);
  }
}
