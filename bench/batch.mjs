// Batch compression of many small documents (the small-documents corpus), level 3, in items/s:
// native C and the same C harness in wasm (per-item loops with reused contexts and buffers: the
// wasm one is the ceiling), zstd-kit's per-item loop (compress / decompress per document), and
// its batch calls multiCompressToBuffer / multiDecompressToBuffer (1 and 2 threads, sync and
// async, and with a pre-built BufferWithSegments input), in interleaved rounds.
// Returns a markdown table, the ratios to the raw-wasm per-item ceiling and the corpus stats.
import { execFileSync } from 'node:child_process';
import { fmt, median, timeCalls } from './stats.mjs';
import { batchTimers, free, has, perItemLoops } from './zstdkit-runs.mjs';

const LEVEL = 3;
// Full passes over the corpus per method and round (after two untimed warm-up passes).
const ITERATIONS = 5;

function harness(cmd, args) {
  return JSON.parse(execFileSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

/** Documents back to back plus [offset0, length0, offset1, length1, ...] as BigUint64Array. */
function concatWithSegments(items) {
  const total = items.reduce((n, x) => n + x.length, 0);
  const bytes = new Uint8Array(total);
  const segments = new BigUint64Array(2 * items.length);
  let offset = 0;
  items.forEach((x, i) => {
    bytes.set(x, offset);
    segments[2 * i] = BigInt(offset);
    segments[2 * i + 1] = BigInt(x.length);
    offset += x.length;
  });
  return { bytes, segments };
}

/**
 * @param {object} o
 * @param {object} o.zstd the zstd-kit module, initialised
 * @param {{dataPath: string, sizesPath: string, docs: Uint8Array[], totalBytes: number}} o.corpus
 * @param {string[]} o.nativeHarness command of the native bench-raw
 * @param {string[]} o.wasmHarness command of the wasm bench-raw
 * @param {number} o.rounds
 * @returns {Promise<{table: string, ratios: Record<string, number[]>, speed: Record<string, number[]>,
 *   corpus: {docs: number, bytes: number, compressed: number, ratio: number}, iterations: number,
 *   errors: Record<string, string>}>} ratios: [compress, decompress] items/s over the raw-wasm
 *   per-item loop's (NaN where missing); speed: items/s
 */
export async function benchBatch({ zstd, corpus, nativeHarness, wasmHarness, rounds }) {
  const { docs, totalBytes } = corpus;
  const n = docs.length;
  const args = ['items', corpus.dataPath, corpus.sizesPath, String(LEVEL), String(ITERATIONS)];
  const c = new zstd.ZstdCompressor({ level: LEVEL });
  const d = new zstd.ZstdDecompressor();

  // The frames, once, checked to round-trip.
  const frames = docs.map((doc) => c.compress(doc));
  const compressed = frames.reduce((s, f) => s + f.length, 0);
  frames.forEach((f, i) => {
    if (Buffer.compare(d.decompress(f), docs[i]) !== 0) throw new Error(`document ${i} does not round-trip`);
  });

  // Pre-built BufferWithSegments inputs (documents, frames), when the API exists.
  const segDocs = has(zstd, 'BufferWithSegments') ? concatWithSegments(docs) : null;
  const segFrames = has(zstd, 'BufferWithSegments') ? concatWithSegments(frames) : null;
  // A method that throws is reported ("error" in the table, the message in `errors`) and
  // dropped for the remaining rounds, so one broken call does not lose the other rows.
  const errors = {};
  const attempt = (key, fn) => {
    try {
      return fn();
    } catch (e) {
      errors[key] = String(e?.stack ?? e);
      console.error(`batch: ${key}: ${errors[key]}`);
      return null;
    }
  };
  const docsBws = segDocs && attempt('BufferWithSegments(docs)', () => new zstd.BufferWithSegments(segDocs.bytes, segDocs.segments));
  const framesBws =
    segFrames && attempt('BufferWithSegments(frames)', () => new zstd.BufferWithSegments(segFrames.bytes, segFrames.segments));

  const perItem = perItemLoops(c, d, docs, frames);
  const { timedSync, timedAsync } = batchTimers(ITERATIONS, n, totalBytes);
  // name -> { label, threads, c: () => Promise<ms[]> | null, d: ... }; null: API missing (n/a).
  const methods = {
    perItem: {
      label: 'zstd-kit per-item loop: `c.compress(doc)` / `d.decompress(frame)`',
      threads: 1,
      c: () => timeCalls(perItem.compress, ITERATIONS),
      d: () => timeCalls(perItem.decompress, ITERATIONS),
    },
    multi1: {
      label: '`multiCompressToBuffer(docs)` / `multiDecompressToBuffer(frames)`',
      threads: 1,
      c: timedSync(c, 'multiCompressToBuffer', docs, 1),
      d: timedSync(d, 'multiDecompressToBuffer', frames, 1),
    },
    multi2: {
      label: '`multiCompressToBuffer(docs)` / `multiDecompressToBuffer(frames)`',
      threads: 2,
      c: timedSync(c, 'multiCompressToBuffer', docs, 2),
      d: timedSync(d, 'multiDecompressToBuffer', frames, 2),
    },
    multi1Async: {
      label: '`await multiCompressToBufferAsync(docs)` / `await multiDecompressToBufferAsync(frames)`',
      threads: 1,
      c: timedAsync(c, 'multiCompressToBufferAsync', docs, 1),
      d: timedAsync(d, 'multiDecompressToBufferAsync', frames, 1),
    },
    multi2Async: {
      label: '`await multiCompressToBufferAsync(docs)` / `await multiDecompressToBufferAsync(frames)`',
      threads: 2,
      c: timedAsync(c, 'multiCompressToBufferAsync', docs, 2),
      d: timedAsync(d, 'multiDecompressToBufferAsync', frames, 2),
    },
    multi2Segments: {
      label: 'the same, sync, pre-built `BufferWithSegments` input (zero-copy)',
      threads: 2,
      c: timedSync(c, 'multiCompressToBuffer', docsBws, 2),
      d: timedSync(d, 'multiDecompressToBuffer', framesBws, 2),
    },
  };

  const t = { native: [[], []], wasm: [[], []] };
  for (const k of Object.keys(methods)) t[k] = [[], []];
  let harnessCompressed = null;
  for (let round = 0; round < rounds; round++) {
    for (const [name, cmd] of [
      ['native', nativeHarness],
      ['wasm', wasmHarness],
    ]) {
      const r = harness(cmd, args);
      if (r.docs !== n || r.bytes !== totalBytes) throw new Error(`${name} harness read ${r.docs} docs, ${r.bytes} bytes`);
      harnessCompressed = r.compressed;
      t[name][0].push(...r.compressMs);
      t[name][1].push(...r.decompressMs);
    }
    for (const [k, m] of Object.entries(methods)) {
      for (const [i, dir] of [
        [0, 'c'],
        [1, 'd'],
      ]) {
        if (!m[dir]) continue;
        try {
          t[k][i].push(...(await m[dir]()));
        } catch (e) {
          m[dir] = null;
          t[k][i] = [];
          errors[`${k}.${dir}`] = String(e?.stack ?? e);
          console.error(`batch: ${k} (${dir}): ${errors[`${k}.${dir}`]}`);
        }
      }
    }
    console.error(`batch round ${round + 1}/${rounds}: done`);
  }
  if (harnessCompressed !== compressed) {
    console.error(`batch: zstd-kit frames total ${compressed} bytes, the harness's ${harnessCompressed}`);
  }

  // items/s from the median whole-pass time; NaN where the method is missing.
  const rate = (ms) => (ms.length ? n / (median(ms) / 1000) : NaN);
  const speed = Object.fromEntries(Object.entries(t).map(([k, [cms, dms]]) => [k, [rate(cms), rate(dms)]]));
  const w = speed.wasm;
  const toWasm = (k) => [speed[k][0] / w[0], speed[k][1] / w[1]];
  const failed = (k, dir) =>
    `${k}.${dir}` in errors || (k === 'multi2Segments' && errors[dir === 'c' ? 'BufferWithSegments(docs)' : 'BufferWithSegments(frames)']);
  const cell = (k, dir, x, digits) => (Number.isFinite(x) ? fmt(x, digits) : failed(k, dir) ? 'error' : 'n/a');
  const pair = (k, xs, digits = 0) => `${cell(k, 'c', xs[0], digits)} / ${cell(k, 'd', xs[1], digits)}`;
  const mb = (k) => speed[k].map((x) => (x * totalBytes) / n / 1e6);
  const row = (label, threads, k) => `| ${label} | ${threads} | ${pair(k, speed[k])} | ${pair(k, mb(k), 1)} | ${pair(k, toWasm(k), 2)} |`;
  const rows = [
    '| method | threads | items/s (c / d) | MB/s (c / d) | / raw-wasm per-item (c / d) |',
    '|---|---|---|---|---|',
    row('native C per-item loop (reused contexts)', 1, 'native'),
    row('raw wasm per-item loop (ceiling)', 1, 'wasm'),
    ...Object.entries(methods).map(([k, m]) => row(m.label, m.threads, k)),
  ];
  const ratios = { native: toWasm('native') };
  for (const k of Object.keys(methods)) ratios[k] = toWasm(k);

  for (const x of [docsBws, framesBws]) free(x);
  c.free();
  d.free();
  return {
    table: rows.join('\n'),
    ratios,
    speed,
    corpus: { docs: n, bytes: totalBytes, compressed, ratio: totalBytes / compressed },
    iterations: ITERATIONS,
    errors,
  };
}
