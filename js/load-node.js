// Node loader: the CommonJS glue beside this file (dist/node/wasm/), threaded unless told not.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { planThreads } from './pool.js';

export async function loadNodeModule(options) {
  const threads = options.threads !== false;
  const name = threads ? 'zstd-kit-mt' : 'zstd-kit-st';
  const require = createRequire(import.meta.url);
  const glue = require.resolve(`./wasm/${name}.js`);
  const factory = require(glue);
  const { maxThreads, poolSize } = planThreads(availableParallelism());
  const module = await factory({
    // Node's fetch rejects file paths: hand the binary over ourselves.
    wasmBinary: readFileSync(glue.replace(/\.js$/, '.wasm')),
    zkPoolSize: poolSize,
  });
  if (threads) {
    module.setMaxThreads(maxThreads);
    // Idle pool workers must not keep the process alive.
    for (const worker of module.pthreadWorkers()) worker.unref();
  }
  return { module, threads };
}
