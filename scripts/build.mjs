// npm run build: both wasm builds (threaded and single-threaded) and the package in dist/.
//   dist/browser/  index.js (ESM entry) beside the files it loads: zstd-kit-st.js (glue),
//                  zstd-kit-mt.text.js (threaded glue and pthread worker as source text, run
//                  from Blob URLs), zstd-kit-{st,mt}.wasm, and zstd-kit-{st,mt}.inline.js (the
//                  wasm as base64, imported only where the .wasm asset cannot be fetched)
//   dist/node/     index.cjs (the one Node instance), index.mjs (ESM face of it), node.{cjs,mjs},
//                  wasm/ (CommonJS glue; zstd-kit-mt.text.cjs: sources for pthread workers)
//   dist/workerd/  index.js (Cloudflare workerd: imports the wasm as a module) and its glue
//   dist/types/    .d.ts for ESM, .d.cts for require()
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureNodeModules, ensureToolchain, root, run } from './lib.mjs';
import { patchGlue } from './glue.mjs';

ensureToolchain();
ensureNodeModules();
const { build, transform } = await import('esbuild');

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

const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
for (const dir of ['browser', 'node/wasm', 'workerd', 'types']) mkdirSync(join(dist, dir), { recursive: true });
const built = (build, flavour, file) => join(root, 'build', build, flavour, file);
const glue = (name, flavour, kind = 'glue') => {
  const threads = name === 'zstd-kit-mt';
  const file = built(threads ? 'wasm-mt' : 'wasm-st', flavour, `${name}${kind === 'worker' ? '.worker' : ''}.js`);
  return patchGlue(readFileSync(file, 'utf8'), { flavour, threads, kind, file });
};
const put = (file, text) => writeFileSync(join(dist, file), text);

