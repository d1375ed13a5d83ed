// Streaming compression of the large corpus, level 3, fed in 64 KiB chunks, in MB/s:
// native C and the same C harness in wasm (raw_harness.c `stream` mode: ZSTD_compressStream2 /
// ZSTD_decompressStream loops with reused contexts and ZSTD_CStreamOutSize() /
// ZSTD_DStreamOutSize() output buffers; the wasm one is the ceiling), and zstd-kit's streaming
// APIs: compressobj / decompressobj in a plain loop, the Web streams (ZstdCompressionStream /
// ZstdDecompressionStream) and the Node transforms of 'zstd-kit/node' (createZstdCompress /
// createZstdDecompress) in stream.pipeline, in interleaved rounds.
// Returns a markdown table and the ratios to the raw-wasm streaming loop.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fmt, mbps, median, timeCallsAsync } from './stats.mjs';

export const LEVEL = 3;
export const CHUNK = 64 * 1024;
// Full passes over the corpus per method and round (after two untimed warm-up passes).
export const ITERATIONS = 5;

function harness(cmd, args) {
  return JSON.parse(execFileSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

/** Subarrays of `bytes`, `size` bytes each (the last one shorter). No copies. */
function split(bytes, size) {
  const out = [];
  for (let offset = 0; offset < bytes.length; offset += size) out.push(bytes.subarray(offset, offset + size));
  return out;
}

function concat(chunks) {
  return Buffer.concat(chunks.map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.length))));
}

const has = (obj, name) => typeof obj?.[name] === 'function';

/** A ReadableStream handing out `chunks` one per pull (as a file or socket source would). */
function readableOf(chunks) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

