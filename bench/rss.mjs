// Memory per workload, each run in a fresh process: the process's resident set size (RSS) at its
// baseline (after init) and at its peak, and the wasm heap against the most the library ever had
// allocated at once (zstd.memory.heapSize() / peakAllocatedBytes()).
//
//   node --expose-gc bench/rss.mjs [node|obj|oneshot|oneshot-st|batch|all] [--bytes N]
//
// Streaming (the data: 1 GiB by default of generated text-like data, deterministic, made 64 KiB
// at a time, never held whole), through zstd-kit's streaming compression and straight back
// through its streaming decompression, level 3; bytes out must equal bytes in (count and sha256):
//   node  stream.pipeline(generator Readable, createZstdCompress({ level: 3 }), a pass-through
//         Transform counting the compressed bytes, createZstdDecompress(), counting Writable)
//         ('zstd-kit/node' transforms)
//   obj   a plain loop: chunk -> co.compress() -> dobj.decompress() -> count
//         (c.compressobj() / d.decompressobj()), co.flush() at the end
//   Targets: peak RSS - baseline < 64 MiB; the wasm heap does not grow after the first 1/16 of
//   the data (it must not scale with the input size).
// One-shot (the data: the large corpus, bench/corpus.mjs, repeated to --bytes, default 124 MiB):
//   oneshot     three round trips, each a function call doing `frame = c.compress(data)`,
//               `back = d.decompress(frame)` (one ZstdCompressor({ level: 3 }), one
//               ZstdDecompressor; results dropped when the call returns, never a forced GC),
//               threaded build; every result checked against the input
//   oneshot-st  the same in the single-threaded build (init({ threads: false }))
//   Targets: peak RSS < 600 MiB (for 124 MiB); heap <= 1.15x peak allocated.
// Batch (the small-documents corpus, bench/corpus.mjs):
//   batch  three rounds of multiCompressToBuffer(docs, { threads: 2 }) then
//          multiDecompressToBuffer(frames, { threads: 2 }), both results freed each round
//   Target: heap <= 1.15x peak allocated.
// Every variant also says whether totalAllocatedBytes() came back to its baseline (no leak).
//   all   (default) runs `node` then `obj`, each as a child process of this script
// Prints one JSON line: for one variant an object, for `all` { variants: [...] }. Exit code 0 even
// when a variant is unavailable ("status": "n/a") or fails ("status": "error", "error": message).
//
// --expose-gc is optional: with it, a full GC runs before the baseline is read, so the baseline
// is the settled heap after init; nothing forces GC during the run (the peak is what the program
// reaches on its own). RSS is sampled every 2 ms by a timer and after every chunk or call.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MiB = 1 << 20;
export const CHUNK = 64 * 1024;
export const LEVEL = 3;
const DEFAULT_BYTES = 1024 * MiB;
const DEFAULT_ONESHOT_BYTES = 124 * MiB;
export const HEAP_TARGET = 1.15; // heapSize() <= this x peakAllocatedBytes()
export const ONESHOT_RSS_TARGET_MIB = 600;

/**
 * Deterministic text-like data: words from a pseudo-random vocabulary of 2,048 (skewed towards
 * the first ones), spaces, newlines and some random numbers (xorshift32 PRNG, fixed seed).
 * Compresses about 3x at level 3. Returns next(): a fresh CHUNK-byte Buffer each call (shorter
 * at the end), null after `total` bytes.
 */
