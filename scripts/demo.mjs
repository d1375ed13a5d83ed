// npm run demo: builds what is missing, then serves the demo on http://127.0.0.1:8080 (PORT overrides).
import { ensureBuilt } from './lib.mjs';

ensureBuilt();
const { startServer } = await import('../web-demo/server.js');
const port = Number(process.env.PORT ?? 8080);
await startServer({ port });
console.log(`zstd-kit demo: http://127.0.0.1:${port}/  (Ctrl+C to stop)`);