async function drain(readable) {
  const out = [];
  const reader = readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

/** A Node Writable keeping references to what it receives (no copies). */
function collector(out) {
  return new Writable({
    write(chunk, _encoding, callback) {
      out.push(chunk);
      callback();
    },
    writev(entries, callback) {
      for (const { chunk } of entries) out.push(chunk);
      callback();
    },
  });
}

/**
 * @param {object} o
 * @param {object} o.zstd the zstd-kit module, initialised
 * @param {string} o.corpusPath the large corpus (bench/corpus.mjs largeCorpus())
 * @param {string[]} o.nativeHarness command of the native bench-raw
 * @param {string[]} o.wasmHarness command of the wasm bench-raw
 * @param {number} o.rounds
 * @param {object} [o.zstdNode] the 'zstd-kit/node' module (default: imported here)
 * @returns {Promise<{table: string, ratios: Record<string, number[]>, speed: Record<string, number[]>,
 *   bytes: number, compressed: number, harnessCompressed: number, iterations: number, chunk: number,
 *   level: number, frameSource: string, errors: Record<string, string>}>} ratios: [compress,
 *   decompress] MB/s over the raw-wasm stream loop's (NaN where missing or failed); speed: MB/s
 */
export async function benchStreaming({ zstd, corpusPath, nativeHarness, wasmHarness, rounds, zstdNode }) {
  const data = readFileSync(corpusPath);
  const n = data.length;
  const inputChunks = split(data, CHUNK);
  const args = ['stream', corpusPath, String(LEVEL), String(CHUNK), String(ITERATIONS)];
  const c = new zstd.ZstdCompressor({ level: LEVEL });
  const d = new zstd.ZstdDecompressor();

  // A method that throws is reported ("error" in the table, the message in `errors`) and dropped
  // for the remaining rounds, so one broken call does not lose the other rows.
  const errors = {};
  const fail = (key, e) => {
    errors[key] = String(e?.stack ?? e);
    console.error(`streaming: ${key}: ${errors[key]}`);
  };

  if (!zstdNode) {
    try {
      zstdNode = await import('zstd-kit/node');
    } catch (e) {
      fail('import zstd-kit/node', e);
      zstdNode = null;
    }
  }

  // Untimed checks. Compressed output: one zstd stream that decodes back to the corpus.
  // Decompressed output: the corpus's bytes.
  const checkCompressed = (what) => (chunks) => {
    const frame = concat(chunks);
    const back = d.decompress(frame, { maxOutputSize: n, readAcrossFrames: true });
    if (back.length !== n || Buffer.compare(back, data) !== 0) {
      throw new Error(`${what}: output (${frame.length} bytes) decompresses to ${back.length} bytes, not the ${n} input bytes`);
    }
  };
  const checkDecompressed = (what) => (chunks) => {
    const total = chunks.reduce((s, x) => s + x.length, 0);
    if (total !== n) throw new Error(`${what}: ${total} bytes out, not ${n}`);
    if (Buffer.compare(concat(chunks), data) !== 0) throw new Error(`${what}: output differs from the input`);
  };

  // The compressed stream the decompressing rows read, in CHUNK-byte pieces: compressobj's output
  // (no content size in the header, as the harness's stream) when it works, else compress()'s.
  let frame = null;
  let frameSource = 'compressobj()';
  if (has(c, 'compressobj')) {
    try {
      const co = c.compressobj();
      const out = inputChunks.map((x) => co.compress(x));
      out.push(co.flush());
      checkCompressed('compressobj')(out);
      frame = concat(out);
    } catch (e) {
      fail('compressobj (frame for the decompression rows)', e);
    }
  }
  if (!frame) {
    frame = Buffer.from(c.compress(data));
    frameSource = 'compress() (one-shot: compressobj() unavailable)';
  }
  const frameChunks = split(frame, CHUNK);

  const passes = {
    compressobj: {
      label: '`c.compressobj()`: `co.compress(chunk)` per chunk, `co.flush()` / `d.decompressobj()`: `dobj.decompress(chunk)` per chunk',
      c: has(c, 'compressobj')
        ? async () => {
            const co = c.compressobj();
            const out = [];
            for (const x of inputChunks) {
              const r = co.compress(x);
              if (r.length) out.push(r);
            }
            out.push(co.flush());
            return out;
          }
        : null,
      d: has(d, 'decompressobj')
        ? async () => {
            const dobj = d.decompressobj();
            const out = [];
            for (const x of frameChunks) {
              const r = dobj.decompress(x);
              if (r.length) out.push(r);
            }
            if (dobj.eof !== true) throw new Error('decompressobj: eof not set at the end of the frame');
            return out;
          }
        : null,
    },
    web: {
      label:
        'Web streams: `ReadableStream` of chunks `.pipeThrough(new ZstdCompressionStream({ level: 3 }))` / `(new ZstdDecompressionStream())`, drained by a reader',
      c: has(zstd, 'ZstdCompressionStream')
        ? () => drain(readableOf(inputChunks).pipeThrough(new zstd.ZstdCompressionStream({ level: LEVEL })))
        : null,
      d: has(zstd, 'ZstdDecompressionStream') ? () => drain(readableOf(frameChunks).pipeThrough(new zstd.ZstdDecompressionStream())) : null,
    },
    node: {
      label: 'Node transforms: `stream.pipeline(Readable.from(chunks), createZstdCompress({ level: 3 }) / createZstdDecompress(), sink)`',
      c: has(zstdNode, 'createZstdCompress')
        ? async () => {
            const out = [];
            await pipeline(Readable.from(inputChunks), zstdNode.createZstdCompress({ level: LEVEL }), collector(out));
            return out;
          }
        : null,
      d: has(zstdNode, 'createZstdDecompress')
        ? async () => {
            const out = [];
            await pipeline(Readable.from(frameChunks), zstdNode.createZstdDecompress(), collector(out));
            return out;
          }
        : null,
    },
  };
  if (zstdNode === null) errors['node.c'] = errors['node.d'] = errors['import zstd-kit/node'];

  const t = { native: [[], []], wasm: [[], []] };
  for (const k of Object.keys(passes)) t[k] = [[], []];
  let harnessCompressed = null;
  for (let round = 0; round < rounds; round++) {
    for (const [name, cmd] of [
      ['native', nativeHarness],
      ['wasm', wasmHarness],
    ]) {
      const r = harness(cmd, args);
      if (r.bytes !== n || r.chunk !== CHUNK) throw new Error(`${name} harness read ${r.bytes} bytes in ${r.chunk}-byte chunks`);
      harnessCompressed = r.compressed;
      t[name][0].push(...r.compressMs);
      t[name][1].push(...r.decompressMs);
    }
    for (const [k, m] of Object.entries(passes)) {
      for (const [i, dir] of [
        [0, 'c'],
        [1, 'd'],
      ]) {
        if (!m[dir]) continue;
        const what = `${k}.${dir}`;
        try {
          t[k][i].push(...(await timeCallsAsync(m[dir], ITERATIONS, (dir === 'c' ? checkCompressed : checkDecompressed)(what))));
        } catch (e) {
          m[dir] = null;
          t[k][i] = [];
          fail(what, e);
        }
      }
    }
    console.error(`streaming round ${round + 1}/${rounds}: done`);
  }

  // MB/s from the median whole-pass time; NaN where the method is missing or failed.
  const rate = (ms) => (ms.length ? mbps(n, median(ms)) : NaN);
  const speed = Object.fromEntries(Object.entries(t).map(([k, [cms, dms]]) => [k, [rate(cms), rate(dms)]]));
  const w = speed.wasm;
  const toWasm = (k) => [speed[k][0] / w[0], speed[k][1] / w[1]];
  const cell = (k, dir, x, digits) => (Number.isFinite(x) ? fmt(x, digits) : `${k}.${dir}` in errors ? 'error' : 'n/a');
  const pair = (k, xs, digits) => `${cell(k, 'c', xs[0], digits)} / ${cell(k, 'd', xs[1], digits)}`;
  const row = (label, k) => `| ${label} | ${pair(k, speed[k], 1)} | ${pair(k, toWasm(k), 2)} |`;
  const rows = [
    '| method | MB/s (c / d) | / raw-wasm stream loop (c / d) |',
    '|---|---|---|',
    row('native C stream loop (`ZSTD_compressStream2` / `ZSTD_decompressStream`)', 'native'),
    row('raw wasm stream loop (ceiling)', 'wasm'),
    ...Object.entries(passes).map(([k, m]) => row(m.label, k)),
  ];
  const ratios = { native: toWasm('native') };
  for (const k of Object.keys(passes)) ratios[k] = toWasm(k);

  c.free();
  d.free();
  return {
    table: rows.join('\n'),
    ratios,
    speed,
    bytes: n,
    compressed: frame.length,
    harnessCompressed,
    iterations: ITERATIONS,
    chunk: CHUNK,
    level: LEVEL,
    frameSource,
    errors,
  };
}
