// Random access: SChunk throughput next to the raw one-shot loop over the same chunks, and
// random 1 MiB reads from a large seekable file (1 MiB frames) over a local HTTP server with Range
// support: latency per read, bytes transferred per read next to the compressed size of the frames
// each read touches, and the same reads done by decoding from the start.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { corpusDir } from './corpus.mjs';
import { textGenerator } from './rss.mjs';
import { fmt, median, timeCalls } from './stats.mjs';

const require = createRequire(import.meta.url);
const { startRangeServer } = require('../tests/js/fixtures/range-server.cjs');

const MiB = 1 << 20;
const LEVEL = 3;
// Passes per method and round: a pass over the data takes 10-40 ms, so many are cheap.
const ITERATIONS = 15;

function harness(cmd, args) {
  return JSON.parse(execFileSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const int = (n) => Math.round(n).toLocaleString('en-US');

// --- SChunk ---------------------------------------------------------------------------------------

// The datasets: blosc2's tutorial (int32 0..2M-1, 10 chunks of 200,000 items) and the large corpus
// in 1 MiB chunks. Each is written once as the raw harness's items files (one item per chunk).
function datasets(largeCorpusPath) {
  const arange = new Int32Array(2000000);
  for (let i = 0; i < arange.length; i++) arange[i] = i;
  const tar = readFileSync(largeCorpusPath);
  return [
    { name: 'blosc2 tutorial: int32 0..1,999,999', data: new Uint8Array(arange.buffer), chunkSize: 800000, typesize: 4, key: 'arange' },
    { name: 'large corpus (tar)', data: new Uint8Array(tar.buffer, tar.byteOffset, tar.length), chunkSize: MiB, typesize: 1, key: 'tar' },
  ];
}

function itemsFiles(set) {
  mkdirSync(corpusDir, { recursive: true });
  const dataPath = join(corpusDir, `schunk-${set.key}.bin`);
  const sizesPath = join(corpusDir, `schunk-${set.key}.sizes`);
  const n = Math.ceil(set.data.length / set.chunkSize);
  const sizes = new Uint32Array(n);
  for (let i = 0; i < n; i++) sizes[i] = Math.min(set.chunkSize, set.data.length - i * set.chunkSize);
  writeFileSync(dataPath, set.data);
  writeFileSync(sizesPath, new Uint8Array(sizes.buffer));
  return { dataPath, sizesPath, chunks: n };
}

/**
 * @returns {{ table: string, ratios: Record<string, number> }} ratios: the getSlice rows over the
 *   raw-wasm per-chunk decompress loop, the append row over its compress loop (first dataset)
 */
export async function benchSChunk({ zstd, corpusPath, nativeHarness, wasmHarness, rounds }) {
  const rows = ['| data | method | MB/s | / raw-wasm per-chunk loop |', '|---|---|---|---|'];
  const ratios = {};
  for (const set of datasets(corpusPath)) {
    const { dataPath, sizesPath, chunks } = itemsFiles(set);
    const perChunk = set.chunkSize / set.typesize;
    const bytes = set.data.length;
    const args = ['items', dataPath, sizesPath, String(LEVEL), String(ITERATIONS)];
    const s = new zstd.SChunk({ chunkSize: set.chunkSize, typesize: set.typesize, level: LEVEL, data: set.data });
    const out = new Uint8Array(set.chunkSize);
    const wasmOut = zstd.allocBuffer(set.chunkSize);
    const check = s.getSlice();
    if (Buffer.compare(Buffer.from(check), Buffer.from(set.data)) !== 0) throw new Error(`${set.name}: SChunk does not round-trip`);
    const methods = {
      append: { label: '`new SChunk({ chunkSize, typesize }).append(data)` (per chunk: `ZSTD_compress2`)', dir: 0 },
      slice: { label: '`getSlice(k * n, (k + 1) * n)` for every chunk k (n items a chunk): a new `Uint8Array` each', dir: 1 },
      sliceOut: { label: '`getSlice(k * n, (k + 1) * n, out)`, `out` a reused `Uint8Array`', dir: 1 },
      sliceWasm: { label: '`getSlice(k * n, (k + 1) * n, buffer)`, `buffer` a reused `WasmBuffer` (no copy out of wasm)', dir: 1 },
      whole: { label: '`getSlice()`: all items in one call', dir: 1 },
    };
    const run = {
      append: () => {
        const t = new zstd.SChunk({ chunkSize: set.chunkSize, typesize: set.typesize, level: LEVEL });
        t.append(set.data);
        return t;
      },
      slice: () => {
        let n = 0;
        for (let k = 0; k < chunks; k++) n += s.getSlice(k * perChunk, (k + 1) * perChunk).length;
        return n;
      },
      sliceOut: () => {
        let n = 0;
        for (let k = 0; k < chunks; k++) n += s.getSlice(k * perChunk, (k + 1) * perChunk, out).length;
        return n;
      },
      sliceWasm: () => {
        let n = 0;
        for (let k = 0; k < chunks; k++) n += s.getSlice(k * perChunk, (k + 1) * perChunk, wasmOut).length;
        return n;
      },
      whole: () => s.getSlice().length,
    };
    const t = { native: [[], []], wasm: [[], []] };
    const perRound = {}; // each method's ratio to the raw-wasm loop timed just before it
    for (const k of Object.keys(methods)) [t[k], perRound[k]] = [[], []];
    for (let round = 0; round < rounds; round++) {
      const rawMs = [];
      for (const [name, cmd] of [
        ['native', nativeHarness],
        ['wasm', wasmHarness],
      ]) {
        const r = harness(cmd, args);
        if (r.bytes !== bytes) throw new Error(`${name} harness read ${r.bytes} bytes, not ${bytes}`);
        t[name][0].push(...r.compressMs);
        t[name][1].push(...r.decompressMs);
        if (name === 'wasm') rawMs.push(median(r.compressMs), median(r.decompressMs));
      }
      for (const [k, m] of Object.entries(methods)) {
        const ms = timeCalls(run[k], ITERATIONS, (x) => x?.free?.());
        t[k].push(...ms);
        perRound[k].push(rawMs[m.dir] / median(ms));
      }
      console.error(`random-access: SChunk ${set.key} round ${round + 1}/${rounds}: done`);
    }
    const speed = (ms) => bytes / 1e6 / (median(ms) / 1000);
    const raw = [speed(t.wasm[0]), speed(t.wasm[1])];
    rows.push(
      `| ${set.name} | native C per-chunk loop (c / d) | ${fmt(speed(t.native[0]))} / ${fmt(speed(t.native[1]))} | ${fmt(speed(t.native[0]) / raw[0], 2)} / ${fmt(speed(t.native[1]) / raw[1], 2)} |`,
    );
    rows.push(`| ${set.name} | raw wasm per-chunk loop (c / d): the ceiling | ${fmt(raw[0])} / ${fmt(raw[1])} | 1.00 / 1.00 |`);
    for (const [k, m] of Object.entries(methods)) {
      const x = speed(t[k]);
      const ratio = median(perRound[k]);
      ratios[`${set.key}.${k}`] = ratio;
      rows.push(`| ${set.name} | ${m.label} | ${fmt(x)} | ${fmt(ratio, 2)} (${m.dir === 0 ? 'c' : 'd'}) |`);
    }
    s.free();
    wasmOut.free();
  }
  return { table: rows.join('\n'), ratios, iterations: ITERATIONS, rounds };
}

// --- Seekable file over HTTP -----------------------------------------------------------------------

// Block j (1 MiB) of the file's content: the text generator seeded with j, so any block can be made
// again to check a read.
function blockBytes(j) {
  const next = textGenerator(MiB, 0x9e3779b9 ^ (j + 1));
  const parts = [];
  for (let p = next(); p !== null; p = next()) parts.push(p);
  return Buffer.concat(parts);
}

function expected(offset, length) {
  const parts = [];
  for (let j = Math.floor(offset / MiB); j * MiB < offset + length; j++) parts.push(blockBytes(j));
  const all = Buffer.concat(parts);
  const from = offset - Math.floor(offset / MiB) * MiB;
  return all.subarray(from, from + length);
}

// The seekable file, frames of 1 MiB, level 3, written to a temporary folder (generating it takes
// seconds; the caller deletes it afterwards).
async function seekableFile(zstd, bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'zstd-kit-bench-'));
  const path = join(dir, `seekable-${bytes}.zst`);
  console.error(`random-access: writing a ${int(bytes)}-byte seekable file to ${dir}...`);
  const sink = createWriteStream(path);
  const c = new zstd.ZstdCompressor({ level: LEVEL });
  try {
    const w = c.seekableWriter(sink, { frameSize: MiB });
    for (let j = 0; j * MiB < bytes; j++) {
      const b = blockBytes(j);
      await w.write(b.subarray(0, Math.min(MiB, bytes - j * MiB)));
    }
    await w.close();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    c.free();
  }
  return { path, dir };
}

