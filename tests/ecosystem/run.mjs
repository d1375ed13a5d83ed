// The ecosystem matrix: zstd-kit as users install it. Packs the package (npm pack), installs the
// tarball into fresh projects, and runs the same tiny app (app/) through every bundler, runtime and
// TypeScript setup the README names, with the tools pinned in this folder's package-lock.json.
// Prints a table (scenario, result, details) and, with --json FILE, writes the results there.
//
//   node tests/ecosystem/run.mjs [--json FILE] [--only SUBSTRING] [--tarball FILE]
//
// --tarball runs the matrix on a given package instead of packing this checkout.
//
// Browser pages load in Debian's Chromium (playwright-core), each served with and without
// COOP/COEP: features.threads must be true exactly when the page is cross-origin isolated.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../browser/harness.cjs';
import { freePort, serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const tools = join(here, 'node_modules');
const bin = (name) => join(tools, '.bin', name);
const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? resolve(args[args.indexOf('--json') + 1]) : null;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';
const givenTarball = args.includes('--tarball') ? resolve(args[args.indexOf('--tarball') + 1]) : null;
const PAGE_TIMEOUT_MS = 60000;

const results = [];
const record = (name, ok, text) => {
  const details = text.replace(/\s+/g, ' ').trim().slice(0, 400);
  results.push({ name, ok, details });
  console.log(`${ok ? 'works' : 'FAILS'}  ${name}: ${details}`);
};
const wanted = (name) => name.includes(only);

/** Runs a command; resolves to { code, stdout, stderr } (never rejects). */
function sh(cmd, argv, options = {}) {
  return new Promise((done) => {
    execFile(
      cmd,
      argv,
      { maxBuffer: 1 << 26, timeout: 180000, ...options, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env } },
      (error, stdout, stderr) => done({ code: error ? (error.code ?? 1) : 0, signal: error?.signal, stdout, stderr }),
    );
  });
}
const tail = (text, n = 600) => (text.length > n ? `...${text.slice(-n)}` : text).replace(/\s+/g, ' ').trim();
const resultOf = (stdout) => {
  const line = stdout.split('\n').find((l) => l.startsWith('zstd-kit-result '));
  return line ? JSON.parse(line.slice('zstd-kit-result '.length)) : null;
};

/** Runs `jobs` (functions returning promises) with at most `width` at a time. */
async function inParallel(jobs, width = 2) {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (queue.length) await queue.shift()();
    }),
  );
}

// What a scenario's result must be: the round trip, threads exactly when isolated, class names.
function judge(result, threads) {
  if (!result) return 'no result line';
  if (result.error) return result.error;
  const problems = [];
  if (!result.roundTrip) problems.push('round trip differs');
  if (result.threads !== threads) problems.push(`features.threads is ${result.threads}, expected ${threads}`);
  if (result.threads && result.workers !== 2) problems.push(`compressor has ${result.workers} threads, expected 2`);
  if (result.threadsError) problems.push(`threadsError: ${result.threadsError}`);
  if (result.className !== 'WasmBuffer') problems.push(`class name is ${result.className}`);
  if (result.namespace === 'different') problems.push('init() resolved to another namespace');
  if (result.shared === false) problems.push('ESM and CommonJS copies are not one instance');
  return problems.join('; ');
}
const summary = (r) => `threads ${r.threads ? `on (${r.workers})` : 'off'}, namespace ${r.namespace}${r.in ? `, in ${r.in}` : ''}`;

// ---------------------------------------------------------------------------------------------
// Setup: tools, the tarball, fresh projects.

