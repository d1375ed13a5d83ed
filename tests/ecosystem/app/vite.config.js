// The app's own Vite config: two pages, and (for the isolated dev server) the COOP/COEP headers a
// page needs to be cross-origin isolated. Nothing here is about zstd-kit.
import { resolve } from 'node:path';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default {
  server: { headers: process.env.ISOLATED ? isolation : {} },
  build: { outDir: process.env.OUT_DIR, rollupOptions: { input: { main: resolve('index.html'), worker: resolve('worker.html') } } },
};