export function textGenerator(total, seed = 0x9e3779b9) {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
  // The vocabulary: 2,048 words of 2-10 letters (frequent letters likelier), back to back.
  const WORDS = 2048;
  const letters = Buffer.from('etaoinshrdlcumwfgypbvkjxqz');
  const pool = new Uint8Array(WORDS * 10);
  const start = new Int32Array(WORDS);
  const length = new Int32Array(WORDS);
  for (let i = 0, at = 0; i < WORDS; i++) {
    start[i] = at;
    length[i] = 2 + (rand() % 9);
    for (let j = 0; j < length[i]; j++) pool[at++] = letters[Math.min(rand() % 32, rand() % 32) % 26];
  }
  // Text is written into `buf` until it holds a chunk; what runs past the chunk (at most one
  // word or number and its separator) moves to the front for the next one.
  const buf = new Uint8Array(CHUNK + 16);
  let filled = 0;
  let produced = 0;
  return function next() {
    if (produced >= total) return null;
    const size = Math.min(CHUNK, total - produced);
    let p = filled;
    while (p < size) {
      const r = rand();
      if ((r & 63) === 0) {
        // A number of up to 6 digits: hard to compress.
        let x = rand() % 1000000;
        let digits = 1;
        for (let y = x; y >= 10; y = (y / 10) | 0) digits++;
        for (let i = p + digits - 1; i >= p; i--, x = (x / 10) | 0) buf[i] = 48 + (x % 10);
        p += digits;
      } else {
        // Product of two uniform indices: frequent words first, a long tail.
        const w = (((r >>> 6) & 2047) * ((r >>> 17) & 2047)) >>> 11;
        for (let i = start[w], end = i + length[w]; i < end; i++) buf[p++] = pool[i];
      }
      buf[p++] = r >>> 28 === 0 ? 10 : 32; // newline 1 in 16, else space
    }
    const out = Buffer.allocUnsafe(size);
    out.set(buf.subarray(0, size));
    buf.copyWithin(0, size, p);
    filled = p - size;
    produced += size;
    return out;
  };
}

/** RSS sampling: every `ms` by a timer (when the event loop turns) and on every sample() call. */
function rssSampler(ms = 2) {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, ms);
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

// The heap and allocation figures every variant reports; `allocatedBefore`: the baseline.
function heapReport(zstd, allocatedBefore) {
  const heap = zstd.memory.heapSize();
  const peak = zstd.memory.peakAllocatedBytes();
  const allocated = zstd.memory.totalAllocatedBytes();
  return {
    heapEndMiB: +(heap / MiB).toFixed(1),
    peakAllocatedMiB: +(peak / MiB).toFixed(1),
    heapOverPeak: +(heap / peak).toFixed(3),
    allocatedAfterMiB: +(allocated / MiB).toFixed(2),
    noLeak: allocated === allocatedBefore,
    heapWithinTarget: heap <= HEAP_TARGET * peak,
  };
}

// The large corpus repeated to `bytes` bytes.
async function oneShotInput(bytes) {
  const { readFileSync } = await import('node:fs');
  const { largeCorpus } = await import('./corpus.mjs');
  const tar = readFileSync(largeCorpus());
  const data = Buffer.allocUnsafeSlow(bytes);
  for (let at = 0; at < bytes; at += tar.length) data.set(tar.subarray(0, Math.min(tar.length, bytes - at)), at);
  return data;
}

/**
 * Runs `body(sampler)` (it returns { compressed, ...more figures }) while RSS is sampled, and
 * reports what every variant reports: time, ratio, peak RSS, heap figures; `targets(peak, heap)`
 * says which targets were met.
 */
