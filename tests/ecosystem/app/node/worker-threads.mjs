// zstd-kit inside a worker_threads Worker of the app's (its pthreads nested in that worker).
import { Worker } from 'node:worker_threads';
import { report } from '../roundtrip.js';

report(
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./thread.mjs', import.meta.url));
    worker.once('message', (result) => resolve({ ...result, in: 'worker_threads' }));
    worker.once('error', reject);
  }),
);
