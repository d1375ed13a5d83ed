// Dictionaries on the small-documents corpus, level 3: a 110 KiB dictionary trained on the first
// 2,000 documents, used on the other (held-out) documents.
// - Training time: zstd-kit's trainDictionary next to the C reference (raw_harness.c `train`
//   mode: ZDICT_optimizeTrainFromBuffer_fastCover, k and d searched, one thread), native and wasm.
//   Training takes seconds, so each trainer runs only `trainRuns` times (default 2, interleaved).
// - Ratio on the held-out documents, one frame each, without and with the dictionary.
// - items/s with the dictionary: native C and the same C harness in wasm (`dictitems` mode: one
//   ZSTD_CDict / ZSTD_DDict made once, ZSTD_compress_usingCDict / ZSTD_decompress_usingDDict per
//   document with reused contexts and buffers; the wasm one is the ceiling), zstd-kit's per-item
//   loop with a precomputed dictionary and its batch calls (1 and 2 threads), in interleaved rounds.
// Both sides use the same dictionary file: zstd-kit's, written to bench/corpus/small-docs.dict
// (the native C one when zstd-kit cannot train).
// Returns markdown tables, the ratios to the raw-wasm dictitems rate and the numbers behind them.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from './corpus.mjs';
import { fmt, median, timeCalls } from './stats.mjs';
import { batchTimers, free, has, perItemLoops } from './zstdkit-runs.mjs';

export const LEVEL = 3;
export const DICT_SIZE = 112640; // 110 KiB
export const TRAIN_DOCS = 2000;
// Full passes over the held-out documents per method and round (after two untimed warm-up passes).
export const ITERATIONS = 5;
export const TRAIN_RUNS = 2;

