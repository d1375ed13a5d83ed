// What each entry point makes a runtime download: the entry, every file it imports statically
// (found in the built file itself, so a new static import is counted), and the file its loader
// fetches; raw, gzip -9 and brotli -q 11 (what a CDN would serve). The inline wasm copies are
// fallbacks, fetched only when the .wasm cannot be; chunks loaded by import() on first use of a
// feature are listed separately, with what they add.
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// The relative files a built ES module imports statically (`import ... from "./x.js"`, `export ... from`).
function staticImports(distDir, file) {
  const text = readFileSync(join(distDir, file), 'utf8');
  const found = [...text.matchAll(/(?:\bimport|\bfrom)\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return found.map((spec) => posix.join(posix.dirname(file), spec));
}

// The entry and everything it imports statically, transitively (itself excluded from cycles).
function closure(distDir, entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const f of staticImports(distDir, file)) visit(f);
  };
  visit(entry);
  return [...seen];
}

const ENTRIES = (distDir) => [
  {
    name: 'browser, single-threaded',
    files: [...closure(distDir, 'browser/index.js'), 'browser/zstd-kit-st.js', 'browser/zstd-kit-st.wasm'],
  },
  {
    name: 'browser, threaded',
    files: [...closure(distDir, 'browser/index.js'), 'browser/zstd-kit-mt.text.js', 'browser/zstd-kit-mt.wasm'],
  },
  { name: 'workerd (wasm inside the glue)', files: readdirSync(join(distDir, 'workerd')).map((f) => `workerd/${f}`) },
];

// Chunks the browser entry loads with import() on first use of a feature (the loaders' glue,
// wasm copies and threaded text excepted: they are counted above or are fallbacks).
const LAZY = { 'browser/zstd-kit-tar.js': 'tarZst() / untarZst() (modern-tar)' };

export function benchSize(distDir) {
  // Every file the browser entry can import() is counted above or listed here: a new chunk fails
  // the bench rather than going uncounted.
  const entry = readFileSync(join(distDir, 'browser/index.js'), 'utf8');
  for (const [, spec] of entry.matchAll(/\bimport\(\s*["'](\.\/[^"']+)["']\s*\)/g)) {
    const file = `browser/${spec.slice(2)}`;
    if (!(file in LAZY) && !/zstd-kit-(st|mt)(\.inline|\.text)?\.js$/.test(file)) {
      throw new Error(`bench/size.mjs: dist/browser/index.js imports ${file}: add it to LAZY`);
    }
  }
  const sizes = (file) => {
    const bytes = readFileSync(join(distDir, file));
    return {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  const kb = (n) => (n / 1000).toFixed(1);
  const rows = [];
  const totals = {};
  for (const { name, files } of ENTRIES(distDir)) {
    const parts = files.map((f) => ({ f, ...sizes(f) }));
    const sum = (k) => parts.reduce((n, p) => n + p[k], 0);
    totals[name] = { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
    rows.push(
      `| ${name} | ${parts.map((p) => `${p.f.split('/')[1]} ${kb(p.gzip)}`).join(' + ')} | ${kb(sum('raw'))} | **${kb(sum('gzip'))}** | ${kb(sum('brotli'))} |`,
    );
  }
  const header = ['| entry point | files (gzip KB each) | raw KB | gzip KB | brotli KB |', '|---|---|---|---|---|'];
  const lazyRows = Object.entries(LAZY).map(([file, what]) => {
    const extra = closure(distDir, file).filter((f) => !ENTRIES(distDir)[0].files.includes(f));
    const s = extra.map(sizes);
    const sum = (k) => s.reduce((n, p) => n + p[k], 0);
    return `| ${extra.map((f) => f.split('/')[1]).join(' + ')} | ${what} | ${kb(sum('raw'))} | ${kb(sum('gzip'))} | ${kb(sum('brotli'))} |`;
  });
  const lazyHeader = ['| browser chunk, loaded on first use | by | raw KB | gzip KB | brotli KB |', '|---|---|---|---|---|'];
  return { table: [...header, ...rows].join('\n'), lazyTable: [...lazyHeader, ...lazyRows].join('\n'), totals };
}

/**
 * What each module of js/ adds to dist/browser/index.js (minified bytes in the output), from the
 * metafile scripts/build.mjs writes beside the build (build/browser-index.meta.json); the largest
 * `top` modules and the rest in one row.
 */
export function indexBreakdown(metafilePath, top = 12) {
  const meta = JSON.parse(readFileSync(metafilePath, 'utf8'));
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith('browser/index.js'))[1];
  const modules = Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => ({ file, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  const kb = (n) => (n / 1000).toFixed(1);
  const rest = modules.slice(top);
  const rows = modules.slice(0, top).map((m) => `| ${m.file} | ${kb(m.bytes)} |`);
  rows.push(`| ${rest.length} other modules | ${kb(rest.reduce((n, m) => n + m.bytes, 0))} |`);
  const total = modules.reduce((n, m) => n + m.bytes, 0);
  return ['| module | minified KB in index.js |', '|---|---|', ...rows, `| all ${modules.length} modules | ${kb(total)} |`].join('\n');
}
