// What each entry point makes a runtime download: the files it loads on its normal path (the
// inline wasm copies are fallbacks, fetched only when the .wasm cannot be), raw, gzip -9 and
// brotli -q 11 (what a CDN would serve).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ENTRIES = [
  { name: 'browser, single-threaded', files: ['browser/index.js', 'browser/zstd-kit-st.js', 'browser/zstd-kit-st.wasm'] },
  { name: 'browser, threaded', files: ['browser/index.js', 'browser/zstd-kit-mt.text.js', 'browser/zstd-kit-mt.wasm'] },
  { name: 'workerd (wasm inside the glue)', files: readdirSync('dist/workerd').map((f) => `workerd/${f}`) },
];

export function benchSize(distDir) {
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
  for (const { name, files } of ENTRIES) {
    const parts = files.map((f) => ({ f, ...sizes(f) }));
    const sum = (k) => parts.reduce((n, p) => n + p[k], 0);
    totals[name] = { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
    rows.push(
      `| ${name} | ${parts.map((p) => `${p.f.split('/')[1]} ${kb(p.gzip)}`).join(' + ')} | ${kb(sum('raw'))} | **${kb(sum('gzip'))}** | ${kb(sum('brotli'))} |`,
    );
  }
  const header = ['| entry point | files (gzip KB each) | raw KB | gzip KB | brotli KB |', '|---|---|---|---|---|'];
  return { table: [...header, ...rows].join('\n'), totals };
}
