// npm run build: both wasm builds (threaded and single-threaded) and the package in dist/.
//   dist/node/     index.mjs, index.cjs, node.mjs, node.cjs, wasm/ (CommonJS glue + .wasm + worker)
//   dist/browser/  index.js (ESM) with its glue, .wasm and worker files beside it
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureToolchain, root, run } from './lib.mjs';

ensureToolchain();
ensureNodeModules();
const { build } = await import('esbuild');

const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' }; // emcc's optimiser needs acorn
const jobs = String(Math.max(1, (await import('node:os')).availableParallelism()));

for (const [dir, threads] of [
  ['wasm-mt', 'ON'],
  ['wasm-st', 'OFF'],
]) {
  const buildDir = join('build', dir);
  run('emcmake', ['cmake', '-S', '.', '-B', buildDir, `-DZSTDKIT_THREADS=${threads}`, '-DCMAKE_BUILD_TYPE=Release'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  run('cmake', ['--build', buildDir, '-j', jobs], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function copyDir(from, to) {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) copyFileSync(join(from, f), join(to, f));
}

const dist = join(root, 'dist');
for (const dir of ['wasm-mt', 'wasm-st']) {
  copyDir(join(root, 'build', dir, 'node'), join(dist, 'node', 'wasm'));
  copyDir(join(root, 'build', dir, 'web'), join(dist, 'browser'));
}
// The glue is CommonJS: keep a parent "type": "module" from turning it (and its worker) into ESM.
writeFileSync(join(dist, 'node', 'wasm', 'package.json'), '{ "type": "commonjs" }\n');

// Entry points import 'zstd-kit:self': resolved to the output file itself, so init() can hand
// back the very namespace (or module.exports) that users imported.
const selfImport = {
  name: 'self-import',
  setup(b) {
    const self = './' + b.initialOptions.outfile.split('/').pop();
    b.onResolve({ filter: /^zstd-kit:self$/ }, () => ({ path: self, external: true }));
  },
};
const common = { bundle: true, logLevel: 'warning', target: 'es2022', legalComments: 'none', plugins: [selfImport] };
await build({ ...common, entryPoints: ['js/index.js'], outfile: 'dist/node/index.mjs', format: 'esm', platform: 'node' });
await build({
  ...common,
  entryPoints: ['js/index.js'],
  outfile: 'dist/node/index.cjs',
  format: 'cjs',
  platform: 'node',
  define: { 'import.meta.url': '__zstdKitModuleUrl' },
  banner: { js: "const __zstdKitModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: ['js/browser.js'], outfile: 'dist/browser/index.js', format: 'esm', platform: 'browser' });
// zstd-kit/node: the same module instance as the main entry (one init() serves both).
writeFileSync(join(dist, 'node', 'node.mjs'), "export * from './index.mjs';\n");
writeFileSync(join(dist, 'node', 'node.cjs'), "module.exports = require('./index.cjs');\n");
console.log('built dist/node and dist/browser');