async function measured(zstd, result, bytesIn, body, targets) {
  globalThis.gc?.();
  const baseline = process.memoryUsage.rss();
  const allocatedBefore = zstd.memory.totalAllocatedBytes();
  const sampler = rssSampler();
  const t0 = performance.now();
  let figures;
  try {
    figures = body(sampler);
  } catch (e) {
    sampler.stop();
    return { ...result, status: 'error', error: String(e?.stack ?? e).split('\n')[0] };
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = sampler.stop();
  const heap = heapReport(zstd, allocatedBefore);
  return {
    ...result,
    status: 'ok',
    ...figures,
    ratio: +(bytesIn / figures.compressed).toFixed(2),
    seconds: +seconds.toFixed(2),
    baselineRssMiB: +(baseline / MiB).toFixed(1),
    peakRssMiB: +(peak / MiB).toFixed(1),
    rssGrowthMiB: +((peak - baseline) / MiB).toFixed(1),
    ...heap,
    targets: targets(peak, heap),
  };
}

async function runOneShot(variant, bytes) {
  const zstd = await import('zstd-kit');
  await zstd.init(variant === 'oneshot-st' ? { threads: false } : undefined);
  const data = await oneShotInput(bytes);
  const result = { variant, level: LEVEL, bytesIn: bytes, rounds: 3, threadedBuild: zstd.features.threads };
  const body = (sampler) => {
    const heapAfterRound = [];
    let compressed = 0;
    const c = new zstd.ZstdCompressor({ level: LEVEL });
    const d = new zstd.ZstdDecompressor();
    // A function per round, so its results are garbage once it returns (in a loop body, V8 keeps
    // the last round's values in the frame until they are overwritten: 124 MiB more at the peak).
    const roundTrip = (round) => {
      const frame = c.compress(data);
      sampler.sample();
      const back = d.decompress(frame);
      sampler.sample();
      compressed = frame.length;
      if (!data.equals(Buffer.from(back.buffer, back.byteOffset, back.length))) {
        throw new Error(`round ${round}: the round trip changed the data`);
      }
      heapAfterRound.push(zstd.memory.heapSize() / MiB);
    };
    for (let round = 0; round < 3; round++) roundTrip(round);
    c.free();
    d.free();
    return { compressed, heapAfterRoundMiB: heapAfterRound.map((x) => +x.toFixed(1)) };
  };
  return measured(zstd, result, bytes, body, (peak, heap) => ({
    peakRssUnder600MiB: peak / MiB < ONESHOT_RSS_TARGET_MIB,
    heapWithinTarget: heap.heapWithinTarget,
    noLeak: heap.noLeak,
  }));
}

async function runBatch(variant) {
  const zstd = await import('zstd-kit');
  await zstd.init();
  const { smallDocsCorpus } = await import('./corpus.mjs');
  const corpus = smallDocsCorpus();
  const docs = corpus.docs.map((x) => new Uint8Array(x.buffer, x.byteOffset, x.length));
  const threads = 2;
  const result = { variant, level: LEVEL, threads, docs: docs.length, bytesIn: corpus.totalBytes, rounds: 3 };
  const body = (sampler) => {
    let compressed = 0;
    const c = new zstd.ZstdCompressor({ level: LEVEL });
    const d = new zstd.ZstdDecompressor();
    for (let round = 0; round < 3; round++) {
      const frames = c.multiCompressToBuffer(docs, { threads });
      sampler.sample();
      const back = d.multiDecompressToBuffer(frames, { threads });
      sampler.sample();
      compressed = frames.size();
      // size(), not get(i): a segment object would keep its collection's memory until collected.
      if (back.length !== docs.length || back.size() !== corpus.totalBytes) throw new Error(`round ${round}: wrong sizes back`);
      frames.free();
      back.free();
    }
    c.free();
    d.free();
    return { compressed };
  };
  return measured(zstd, result, corpus.totalBytes, body, (peak, heap) => ({
    heapWithinTarget: heap.heapWithinTarget,
    noLeak: heap.noLeak,
  }));
}

async function runVariant(variant, bytes) {
  if (variant === 'oneshot' || variant === 'oneshot-st') return runOneShot(variant, bytes);
  if (variant === 'batch') return runBatch(variant);
  const zstd = await import('zstd-kit');
  await zstd.init();
  const result = { variant, level: LEVEL, chunk: CHUNK, bytesIn: bytes };
  let zstdNode = null;
  if (variant === 'node') {
    zstdNode = await import('zstd-kit/node');
    if (typeof zstdNode.createZstdCompress !== 'function' || typeof zstdNode.createZstdDecompress !== 'function') {
      return { ...result, status: 'n/a', error: "createZstdCompress / createZstdDecompress missing from 'zstd-kit/node'" };
    }
  } else {
    const c = new zstd.ZstdCompressor({ level: LEVEL });
    const d = new zstd.ZstdDecompressor();
    const missing = typeof c.compressobj !== 'function' || typeof d.decompressobj !== 'function';
    c.free();
    d.free();
    if (missing) return { ...result, status: 'n/a', error: 'compressobj / decompressobj missing' };
  }

  globalThis.gc?.();
  const baseline = process.memoryUsage.rss();
  const allocatedBefore = zstd.memory.totalAllocatedBytes();
  const heapStart = zstd.memory.heapSize();
  let heapWarm = null;
  const warmAt = bytes / 16;
  const next = textGenerator(bytes);
  const hashIn = createHash('sha256');
  const hashOut = createHash('sha256');
  let generated = 0;
  let compressed = 0;
  let out = 0;
  const onOut = (chunk) => {
    hashOut.update(chunk);
    out += chunk.length;
    if (heapWarm === null && out >= warmAt) heapWarm = zstd.memory.heapSize();
  };
  const gen = () => {
    const chunk = next();
    if (chunk) {
      hashIn.update(chunk);
      generated += chunk.length;
    }
    return chunk;
  };
  const sampler = rssSampler();
  const t0 = performance.now();
  try {
    if (variant === 'node') {
      const source = new Readable({
        read() {
          sampler.sample();
          this.push(gen());
        },
      });
      // Counts the compressed bytes on their way to the decompressor (passes chunks on as they are).
      const counter = new Transform({
        transform(chunk, _encoding, callback) {
          compressed += chunk.length;
          callback(null, chunk);
        },
      });
      const sink = new Writable({
        write(chunk, _encoding, callback) {
          onOut(chunk);
          sampler.sample();
          callback(null);
        },
      });
      await pipeline(source, zstdNode.createZstdCompress({ level: LEVEL }), counter, zstdNode.createZstdDecompress(), sink);
    } else {
      const c = new zstd.ZstdCompressor({ level: LEVEL });
      const d = new zstd.ZstdDecompressor();
      const co = c.compressobj();
      const dobj = d.decompressobj();
      const feed = (frame) => {
        compressed += frame.length;
        if (frame.length) {
          const back = dobj.decompress(frame);
          if (back.length) onOut(back);
        }
      };
      for (let chunk = gen(); chunk; chunk = gen()) {
        feed(co.compress(chunk));
        sampler.sample();
      }
      feed(co.flush());
      sampler.sample();
      if (dobj.eof !== true) throw new Error('decompressobj: eof not set at the end of the frame');
      c.free();
      d.free();
    }
  } catch (e) {
    sampler.stop();
    return { ...result, status: 'error', error: String(e?.stack ?? e).split('\n')[0] };
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = sampler.stop();
  const heapEnd = zstd.memory.heapSize();
  const heap = heapReport(zstd, allocatedBefore);
  const sameBytes = generated === bytes && out === bytes && hashIn.digest('hex') === hashOut.digest('hex');
  const growthMiB = (peak - baseline) / MiB;
  return {
    ...result,
    status: sameBytes ? 'ok' : 'error',
    ...(sameBytes ? {} : { error: `bytes out differ from bytes in (${generated} generated, ${out} out)` }),
    bytesOut: out,
    compressed,
    ratio: compressed ? +(bytes / compressed).toFixed(2) : null,
    seconds: +seconds.toFixed(2),
    roundTripMBps: +(bytes / 1e6 / seconds).toFixed(1),
    baselineRssMiB: +(baseline / MiB).toFixed(1),
    peakRssMiB: +(peak / MiB).toFixed(1),
    rssGrowthMiB: +growthMiB.toFixed(1),
    heapStartMiB: heapStart / MiB,
    heapAfterFirst16thMiB: heapWarm === null ? null : heapWarm / MiB,
    ...heap,
    targets: {
      rssGrowthUnder64MiB: growthMiB < 64,
      heapFlat: heapWarm !== null && heapEnd === heapWarm,
      noLeak: heap.noLeak,
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const bytesAt = args.indexOf('--bytes');
  const variant = args.find((a, i) => !a.startsWith('--') && (bytesAt < 0 || i !== bytesAt + 1)) ?? 'all';
  const oneShot = variant === 'oneshot' || variant === 'oneshot-st';
  const bytes = bytesAt >= 0 ? Number(args[bytesAt + 1]) : oneShot ? DEFAULT_ONESHOT_BYTES : DEFAULT_BYTES;
  if (!['node', 'obj', 'oneshot', 'oneshot-st', 'batch', 'all'].includes(variant) || !Number.isSafeInteger(bytes) || bytes <= 0) {
    console.error('usage: node --expose-gc bench/rss.mjs [node|obj|oneshot|oneshot-st|batch|all] [--bytes N]');
    process.exit(2);
  }

  let report;
  if (variant === 'all') {
    const self = fileURLToPath(import.meta.url);
    const variants = ['node', 'obj'].map((v) => {
      try {
        const out = execFileSync(process.execPath, [...process.execArgv, self, v, '--bytes', String(bytes)], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          timeout: 15 * 60 * 1000, // a hung variant is reported, not waited on for ever
        });
        return JSON.parse(out.trim().split('\n').at(-1));
      } catch (e) {
        return { variant: v, status: 'error', error: String(e?.message ?? e).split('\n')[0] };
      }
    });
    report = { variants };
  } else {
    report = await runVariant(variant, bytes);
  }
  console.log(JSON.stringify(report));
  // The threaded build's pool workers would keep Node alive.
  process.exit(0);
}

// Run as a script (importing it, e.g. for textGenerator, runs nothing).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await main();
