// Serves web-demo/ at / and the browser build (dist/browser) at /zstd-kit/ (and, with --files DIR,
// that folder at /files/). Every response carries COOP/COEP (unless isolation is turned off, to
// test the single-threaded fallback), so pages here are cross-origin isolated and get the
// threaded build. Single byte ranges (Range: bytes=a-b, a-, -n) are answered with 206, so
// openSeekable() can read files here by HTTP range requests.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolvePath(fileURLToPath(new URL('.', import.meta.url)));
const defaultRoots = [
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

function resolve(urlPath, roots) {
  for (const [prefix, dir] of roots) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html');
    const file = join(dir, rel);
    if (!file.startsWith(dir + sep) && file !== dir) return null; // no escaping the root
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) return resolve(join(urlPath, 'index.html'), roots);
      return { file, size: stat.size };
    } catch {
      return null;
    }
  }
  return null;
}

// A single byte range of a file of `size` bytes: [start, end] (inclusive), null when it cannot be
// satisfied, undefined when there is none we serve (no header, or several ranges: the whole file).
function byteRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return Number(m[2]) === 0 || size === 0 ? null : [Math.max(0, size - Number(m[2])), size - 1];
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? null : [start, end];
}

/**
 * Starts the demo server. Resolves to the http.Server once it listens.
 * @param {{ port?: number, host?: string, isolated?: boolean, files?: string }} [options] files: a
 *   folder served at /files/
 */
export function startServer({ port = 8080, host = '127.0.0.1', isolated = true, files } = {}) {
  const roots = files ? [['/files/', resolvePath(files)], ...defaultRoots] : defaultRoots;
  const server = createServer((req, res) => {
    const headers = { 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    const found = req.method === 'GET' || req.method === 'HEAD' ? resolve(new URL(req.url, 'http://x').pathname, roots) : null;
    if (!found) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    headers['Accept-Ranges'] = 'bytes';
    const range = byteRange(req.headers.range, found.size);
    if (range === null) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${found.size}` });
      res.end();
      return;
    }
    const [start, end] = range ?? [0, found.size - 1];
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Content-Type': types[extname(found.file)] ?? 'application/octet-stream',
      'Content-Length': end - start + 1,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${found.size}` } : {}),
    });
    if (req.method === 'HEAD' || found.size === 0) res.end();
    else createReadStream(found.file, { start, end }).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

// Run directly: `node web-demo/server.js [--port N] [--no-isolation] [--files DIR]` prints the URL it serves.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const portArg = args.indexOf('--port');
  const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.PORT ?? 8080);
  const filesArg = args.indexOf('--files');
  const files = filesArg >= 0 ? args[filesArg + 1] : undefined;
  const server = await startServer({ port, isolated: !args.includes('--no-isolation'), files });
  console.log(`listening http://127.0.0.1:${server.address().port}/`);
}