const installed = join(tools, '.package-lock.json');
if (!existsSync(installed) || statSync(join(here, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
  console.log('ecosystem: installing the pinned tools (npm ci in tests/ecosystem)');
  const r = await sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, timeout: 600000 });
  if (r.code !== 0) throw new Error(`npm ci in tests/ecosystem failed: ${tail(r.stderr)}`);
}
const work = join(here, '.work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
let tarball = givenTarball;
if (!tarball) {
  const packed = await sh('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root });
  if (packed.code !== 0) throw new Error(`npm pack failed: ${tail(packed.stderr)}`);
  tarball = join(work, packed.stdout.trim().split('\n').pop());
}

/** A fresh project under .work/ with the app copied in and the tarball installed. */
async function project(name, type = 'module') {
  const dir = join(work, name);
  cpSync(join(here, 'app'), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `zstd-kit-${name}`, private: true, type }, null, 2));
  const r = await sh('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: dir });
  if (r.code !== 0) throw new Error(`installing the tarball into ${name} failed: ${tail(r.stderr)}`);
  return dir;
}
const web = await project('web');
const nodeApp = await project('node');

// ---------------------------------------------------------------------------------------------
// Browser bundles: each bundler's ordinary build of the same app, built two at a time.

const page = (title, script) => `<!doctype html>\n<meta charset="utf-8">\n<title>${title}</title>\n<script ${script}></script>\n`;
const out = (name) => join(web, 'out', name);
const builds = {
  esbuild: async () => {
    const r = await sh(bin('esbuild'), ['web/index.js', '--bundle', `--outdir=${out('esbuild')}`], { cwd: web });
    writeFileSync(join(out('esbuild'), 'index.html'), page('esbuild', 'src="./index.js"'));
    return r;
  },
  'esbuild --splitting': async () => {
    const r = await sh(bin('esbuild'), ['web/index.js', '--bundle', '--format=esm', '--splitting', `--outdir=${out('esbuild-esm')}`], {
      cwd: web,
    });
    writeFileSync(join(out('esbuild-esm'), 'index.html'), page('esbuild esm', 'type="module" src="./index.js"'));
    return r;
  },
  rollup: async () => {
    const r = await sh(bin('rollup'), ['-c', '--silent'], { cwd: web, env: { OUT_DIR: out('rollup') } });
    writeFileSync(join(out('rollup'), 'index.html'), page('rollup', 'type="module" src="./index.js"'));
    return r;
  },
  'vite build': () => sh(bin('vite'), ['build', '--logLevel', 'error'], { cwd: web, env: { OUT_DIR: out('vite') } }),
  webpack: async () => {
    const r = await sh(bin('webpack'), [], { cwd: web, env: { OUT_DIR: out('webpack') } });
    if (r.code === 0) {
      writeFileSync(join(out('webpack'), 'index.html'), page('webpack', 'src="./main.js"'));
      writeFileSync(join(out('webpack'), 'worker.html'), page('webpack worker', 'src="./in-worker.js"'));
    }
    return r;
  },
  parcel: async () => {
    const before = readFileSync(join(web, 'package.json'), 'utf8');
    const r = await sh(
      bin('parcel'),
      ['build', 'index.html', 'worker.html', '--dist-dir', out('parcel'), '--no-cache', '--no-source-maps', '--log-level', 'warn'],
      { cwd: web },
    );
    // Parcel installs polyfills into the project when a package uses Node globals: none may be needed.
    if (readFileSync(join(web, 'package.json'), 'utf8') !== before)
      return { code: 1, stdout: '', stderr: `parcel changed package.json: ${r.stderr}` };
    return r;
  },
};
// Pages of each build: [directory, page, what it runs in]. esbuild and Rollup follow no
// new Worker(new URL(...)), so their builds have no worker page.
const pages = {
  'plain ESM (no bundler)': [
    [web, 'plain/index.html'],
    [web, 'plain/worker.html', 'worker'],
  ],
  esbuild: [[out('esbuild'), '']],
  'esbuild --splitting': [[out('esbuild-esm'), '']],
  rollup: [[out('rollup'), '']],
  'vite build': [
    [out('vite'), ''],
    [out('vite'), 'worker.html', 'worker'],
  ],
  webpack: [
    [out('webpack'), ''],
    [out('webpack'), 'worker.html', 'worker'],
  ],
  parcel: [
    [out('parcel'), ''],
    [out('parcel'), 'worker.html', 'worker'],
  ],
};
// Where each bundle's wasm must come from: the emitted .wasm asset, or (esbuild, Rollup: they emit
// none) the inline copy.
const wasmFrom = { esbuild: 'inline', 'esbuild --splitting': 'inline', rollup: 'inline' };

// The no-bundler pages import the package's file itself, as from a CDN.
mkdirSync(join(web, 'plain'));
for (const file of ['index.js', 'worker.js', 'in-worker.js']) {
  const text = readFileSync(join(web, 'web', file), 'utf8').replace("'zstd-kit'", "'/node_modules/zstd-kit/dist/browser/index.js'");
  writeFileSync(join(web, 'plain', file), text);
}
writeFileSync(join(web, 'plain', 'index.html'), page('plain', 'type="module" src="./index.js"'));
writeFileSync(join(web, 'plain', 'worker.html'), page('plain worker', 'type="module" src="./in-worker.js"'));

const buildFailures = {};
const buildStart = Date.now();
await inParallel(
  Object.entries(builds)
    .filter(([name]) => wanted(name) || Object.keys(pages).every((p) => !wanted(p)))
    .map(([name, build]) => async () => {
      const r = await build();
      if (r.code !== 0) buildFailures[name] = tail(`${r.stderr} ${r.stdout}`);
    }),
);
console.log(`ecosystem: bundles built in ${((Date.now() - buildStart) / 1000).toFixed(1)} s`);

// ---------------------------------------------------------------------------------------------
// Chromium: one browser for every page.

const context = await launchChromium(join(work, 'chromium-profile'));

/** Loads `url`; resolves to { result, log, wasm } where wasm says where the .wasm came from. */
async function loadPage(url) {
  const tab = await context.newPage();
  const log = [];
  const responses = [];
  tab.on('response', (r) => responses.push({ url: r.url(), status: r.status() }));
  tab.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const result = new Promise((done) => {
    tab.on('console', (m) => {
      const text = m.text();
      log.push(text);
      if (text.startsWith('zstd-kit-result ')) done(JSON.parse(text.slice('zstd-kit-result '.length)));
    });
    setTimeout(() => done({ error: `no result within ${PAGE_TIMEOUT_MS / 1000} s; console: ${tail(log.join(' | '))}` }), PAGE_TIMEOUT_MS);
  });
  try {
    await tab.goto(url);
    const r = await result;
    const asset = responses.some((x) => /\.wasm(\?|$)/.test(x.url) && x.status === 200);
    const inlineChunk = responses.some((x) => /inline/.test(x.url) && x.status === 200);
    return { result: r, log, wasm: asset ? 'asset' : 'inline', inlineChunk, responses };
  } finally {
    await tab.close();
  }
}

async function checkPage(name, url, { isolated, wasm }) {
  const started = Date.now();
  const loaded = await loadPage(url);
  let problem = judge(loaded.result, isolated);
  if (!problem && wasm && loaded.wasm !== wasm) problem = `wasm came from the ${loaded.wasm}, expected the ${wasm}`;
  if (!problem && wasm === 'asset' && loaded.inlineChunk) problem = 'the inline copy was downloaded although the .wasm asset exists';
  const ms = Date.now() - started;
  record(name, !problem, problem || `${summary(loaded.result)}, wasm from the ${loaded.wasm}, ${ms} ms`);
}

for (const [bundler, list] of Object.entries(pages)) {
  for (const [dir, path, where = 'page'] of list) {
    for (const isolated of [true, false]) {
      const name = `browser ${bundler}, ${where}, ${isolated ? 'isolated' : 'not isolated'}`;
      if (!wanted(name)) continue;
      if (buildFailures[bundler]) {
        record(name, false, `build failed: ${buildFailures[bundler]}`);
        continue;
      }
      const server = await serve(dir, { isolated });
      try {
        await checkPage(name, server.url + path, { isolated, wasm: wasmFrom[bundler] ?? 'asset' });
      } finally {
        await server.close();
      }
    }
  }
}

// From a CDN: the page imports the package from another origin (CORS, as jsDelivr serves it).
for (const isolated of [true, false]) {
  const name = `browser CDN (another origin), page, ${isolated ? 'isolated' : 'not isolated'}`;
  if (!wanted(name)) continue;
  const cdn = await serve(join(web, 'node_modules', 'zstd-kit'), { isolated: false, cors: true });
  const dir = join(web, 'cdn');
  mkdirSync(dir, { recursive: true });
  cpSync(join(web, 'roundtrip.js'), join(dir, 'roundtrip.js'));
  writeFileSync(
    join(dir, 'index.js'),
    `import * as zstd from '${cdn.url}dist/browser/index.js';\nimport { report, roundTrip } from './roundtrip.js';\n\nreport(roundTrip(zstd));\n`,
  );
  writeFileSync(join(dir, 'index.html'), page('cdn', 'type="module" src="./index.js"'));
  const server = await serve(dir, { isolated });
  try {
    await checkPage(name, server.url, { isolated, wasm: 'asset' });
  } finally {
    await server.close();
    await cdn.close();
  }
}

// A custom layout: the .wasm files copied to /static/zstd/, init({ baseUrl }) says so.
for (const isolated of [true, false]) {
  const name = `browser custom layout, init({ baseUrl }), ${isolated ? 'isolated' : 'not isolated'}`;
  if (!wanted(name)) continue;
  const dir = join(web, 'out', 'base-url');
  if (!existsSync(dir)) {
    writeFileSync(
      join(web, 'web', 'base-url.js'),
      "import * as zstd from 'zstd-kit';\nimport { report, roundTrip } from '../roundtrip.js';\n\nreport(roundTrip(zstd, { baseUrl: '/static/zstd/' }));\n",
    );
    const r = await sh(bin('esbuild'), ['web/base-url.js', '--bundle', '--format=esm', '--splitting', `--outdir=${dir}`], { cwd: web });
    if (r.code !== 0) throw new Error(`esbuild (base-url) failed: ${tail(r.stderr)}`);
    mkdirSync(join(dir, 'static', 'zstd'), { recursive: true });
    for (const f of ['zstd-kit-st.wasm', 'zstd-kit-mt.wasm'])
      cpSync(join(web, 'node_modules/zstd-kit/dist/browser', f), join(dir, 'static', 'zstd', f));
    writeFileSync(join(dir, 'index.html'), page('base-url', 'type="module" src="./base-url.js"'));
  }
  const server = await serve(dir, { isolated });
  try {
    await checkPage(name, server.url, { isolated, wasm: 'asset' });
  } finally {
    await server.close();
  }
}

// Vite's dev server, with the app's headers for isolation or without.
for (const isolated of [true, false]) {
  const name = `browser vite dev server, page and worker, ${isolated ? 'isolated' : 'not isolated'}`;
  if (!wanted(name)) continue;
  const dev = spawn(bin('vite'), ['--host', '127.0.0.1', '--port', String(await freePort()), '--strictPort'], {
    cwd: web,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...(isolated ? { ISOLATED: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise((done, fail) => {
      let text = '';
      const timer = setTimeout(() => fail(new Error(`vite dev did not start: ${tail(text)}`)), 60000);
      const onData = (d) => {
        text += d;
        const m = text.match(/Local:\s+(http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          done(m[1]);
        }
      };
      dev.stdout.on('data', onData);
      dev.stderr.on('data', onData);
    });
    const started = Date.now();
    const main = await loadPage(url);
    const inWorker = await loadPage(`${url}worker.html`);
    const problem = judge(main.result, isolated) || judge(inWorker.result, isolated);
    record(
      name,
      !problem,
      problem ||
        `${summary(main.result)}; in a worker: ${summary(inWorker.result)}; wasm from the ${main.wasm}, ${Date.now() - started} ms`,
    );
  } catch (e) {
    record(name, false, e.message);
  } finally {
    dev.kill();
  }
}
await context.close();

// ---------------------------------------------------------------------------------------------
// Runtimes.

async function runtime(name, cmd, argv, { cwd = nodeApp, threads = true, env } = {}) {
  if (!wanted(name)) return;
  const started = Date.now();
  const r = await sh(cmd, argv, { cwd, env, timeout: 120000 });
  const result = resultOf(r.stdout);
  let problem = judge(result ?? (r.code ? { error: `exit ${r.code ?? r.signal}: ${tail(r.stderr)}` } : null), threads);
  if (!problem && r.code !== 0) problem = `exit code ${r.code}: ${tail(r.stderr)}`;
  record(name, !problem, problem || `${summary(result)}, exits by itself, ${Date.now() - started} ms`);
}

await runtime('node ESM', process.execPath, ['node/esm.mjs']);
await runtime('node CommonJS', process.execPath, ['node/cjs.cjs']);
await runtime('node ESM + CommonJS in one process: one instance', process.execPath, ['node/both.mjs']);
await runtime('node worker_threads', process.execPath, ['node/worker-threads.mjs']);

// A Node app bundled with esbuild, run from a folder with no node_modules beside it.
for (const [name, extra, file] of [
  ['node app bundled: esbuild --platform=node', [], 'app.cjs'],
  [
    'node app bundled: esbuild --platform=node --format=esm (createRequire banner)',
    ['--format=esm', "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"],
    'app.mjs',
  ],
]) {
  if (!wanted(name)) continue;
  const dir = join(tmpdir(), `zstd-kit-bundled-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const b = await sh(bin('esbuild'), ['node/esm.mjs', '--bundle', '--platform=node', ...extra, `--outfile=${join(dir, file)}`], {
    cwd: nodeApp,
  });
  if (b.code !== 0) record(name, false, `esbuild failed: ${tail(b.stderr)}`);
  else await runtime(name, process.execPath, [file], { cwd: dir });
  rmSync(dir, { recursive: true, force: true });
}

// The command line as users get it: `npx zstd-kit` from the installed tarball's "bin".
if (wanted('npx zstd-kit')) {
  const name = 'npx zstd-kit: compress, decompress, tar (the zstd tool and GNU tar agree)';
  const dir = join(nodeApp, 'cli-work');
  mkdirSync(dir, { recursive: true });
  const data = Buffer.from('zstd-kit on the command line\n'.repeat(40000));
  writeFileSync(join(dir, 'data.txt'), data);
  const npx = (argv) => sh('npx', ['--offline', '--no-install', 'zstd-kit', ...argv], { cwd: dir });
  const problems = [];
  const c = await npx(['compress', '-19', 'data.txt']);
  if (c.code !== 0) problems.push(`compress: exit ${c.code}: ${tail(c.stderr)}`);
  const theirs = await sh('zstd', ['-q', '-d', '-c', 'data.txt.zst'], { cwd: dir, encoding: 'buffer' });
  if (theirs.code !== 0 || !Buffer.from(theirs.stdout).equals(data)) problems.push('zstd -d does not give the data back');
  const d = await sh('npx', ['--offline', '--no-install', 'zstd-kit', 'decompress', '-c', 'data.txt.zst'], {
    cwd: dir,
    encoding: 'buffer',
  });
  if (d.code !== 0 || !Buffer.from(d.stdout).equals(data)) problems.push(`decompress -c: exit ${d.code}`);
  const t = await npx(['tar', '-cf', 'app.tar.zst', '-C', nodeApp, 'node']);
  const listed = await sh('tar', ['--zstd', '-tf', 'app.tar.zst'], { cwd: dir });
  if (t.code !== 0 || !listed.stdout.includes('node/esm.mjs'))
    problems.push(`tar -c: exit ${t.code}, GNU tar lists: ${tail(listed.stdout, 120)}`);
  const missing = await npx(['decompress', 'missing.zst']);
  if (missing.code !== 1 || missing.stderr.trim() !== 'zstd-kit: missing.zst: no such file or directory') {
    problems.push(`a missing file: exit ${missing.code}, stderr ${tail(missing.stderr, 120)}`);
  }
  record(
    name,
    problems.length === 0,
    problems.join('; ') || `${data.length} bytes -> ${readFileSync(join(dir, 'data.txt.zst')).length}, round trips`,
  );
}

// The app's own uncaught error / unhandled rejection after init(): exit 1 and only its stack.
for (const [name, file, message] of [
  ['node: an uncaught error of the app after init()', 'node/uncaught.mjs', 'the app failed on its own'],
  ['node: an unhandled rejection of the app after init()', 'node/rejection.mjs', 'the app rejected on its own'],
]) {
  if (!wanted(name)) continue;
  const r = await sh(process.execPath, [file], { cwd: nodeApp });
  const problems = [];
  if (r.code !== 1) problems.push(`exit code ${r.code}, expected 1`);
  if (!r.stderr.includes(message)) problems.push("the app's error is not printed");
  if (/createZstdKitModule|GROWABLE_HEAP|wasmBinary/.test(r.stderr) || r.stderr.length > 2000)
    problems.push(`the glue is printed (${r.stderr.length} bytes on stderr)`);
  record(
    name,
    problems.length === 0,
    problems.join('; ') ||
      `exit 1, ${r.stderr.length} bytes on stderr: ${tail(r.stderr.split('\n').find((l) => l.includes(message)) ?? '', 120)}`,
  );
}

// A cache of its own, as on a user's first run: Deno 2.9.6 (the newest on npm) keys its V8 code cache
// for CommonJS by path and length, so a rebuilt glue of equal length at the same path runs stale
// bytecode and init() fails (denoland/deno#36413, fixed after 2.9.6 by #36743).
const denoDir = join(tmpdir(), `zstd-kit-deno-${process.pid}`);
await runtime('deno 2 (node_modules)', bin('deno'), ['run', '--allow-read', '--allow-env', '--no-lock', 'node/esm.mjs'], {
  env: { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: denoDir },
});
rmSync(denoDir, { recursive: true, force: true });
await runtime('bun', bin('bun'), ['node/esm.mjs']);

// Cloudflare workerd: the worker bundled as wrangler does, served by workerd, fetched once.
if (wanted('workerd')) {
  const name = 'workerd (bundled as wrangler does)';
  const dir = join(work, 'workerd');
  mkdirSync(dir, { recursive: true });
  const { build } = createRequire(join(tools, 'esbuild', 'package.json'))('esbuild');
  const wasmModules = [];
  try {
    await build({
      entryPoints: [join(nodeApp, 'workerd', 'worker.js')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      outfile: join(dir, 'worker.js'),
      logLevel: 'silent',
      plugins: [
        {
          name: 'wasm-modules', // wrangler's rule for *.wasm: keep the import, ship the file as a wasm module
          setup(b) {
            b.onResolve({ filter: /\.wasm$/ }, (a) => {
              const file = resolve(a.resolveDir, a.path);
              cpSync(file, join(dir, basename(file)));
              wasmModules.push(basename(file));
              return { path: `./${basename(file)}`, external: true };
            });
          },
        },
      ],
    });
    const port = await freePort();
    const config = readFileSync(join(nodeApp, 'workerd', 'config.capnp'), 'utf8')
      .replace('@PORT@', String(port))
      .replace('@WASM_MODULES@', wasmModules.map((m) => `    (name = "${m}", wasm = embed "${m}"),`).join('\n'));
    writeFileSync(join(dir, 'config.capnp'), config);
    const server = spawn(bin('workerd'), ['serve', 'config.capnp'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    server.stdout.on('data', (d) => (log += d));
    server.stderr.on('data', (d) => (log += d));
    try {
      let result = null;
      const started = Date.now();
      while (!result && Date.now() - started < 30000) {
        try {
          result = await (await fetch(`http://127.0.0.1:${port}/`)).json();
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      const problem = judge(result ?? { error: `workerd did not answer: ${tail(log)}` }, false);
      record(name, !problem, problem || `${summary(result)}, wasm as a module, ${Date.now() - started} ms`);
    } finally {
      server.kill();
    }
  } catch (e) {
    record(name, false, e.message);
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript: each setup compiles its usage file with tsc, strict, without skipLibCheck.

const tsCases = readdirSync(join(here, 'ts')).filter((c) => wanted(`typescript ${c}`));
await inParallel(
  tsCases.map((c) => async () => {
    const dir = join(nodeApp, 'ts', c);
    cpSync(join(here, 'ts', c), dir, { recursive: true });
    const r = await sh(process.execPath, [join(tools, 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: dir });
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions;
    const setup = `module ${tsconfig.module}, moduleResolution ${tsconfig.moduleResolution}${tsconfig.lib ? `, lib ${tsconfig.lib.join('+')}` : ''}, types [${tsconfig.types}]`;
    record(`typescript ${c}`, r.code === 0, r.code === 0 ? `${setup}: no errors` : tail(r.stdout || r.stderr));
  }),
);

// ---------------------------------------------------------------------------------------------

const width = Math.max(...results.map((r) => r.name.length));
console.log(`\n${'scenario'.padEnd(width)} | result | details`);
console.log(`${'-'.repeat(width)}-|--------|--------`);
for (const r of results) console.log(`${r.name.padEnd(width)} | ${r.ok ? 'works ' : 'FAILS '} | ${r.details}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`\necosystem: ${results.length - failed} passed, ${failed} failed`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
if (failed === 0) rmSync(work, { recursive: true, force: true }); // kept after a failure, to look into
process.exitCode = failed === 0 && results.length > 0 ? 0 : 1;