// The wasm binaries (the same for every flavour), once, beside the browser entry.
for (const [name, build] of [
  ['zstd-kit-st', 'wasm-st'],
  ['zstd-kit-mt', 'wasm-mt'],
]) {
  const wasm = readFileSync(built(build, 'web', `${name}.wasm`));
  writeFileSync(join(dist, 'browser', `${name}.wasm`), wasm);
  const inline = gzipSync(wasm, { level: 9 }).toString('base64');
  put(
    `browser/${name}.inline.js`,
    `// ${name}.wasm, gzipped, in base64: for bundles that did not emit the .wasm file.\nexport default ${JSON.stringify(inline)};\n`,
  );
}
// The browser glue is on every page's download: minified (Emscripten 3.1.6 only strips its
// whitespace without Closure; embind names what it generates explicitly, so renaming locals is
// safe — the same guarantee its Closure support relies on). The threaded glue's pthread worker
// imports it and calls its default export, which minification keeps.
const minifiedGlue = async (text) => (await transform(text, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' })).code;
put('browser/zstd-kit-st.js', await minifiedGlue(glue('zstd-kit-st', 'web')));
put(
  'browser/zstd-kit-mt.text.js',
  `// The threaded glue and its pthread worker script, run from Blob URLs (see js/load-browser.js).\n` +
    `export const glue = ${JSON.stringify(await minifiedGlue(glue('zstd-kit-mt', 'web')))};\n` +
    `export const worker = ${JSON.stringify(glue('zstd-kit-mt', 'web', 'worker'))};\n`,
);
put('node/wasm/zstd-kit-st.js', glue('zstd-kit-st', 'node'));
put('node/wasm/zstd-kit-mt.js', glue('zstd-kit-mt', 'node'));
put(
  'node/wasm/zstd-kit-mt.text.cjs',
  `// The threaded glue and its pthread worker script as text: workers are eval'd from them (see js/load-node.js).\n` +
    `exports.glue = ${JSON.stringify(glue('zstd-kit-mt', 'node'))};\n` +
    `exports.worker = ${JSON.stringify(glue('zstd-kit-mt', 'node', 'worker'))};\n`,
);
// The glue is CommonJS: keep a parent "type": "module" from turning it into ESM.
put('node/wasm/package.json', '{ "type": "commonjs" }\n');
put('workerd/zstd-kit-st.js', glue('zstd-kit-st', 'workerd'));

// Entry points import 'zstd-kit:self': resolved to the output file itself, so init() can hand
// back the very namespace (or module.exports) that users imported. The files each loader loads
// stay literal relative imports in the output, for users' bundlers to follow.
const selfImport = {
  name: 'self-import',
  setup(b) {
    const self = './' + b.initialOptions.outfile.split('/').pop();
    b.onResolve({ filter: /^zstd-kit:self$/ }, () => ({ path: self, external: true }));
  },
};
// The browser entry's import('modern-tar') becomes import('./zstd-kit-tar.js'): a literal
// relative specifier, which every bundler follows and emits as a chunk of its own.
const lazyTar = {
  name: 'lazy-tar',
  setup(b) {
    b.onResolve({ filter: /^modern-tar$/ }, (args) => {
      if (args.kind !== 'dynamic-import') throw new Error(`${args.importer}: import modern-tar with import(), not statically`);
      return { path: './zstd-kit-tar.js', external: true };
    });
  },
};
// js/archive-node.js imports 'zstd-kit:modern-tar-packer': modern-tar's own synchronous tar encoder
// (add(header) / write(bytes) / endEntry() / finalize(), every byte given to a callback), the one
// both its web and its Node packers wrap, each with an async step or a stream per entry that
// costs more than a small file. modern-tar does not export it by name, so it is found where its
// Node packer imports it from; the build stops if that import is no longer there.
const modernTarPacker = {
  name: 'modern-tar-packer',
  setup(b) {
    b.onResolve({ filter: /^zstd-kit:modern-tar-packer$/ }, () => ({ path: 'modern-tar-packer', namespace: 'modern-tar-packer' }));
    b.onLoad({ filter: /.*/, namespace: 'modern-tar-packer' }, () => {
      const nodePacker = join(root, 'node_modules', 'modern-tar', 'dist', 'fs', 'index.js');
      const found = /import\s*\{[^}]*\b(\w+) as createTarPacker\b[^}]*\}\s*from\s*"(\.\.\/[\w.-]+\.js)"/.exec(
        readFileSync(nodePacker, 'utf8'),
      );
      if (found === null) throw new Error(`${nodePacker}: no import of createTarPacker (modern-tar changed: see js/archive-node.js)`);
      const file = join(dirname(nodePacker), found[2]);
      return { contents: `export { ${found[1]} as createTarPacker } from ${JSON.stringify(file)};\n`, resolveDir: root, loader: 'js' };
    });
  },
};
// The browser entry keeps the names of its classes and exported functions only (esbuild's
// keepNames wraps every function: ~2 KB of gzip): users see them on instances, in messages
// (describe() in options.js names the constructor of what it got) and on the API's functions.
// Every class of js/ is declared at the top level.
const classNames = {
  name: 'class-names',
  setup(b) {
    // The functions users are given: js/api.js's export lists, and init() of the entry.
    const lists = readFileSync(join(root, 'js/api.js'), 'utf8').matchAll(/export\s*\{([^}]*)\}/g);
    const api = new Set(['init', ...[...lists].flatMap((m) => m[1].split(',').map((name) => name.trim()))]);
    b.onLoad({ filter: /[\\/]js[\\/][^\\/]+\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const names = [...text.matchAll(/^(?:export )?class (\w+)|^export (?:async )?function\*? ?(\w+)/gm)]
        .filter(([, cls, fn]) => cls || api.has(fn))
        .map(([, cls, fn]) => cls ?? fn);
      if (names.length === 0) return { contents: text, loader: 'js' };
      const keep = `\nfor (const [n, c] of Object.entries({ ${names.join(', ')} })) Object.defineProperty(c, 'name', { value: n, configurable: true });\n`;
      return { contents: text + keep, loader: 'js' };
    });
  },
};
const common = {
  bundle: true,
  logLevel: 'warning',
  target: 'es2022',
  legalComments: 'none',
  keepNames: true, // users see WasmBuffer, not _WasmBuffer
  plugins: [selfImport, modernTarPacker],
  external: ['./zstd-kit-*', './wasm/*', '../browser/*'],
};
await Promise.all([
  build({ ...common, entryPoints: ['js/index.js'], outfile: 'dist/node/index.cjs', format: 'cjs', platform: 'node' }),
  // What a browser downloads is kept small: minified (class and function names kept), and
  // modern-tar, which only tarZst()/untarZst() use, left to its own file (zstd-kit-tar.js, below)
  // that archive.js's import() fetches on first use.
  build({
    ...common,
    entryPoints: ['js/browser.js'],
    outfile: 'dist/browser/index.js',
    format: 'esm',
    platform: 'browser',
    minify: true,
    keepNames: false,
    plugins: [...common.plugins, lazyTar, classNames],
    metafile: true, // what each module adds: the size bench's breakdown of index.js
  }).then((r) => writeFileSync(join(root, 'build', 'browser-index.meta.json'), JSON.stringify(r.metafile))),
  build({
    stdin: { contents: "export { createTarDecoder, createTarPacker } from 'modern-tar';", resolveDir: root },
    bundle: true,
    logLevel: 'warning',
    target: 'es2022',
    legalComments: 'none',
    outfile: 'dist/browser/zstd-kit-tar.js',
    format: 'esm',
    platform: 'browser',
    minify: true,
  }),
  // The command line (package.json's "bin"): the library and the CLI in one file, beside index.cjs.
  build({
    ...common,
    entryPoints: ['js/cli.js'],
    outfile: 'dist/node/cli.cjs',
    format: 'cjs',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({ ...common, entryPoints: ['js/workerd.js'], outfile: 'dist/workerd/index.js', format: 'esm', platform: 'neutral' }),
]);
// Minification drops comments, and with them the directives that keep webpack and Vite away from
// the one import() of a run-time (Blob) URL: put them back.
// (Its name is minified: it is the one import() whose argument is a variable.)
const browserEntry = join(dist, 'browser', 'index.js');
const minified = readFileSync(browserEntry, 'utf8');
const glueImport = /\bimport\(([A-Za-z_$][\w$]*)\)/g;
if (minified.match(glueImport)?.length !== 1)
  throw new Error('dist/browser/index.js: expected one import() of a variable (glueUrl in js/load-browser.js)');
writeFileSync(browserEntry, minified.replace(glueImport, 'import(/* webpackIgnore: true */ /* @vite-ignore */ $1)'));

// The ESM face of the one Node instance: ESM and CommonJS users (and zstd-kit/node) share it,
// so one init() serves all; its init() resolves to this namespace.
put(
  'node/index.mjs',
  "import * as self from './index.mjs';\nimport cjs from './index.cjs';\n\nexport * from './index.cjs';\n\n" +
    '/** Loads the wasm module (see index.cjs); resolves to this namespace. */\n' +
    'export function init(options) {\n  return cjs.init(options).then(() => self);\n}\n',
);
put('node/node.mjs', "export * from './index.mjs';\n");
put('node/node.cjs', "module.exports = require('./index.cjs');\n");

// Types: the .d.ts as written, and a CommonJS twin of each for require() (TypeScript's node16+).
for (const name of ['index', 'node']) {
  const dts = readFileSync(join(root, 'js', `${name}.d.ts`), 'utf8');
  put(`types/${name}.d.ts`, dts);
  put(`types/${name}.d.cts`, dts.replaceAll("'./index.js'", "'./index.cjs'"));
}
chmodSync(join(dist, 'node', 'cli.cjs'), 0o755);
console.log('built dist/browser, dist/node, dist/workerd and dist/types');
