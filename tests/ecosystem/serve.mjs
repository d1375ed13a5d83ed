// A static file server for built apps: `.wasm` as application/wasm, and with `isolated` the
// COOP/COEP headers on every response (pages are then cross-origin isolated).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// A CDN as jsDelivr answers: any origin may fetch and embed what it serves.
const cdnHeaders = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };

/**
 * Serves `dir` on 127.0.0.1 (a free port); resolves to { url, close() }. `isolated` adds COOP/COEP,
 * `cors` the headers of a public CDN.
 */
export function serve(dir, { isolated = false, cors = false } = {}) {
  const server = createServer((req, res) => {
    const headers = { 'Cache-Control': 'no-store', ...(isolated ? isolationHeaders : {}), ...(cors ? cdnHeaders : {}) };
    let file = join(dir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!file.startsWith(dir + sep) && file !== dir) file = null;
    try {
      if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
      const { size } = statSync(file);
      res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const close = () => {
        server.closeAllConnections(); // a browser keeps its connections open: don't wait for it
        return new Promise((r) => server.close(r));
      };
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close });
    });
  });
}

/** A TCP port free on 127.0.0.1 now (for servers started by other programs). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
