import { report } from '../roundtrip.js';

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
report(
  new Promise((resolve, reject) => {
    worker.onmessage = (e) => (e.data.error ? reject(e.data.error) : resolve({ ...e.data, in: 'worker' }));
    worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
  }),
);