// Reading [offset, offset + length) by decoding the file from its start: the whole-file GET piped
// through ZstdDecompressionStream until the range is decoded, then cancelled.
async function fromStart(zstd, url, offset, length) {
  const res = await fetch(url);
  const reader = res.body.pipeThrough(new zstd.ZstdDecompressionStream()).getReader();
  let at = 0;
  const parts = [];
  while (at < offset + length) {
    const { done, value } = await reader.read();
    if (done) break;
    const a = Math.max(offset, at);
    const b = Math.min(offset + length, at + value.length);
    if (b > a) parts.push(value.subarray(a - at, b - at));
    at += value.length;
  }
  await reader.cancel();
  return Buffer.concat(parts);
}

/**
 * @returns {{ table: string, worstRatio: number, medianRatio: number, firstRatio: number, file: object, reads: number, open: { ms: number, bytes: number, requests: number } }}
 */
export async function benchSeekableHttp({ zstd, bytes = 2 ** 30, reads = 64, fromStartReads = 3 }) {
  const { path, dir } = await seekableFile(zstd, bytes);
  const fileSize = statSync(path).size;
  const server = await startRangeServer({ file: path }).catch((e) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  try {
    const url = server.url;
    // Opening: the footer and the seek table.
    server.reset();
    let t0 = performance.now();
    const r = await zstd.openSeekable(url, { cacheBytes: 0 });
    const openMs = performance.now() - t0;
    const open = { ms: openMs, bytes: server.stats.bytesSent, requests: server.stats.requests };
    const tableBytes = fileSize - r.frame(r.frameCount - 1).compressedOffset - r.frame(r.frameCount - 1).compressedSize;
    // Random 1 MiB reads (a warm-up read first, untimed).
    await r.read(0, MiB);
    let x = 0x2545f491;
    const rows = [];
    for (let k = 0; k < reads; k++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const offset = Math.floor((x / 2 ** 32) * (r.size - MiB));
      server.reset();
      t0 = performance.now();
      const got = await r.read(offset, MiB);
      const ms = performance.now() - t0;
      const first = Math.floor(offset / MiB);
      const last = Math.floor((offset + MiB - 1) / MiB);
      let touched = 0;
      for (let i = first; i <= last; i++) touched += r.frame(i).compressedSize;
      rows.push({ ms, sent: server.stats.bytesSent, requests: server.stats.requests, touched, frames: last - first + 1 });
      if (Buffer.compare(Buffer.from(got), expected(offset, MiB)) !== 0) throw new Error(`read(${offset}, 1 MiB) returned wrong bytes`);
    }
    await r.close();
    // The same kind of reads by decoding from the start.
    const slow = [];
    for (let k = 1; k <= fromStartReads; k++) {
      const offset = Math.floor((k / (fromStartReads + 1)) * (bytes - MiB));
      server.reset();
      t0 = performance.now();
      const got = await fromStart(zstd, url, offset, MiB);
      const ms = performance.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, 100)); // the server sees the cancel
      slow.push({ ms, sent: server.stats.bytesSent, offset });
      if (Buffer.compare(got, expected(offset, MiB)) !== 0) throw new Error(`decoding from the start to ${offset}: wrong bytes`);
    }
    const ratios = rows.map((q) => q.sent / q.touched);
    const worst = Math.max(...ratios);
    const table = [
      '| method | reads | latency per read, ms (median / p90) | bytes transferred per read (median) | touched frames, compressed (median) | transferred / touched (median / worst) | requests per read |',
      '|---|---|---|---|---|---|---|',
      `| \`openSeekable(url)\`: footer and seek table | 1 | ${fmt(open.ms)} | ${int(open.bytes)} | (the table: ${int(tableBytes)}) | - | ${open.requests} |`,
      `| \`r.read(offset, 1 MiB)\` at random offsets (\`cacheBytes: 0\`) | ${reads} | ${fmt(median(rows.map((q) => q.ms)))} / ${fmt(
        percentile(
          rows.map((q) => q.ms),
          0.9,
        ),
      )} | ${int(median(rows.map((q) => q.sent)))} | ${int(median(rows.map((q) => q.touched)))} (${fmt(median(rows.map((q) => q.frames)), 0)} frames) | ${fmt(median(ratios), 3)} / ${fmt(worst, 3)} | ${fmt(median(rows.map((q) => q.requests)), 0)} (max ${Math.max(...rows.map((q) => q.requests))}) |`,
      `| decoding from the start (GET of the file through \`ZstdDecompressionStream\`, cancelled after the range) | ${fromStartReads} | ${fmt(median(slow.map((q) => q.ms)))} (offsets ${slow.map((q) => `${fmt(q.offset / MiB, 0)} MiB`).join(', ')}) | ${int(median(slow.map((q) => q.sent)))} | - | - | 1 |`,
    ].join('\n');
    // The open's whole tail read charged to a first read: its bytes over its touched frames plus
    // the seek table (the worst such read of all).
    const firstRatio = Math.max(...rows.map((q) => (q.sent + open.bytes) / (q.touched + tableBytes)));
    return {
      table,
      worstRatio: worst,
      medianRatio: median(ratios),
      firstRatio,
      file: { bytes, fileSize, frames: r.frameCount, tableBytes },
      reads,
      open,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
