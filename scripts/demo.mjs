// npm run demo: serves the demo on http://127.0.0.1:8080 (PORT overrides), building first only
// when dist/ is missing or older than what it is built from (so a start with nothing changed
// takes well under a second).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ensureNodeModules, root } from './lib.mjs';

// Newest (or oldest) modification time of the files under `paths`.
function mtimes(paths, pick) {
  let out = pick === Math.max ? 0 : Infinity;
  const visit = (p) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
    else out = pick(out, s.mtimeMs);
  };
  for (const p of paths) if (existsSync(p)) visit(p);
  return out;
}

const sources = ['js', 'src', 'cmake', 'CMakeLists.txt', 'package.json', 'scripts/build.mjs', 'scripts/glue.mjs'].map((p) => join(root, p));
const dist = join(root, 'dist');
const fresh = existsSync(join(dist, 'browser', 'index.js')) && mtimes([dist], Math.min) > mtimes(sources, Math.max);
if (fresh) ensureNodeModules();
else ensureBuilt();
const { startServer } = await import('../web-demo/server.js');
const server = await startServer({ port: Number(process.env.PORT ?? 8080) });
console.log(`zstd-kit demo: http://127.0.0.1:${server.address().port}/  (Ctrl+C to stop)`);
