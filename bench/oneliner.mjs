// The one-liners against a reused object: zstd.compress(doc, 3) / zstd.decompress(frame) in a
// loop over the small documents, next to one ZstdCompressor / ZstdDecompressor reused (the
// one-liners keep cached contexts, so the two should be within a few per cent), and on the large
// corpus. Interleaved rounds, medians.
import { readFileSync } from 'node:fs';
import { fmt, mbps, median } from './stats.mjs';

function loopMs(fn, items) {
  const t0 = performance.now();
  for (const x of items) fn(x);
  return performance.now() - t0;
}

export function benchOneLiner({ zstd, docs, corpusPath, rounds }) {
  const c = new zstd.ZstdCompressor({ level: 3 });
  const d = new zstd.ZstdDecompressor();
  const frames = docs.map((x) => c.compress(x));
  const large = new Uint8Array(readFileSync(corpusPath).subarray(0, 32 << 20));
  const largeFrame = c.compress(large);
  const bytes = docs.reduce((n, x) => n + x.length, 0);
  const t = { cReused: [], cOne: [], dReused: [], dOne: [], lcReused: [], lcOne: [], ldReused: [], ldOne: [] };
  // Reading across frames like the one-liner, so both decode the same way.
  const across = { readAcrossFrames: true };
  for (let round = 0; round < rounds * 2; round++) {
    t.cReused.push(loopMs((x) => c.compress(x), docs));
    t.cOne.push(loopMs((x) => zstd.compress(x, 3), docs));
    t.dReused.push(loopMs((x) => d.decompress(x, across), frames));
    t.dOne.push(loopMs((x) => zstd.decompress(x), frames));
    t.lcReused.push(loopMs((x) => c.compress(x), [large]));
    t.lcOne.push(loopMs((x) => zstd.compress(x, 3), [large]));
    t.ldReused.push(loopMs((x) => d.decompress(x, across), [largeFrame]));
    t.ldOne.push(loopMs((x) => zstd.decompress(x), [largeFrame]));
  }
  c.free();
  d.free();
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  const row = (name, n, reused, one) => `| ${name} | ${fmt(mbps(n, reused))} | ${fmt(mbps(n, one))} | ${fmt(reused / one, 3)} |`;
  const table = [
    '| workload | reused object MB/s | one-liner MB/s | one-liner / reused |',
    '|---|---|---|---|',
    row(`compress, ${docs.length} small documents, level 3`, bytes, m.cReused, m.cOne),
    row(`decompress, ${docs.length} small documents`, bytes, m.dReused, m.dOne),
    row('compress, 32 MiB of the large corpus, level 3', large.length, m.lcReused, m.lcOne),
    row('decompress, 32 MiB of the large corpus', large.length, m.ldReused, m.ldOne),
  ].join('\n');
  return { table, compressRatio: m.cReused / m.cOne, decompressRatio: m.dReused / m.dOne };
}