function harness(cmd, args) {
  return JSON.parse(execFileSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

/** Dictionary ID of a zstd dictionary (magic 0xEC30A437, then the ID), 0 for raw content. */
function dictIdOf(bytes) {
  if (bytes.length < 8) return 0;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return v.getUint32(0, true) === 0xec30a437 ? v.getUint32(4, true) : 0;
}

const sameBytes = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/**
 * @param {object} o
 * @param {object} o.zstd the zstd-kit module, initialised
 * @param {{dataPath: string, sizesPath: string, docs: Uint8Array[]}} o.corpus the small-documents corpus
 * @param {string[]} o.nativeHarness command of the native bench-raw
 * @param {string[]} o.wasmHarness command of the wasm bench-raw
 * @param {number} o.rounds interleaved rounds of the speed measurements
 * @param {number} [o.trainRuns] runs of each trainer (interleaved), default TRAIN_RUNS
 * @returns {Promise<{table: string, trainTable: string, ratioTable: string,
 *   ratios: Record<string, number[]>, speed: Record<string, number[]>, train: object, ratio: object,
 *   heldOut: {first: number, docs: number, bytes: number}, dict: object, iterations: number,
 *   trainRuns: number, notes: string[], errors: Record<string, string>}>} ratios: [compress, decompress] items/s over
 *   the raw-wasm dictitems loop's (NaN where missing); speed: items/s
 */
export async function benchDictionary({ zstd, corpus, nativeHarness, wasmHarness, rounds, trainRuns = TRAIN_RUNS }) {
  const { docs } = corpus;
  if (docs.length <= TRAIN_DOCS) throw new Error(`the corpus has ${docs.length} documents, not more than ${TRAIN_DOCS}`);
  const trainDocs = docs.slice(0, TRAIN_DOCS);
  const trainBytes = trainDocs.reduce((s, x) => s + x.length, 0);
  const heldOut = docs.slice(TRAIN_DOCS);
  const n = heldOut.length;
  const heldBytes = heldOut.reduce((s, x) => s + x.length, 0);

  // A part that throws is reported ("error" in the tables, the message in `errors`) and dropped,
  // so one broken call does not lose the other rows.
  const errors = {};
  const fail = (key, e) => {
    errors[key] = String(e?.stack ?? e);
    console.error(`dictionary: ${key}: ${errors[key]}`);
  };
  const attempt = (key, fn) => {
    try {
      return fn();
    } catch (e) {
      fail(key, e);
      return null;
    }
  };

  // --- Training, interleaved: native C, wasm C, zstd-kit.
  const kitDictPath = join(corpusDir, 'small-docs.dict');
  const cDictPath = { native: join(corpusDir, 'small-docs.c-native.dict'), wasm: join(corpusDir, 'small-docs.c-wasm.dict') };
  const train = {
    native: { ms: [], size: NaN, dictId: null, k: null, d: null },
    wasm: { ms: [], size: NaN, dictId: null, k: null, d: null },
    kit: { ms: [], size: NaN, dictId: null, k: null, d: null, deterministic: true },
  };
  const canTrain = has(zstd, 'trainDictionary');
  let kitBytes = null;
  for (let run = 0; run < trainRuns; run++) {
    for (const [name, cmd] of [
      ['native', nativeHarness],
      ['wasm', wasmHarness],
    ]) {
      const r = harness(cmd, ['train', corpus.dataPath, corpus.sizesPath, String(TRAIN_DOCS), String(DICT_SIZE), cDictPath[name]]);
      if (r.docs !== TRAIN_DOCS || r.bytes !== trainBytes) throw new Error(`${name} harness trained on ${r.docs} docs, ${r.bytes} bytes`);
      train[name].ms.push(r.ms);
      Object.assign(train[name], { size: r.size, dictId: r.dictId, k: r.k, d: r.d });
    }
    if (canTrain && !('train' in errors)) {
      try {
        const t0 = performance.now();
        const dict = zstd.trainDictionary(DICT_SIZE, trainDocs, { level: LEVEL });
        const ms = performance.now() - t0;
        try {
          const bytes = Uint8Array.from(dict.asBytes()); // a copy: the view may be wasm memory
          if (kitBytes && !sameBytes(kitBytes, bytes)) train.kit.deterministic = false;
          kitBytes = bytes;
          train.kit.ms.push(ms);
          train.kit.size = dict.length ?? bytes.length;
          train.kit.dictId = has(dict, 'dictId') ? dict.dictId() : dictIdOf(bytes);
          // k and d chosen by the search, when the object tells (as python-zstandard's does).
          train.kit.k = Number.isFinite(dict.k) ? dict.k : null;
          train.kit.d = Number.isFinite(dict.d) ? dict.d : null;
          if (bytes.length !== train.kit.size) throw new Error(`asBytes() has ${bytes.length} bytes, length says ${train.kit.size}`);
          if (bytes.length > DICT_SIZE) throw new Error(`the dictionary has ${bytes.length} bytes, more than the ${DICT_SIZE} asked`);
        } finally {
          free(dict);
        }
      } catch (e) {
        train.kit.ms = [];
        kitBytes = null;
        fail('train', e);
      }
    }
    console.error(`dictionary: training run ${run + 1}/${trainRuns}: done`);
  }
  const nativeBytes = new Uint8Array(readFileSync(cDictPath.native));
  train.native.sameAsNative = true;
  train.wasm.sameAsNative = sameBytes(new Uint8Array(readFileSync(cDictPath.wasm)), nativeBytes);
  train.kit.sameAsNative = kitBytes ? sameBytes(kitBytes, nativeBytes) : null;

  // The dictionary both sides use from here on.
  let dictPath;
  let dictSource;
  if (kitBytes) {
    writeFileSync(`${kitDictPath}.tmp`, kitBytes);
    renameSync(`${kitDictPath}.tmp`, kitDictPath);
    dictPath = kitDictPath;
    dictSource = 'zstd-kit `trainDictionary`';
  } else {
    dictPath = cDictPath.native;
    dictSource = 'the native C `train` mode (zstd-kit could not train)';
  }
  const dictBytes = new Uint8Array(readFileSync(dictPath));
  const dictId = dictIdOf(dictBytes);

  // --- zstd-kit with the dictionary: the frames once, each checked to round-trip and to name the
  // dictionary (an ignored dictData option would otherwise pass silently).
  const args = ['dictitems', corpus.dataPath, corpus.sizesPath, dictPath, String(LEVEL), String(TRAIN_DOCS), String(ITERATIONS)];
  const checkDictId = (frame, what) => {
    if (!has(zstd, 'getFrameParameters')) return;
    const id = zstd.getFrameParameters(frame).dictId;
    if (id !== dictId) throw new Error(`${what}: the frame names dictionary ${id}, not ${dictId}`);
  };
  let dict = null;
  let c = null;
  let d = null;
  let frames = null;
  let kitCompressed = NaN;
  if (typeof zstd.ZstdCompressionDict === 'function') {
    try {
      dict = new zstd.ZstdCompressionDict(dictBytes);
      if (has(dict, 'dictId') && dict.dictId() !== dictId) throw new Error(`dictId() is ${dict.dictId()}, the file says ${dictId}`);
      if (!has(dict, 'precompute')) throw new Error('ZstdCompressionDict has no precompute()');
      dict.precompute({ level: LEVEL });
      c = new zstd.ZstdCompressor({ level: LEVEL, dictData: dict });
      d = new zstd.ZstdDecompressor({ dictData: dict });
      frames = heldOut.map((doc) => c.compress(doc));
      checkDictId(frames[0], 'compress');
      frames.forEach((f, i) => {
        if (Buffer.compare(Buffer.from(d.decompress(f)), Buffer.from(heldOut[i])) !== 0) {
          throw new Error(`held-out document ${i} does not round-trip`);
        }
      });
      kitCompressed = frames.reduce((s, f) => s + f.length, 0);
    } catch (e) {
      fail('setup', e);
      free(c);
      free(d);
      c = d = frames = null;
    }
  }
  // Without a dictionary: the plain compressor, one frame per document.
  const plainCompressed =
    attempt('noDict', () => {
      const plain = new zstd.ZstdCompressor({ level: LEVEL });
      try {
        return heldOut.reduce((s, doc) => s + plain.compress(doc).length, 0);
      } finally {
        free(plain);
      }
    }) ?? NaN;

  const perItem = perItemLoops(c, d, heldOut, frames);
  // Besides counts and sizes: the first and last frames name the dictionary.
  const { timedSync } = batchTimers(ITERATIONS, n, heldBytes, (fn, r) => {
    if (!fn.startsWith('multiCompress') || !has(r, 'get')) return;
    for (const i of [0, n - 1]) {
      const segment = r.get(i); // a segment keeps the whole result alive until freed
      try {
        checkDictId(segment.toBytes(), fn);
      } finally {
        segment.free();
      }
    }
  });
  // name -> { label, threads, c: () => ms[] | null, d: ... }; null: API missing (n/a) or setup failed.
  const methods = {
    perItem: {
      label: 'zstd-kit per-item loop, precomputed dictionary: `c.compress(doc)` / `d.decompress(frame)`',
      threads: 1,
      c: c ? () => timeCalls(perItem.compress, ITERATIONS) : null,
      d: d && frames ? () => timeCalls(perItem.decompress, ITERATIONS) : null,
    },
    multi1: {
      label: '`multiCompressToBuffer(docs)` / `multiDecompressToBuffer(frames)`, dictionary',
      threads: 1,
      c: timedSync(c, 'multiCompressToBuffer', heldOut, 1),
      d: timedSync(d, 'multiDecompressToBuffer', frames, 1),
    },
    multi2: {
      label: '`multiCompressToBuffer(docs)` / `multiDecompressToBuffer(frames)`, dictionary',
      threads: 2,
      c: timedSync(c, 'multiCompressToBuffer', heldOut, 2),
      d: timedSync(d, 'multiDecompressToBuffer', frames, 2),
    },
  };

  const t = { native: [[], []], wasm: [[], []] };
  for (const k of Object.keys(methods)) t[k] = [[], []];
  let harnessResult = null;
  for (let round = 0; round < rounds; round++) {
    for (const [name, cmd] of [
      ['native', nativeHarness],
      ['wasm', wasmHarness],
    ]) {
      const r = harness(cmd, args);
      if (r.docs !== n || r.bytes !== heldBytes) throw new Error(`${name} harness read ${r.docs} docs, ${r.bytes} bytes`);
      if (r.dictId !== dictId || r.dictSize !== dictBytes.length)
        throw new Error(`${name} harness used dictionary ${r.dictId} (${r.dictSize} bytes)`);
      harnessResult = r;
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
          t[k][i].push(...m[dir]());
        } catch (e) {
          m[dir] = null;
          t[k][i] = [];
          fail(`${k}.${dir}`, e);
        }
      }
    }
    console.error(`dictionary round ${round + 1}/${rounds}: done`);
  }
  // Differences worth a line under the tables (not errors).
  const notes = [];
  if (Number.isFinite(kitCompressed) && harnessResult.compressed !== kitCompressed) {
    notes.push(`zstd-kit's dictionary frames total ${kitCompressed} bytes, the C harness's ${harnessResult.compressed}`);
  }
  if (Number.isFinite(plainCompressed) && harnessResult.compressedNoDict !== plainCompressed) {
    notes.push(`zstd-kit's frames without dictionary total ${plainCompressed} bytes, the C harness's ${harnessResult.compressedNoDict}`);
  }
  if (!train.kit.deterministic) notes.push('zstd-kit training gave different dictionaries in different runs');
  for (const x of notes) console.error(`dictionary: ${x}`);

  // --- Tables.
  const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
  const failed = (key) => key in errors;
  const missing = (key, x, digits) => (Number.isFinite(x) ? fmt(x, digits) : failed(key) ? 'error' : 'n/a');

  const trainMedian = (k) => (train[k].ms.length ? median(train[k].ms) : NaN);
  const yesNo = (x) => (x === null ? '-' : x ? 'yes' : 'no');
  const kd = (r) => (r.k === null && r.d === null ? '-' : `${r.k ?? '?'} / ${r.d ?? '?'}`);
  const trainRow = (label, k, key) => {
    const r = train[k];
    const ms = trainMedian(k);
    const ok = Number.isFinite(ms);
    const cell = ok ? fmt(ms, 0) : failed(key) ? 'error' : 'n/a';
    return `| ${label} | ${cell} | ${r.ms.length} | ${ok ? int(r.size) : '-'} | ${ok ? r.dictId : '-'} | ${ok ? kd(r) : '-'} | ${ok ? yesNo(r.sameAsNative) : '-'} |`;
  };
  const trainTable = [
    '| trainer | ms (median) | runs | dictionary bytes | dictionary ID | k / d chosen | same bytes as native C |',
    '|---|---|---|---|---|---|---|',
    trainRow('native C `ZDICT_optimizeTrainFromBuffer_fastCover`', 'native', 'trainNative'),
    trainRow('raw wasm, the same C', 'wasm', 'trainWasm'),
    trainRow('zstd-kit `trainDictionary(112640, docs.slice(0, 2000), { level: 3 })`', 'kit', 'train'),
  ].join('\n');

  const ratio = {
    bytes: heldBytes,
    noDict: plainCompressed,
    dict: kitCompressed,
    cNoDict: harnessResult.compressedNoDict,
    cDict: harnessResult.compressed,
  };
  // gain: the same documents' no-dictionary bytes (from the same side) over these.
  const ratioRow = (label, bytes, key, noDict) =>
    `| ${label} | ${Number.isFinite(bytes) ? int(bytes) : failed(key) ? 'error' : 'n/a'} | ` +
    `${missing(key, heldBytes / bytes, 2)} | ${missing(key, noDict / bytes, 3)} |`;
  const ratioTable = [
    '| held-out documents, level 3, one frame each | compressed bytes | ratio | gain (no-dictionary bytes / these) |',
    '|---|---|---|---|',
    ratioRow('zstd-kit, no dictionary (`new ZstdCompressor({ level: 3 })`)', plainCompressed, 'noDict', plainCompressed),
    ratioRow('zstd-kit, dictionary (precomputed, `dictData`)', kitCompressed, 'setup', plainCompressed),
    ratioRow('C harness, no dictionary (`ZSTD_compress2`)', ratio.cNoDict, 'cNoDict', ratio.cNoDict),
    ratioRow('C harness, dictionary (`ZSTD_compress_usingCDict`)', ratio.cDict, 'cDict', ratio.cNoDict),
  ].join('\n');

  // items/s from the median whole-pass time; NaN where the method is missing.
  const rate = (ms) => (ms.length ? n / (median(ms) / 1000) : NaN);
  const speed = Object.fromEntries(Object.entries(t).map(([k, [cms, dms]]) => [k, [rate(cms), rate(dms)]]));
  const w = speed.wasm;
  const toWasm = (k) => [speed[k][0] / w[0], speed[k][1] / w[1]];
  const cellFor = (k, dir, x, digits) => {
    if (Number.isFinite(x)) return fmt(x, digits);
    return `${k}.${dir}` in errors || ('setup' in errors && k in methods) ? 'error' : 'n/a';
  };
  const pair = (k, xs, digits = 0) => `${cellFor(k, 'c', xs[0], digits)} / ${cellFor(k, 'd', xs[1], digits)}`;
  const mb = (k) => speed[k].map((x) => (x * heldBytes) / n / 1e6);
  const row = (label, threads, k) => `| ${label} | ${threads} | ${pair(k, speed[k])} | ${pair(k, mb(k), 1)} | ${pair(k, toWasm(k), 2)} |`;
  const table = [
    '| method | threads | items/s (c / d) | MB/s (c / d) | / raw-wasm dictionary loop (c / d) |',
    '|---|---|---|---|---|',
    row('native C per-item loop, `ZSTD_CDict` / `ZSTD_DDict`', 1, 'native'),
    row('raw wasm per-item loop, `ZSTD_CDict` / `ZSTD_DDict` (ceiling)', 1, 'wasm'),
    ...Object.entries(methods).map(([k, m]) => row(m.label, m.threads, k)),
  ].join('\n');
  const ratios = { native: toWasm('native') };
  for (const k of Object.keys(methods)) ratios[k] = toWasm(k);

  free(c);
  free(d);
  free(dict);
  return {
    table,
    trainTable,
    ratioTable,
    ratios,
    speed,
    train: Object.fromEntries(Object.entries(train).map(([k, r]) => [k, { ...r, medianMs: trainMedian(k) }])),
    ratio,
    heldOut: { first: TRAIN_DOCS, docs: n, bytes: heldBytes },
    trainSet: { docs: TRAIN_DOCS, bytes: trainBytes },
    dict: { path: dictPath, source: dictSource, bytes: dictBytes.length, dictId },
    canTrain,
    iterations: ITERATIONS,
    trainRuns,
    notes,
    errors,
  };
}
