// Serves web-demo/ at / and the browser build (dist/browser) at /zstd-kit/. Every response
// carries COOP/COEP (unless isolation is turned off, to test the single-threaded fallback),
// so pages here are cross-origin isolated and get the threaded build.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolvePath(fileURLToPath(new URL('.', import.meta.url)));
const roots = [
  ['/zstd-kit/', join(here, '..', 'dist', 'browser')],
  ['/', here],
];
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

function resolve(urlPath) {
  for (const [prefix, dir] of roots) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html');
    const file = join(dir, rel);
    if (!file.startsWith(dir + sep) && file !== dir) return null; // no escaping the root
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) return resolve(join(urlPath, 'index.html'));
      return { file, size: stat.size };
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Starts the demo server. Resolves to the http.Server once it listens.
 * @param {{ port?: number, host?: string, isolated?: boolean }} [options]
 */
export function startServer({ port = 8080, host = '127.0.0.1', isolated = true } = {}) {
  const server = createServer((req, res) => {
    const headers = { 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    const found = req.method === 'GET' || req.method === 'HEAD' ? resolve(new URL(req.url, 'http://x').pathname) : null;
    if (!found) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': types[extname(found.file)] ?? 'application/octet-stream',
      'Content-Length': found.size,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(found.file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

// Run directly: `node web-demo/server.js [--port N] [--no-isolation]` prints the URL it serves.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const portArg = args.indexOf('--port');
  const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.PORT ?? 8080);
  const server = await startServer({ port, isolated: !args.includes('--no-isolation') });
  console.log(`listening http://127.0.0.1:${server.address().port}/`);
}
