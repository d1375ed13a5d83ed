// The demo's worker: a module Web Worker hosting zstd-kit (the threaded build when the page is
// cross-origin isolated). Every job of the page runs here; the page only draws. Protocol:
//   page -> worker  { id, job, args }   start a job     { cancel: id }   stop it
//   worker -> page  { ready: features } once loaded;  { id, progress }  while a job runs (<= 10/s);
//                   { id, result } | { id, error: { name, code, message } } | { id, cancelled, memory }
import * as zstd from '/zstd-kit/index.js';
import { inspect } from './inspect.js';

const cancelled = new Set();
const seekables = new Map(); // handle -> { blob, original }: seekable files made here

class Cancelled extends Error {}

const STEP = 256 << 10; // bytes handed to the compressor between two looks for a cancel

/** Throws Cancelled once the page has asked to stop job `id` (checked between chunks). */
function checkpoint(id) {
  if (cancelled.has(id)) throw new Cancelled();
}

// Reading a Blob resolves from data already read ahead, as microtasks: a loop over it may never
// let the page's messages (a cancel) in. Every 25 ms of work, a macrotask turn lets them in.
let lastBreath = 0;
async function breathe(id) {
  if (performance.now() - lastBreath >= 25) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    lastBreath = performance.now();
  }
  checkpoint(id);
}

/** Progress, at most every 100 ms (and always when `force`). */
function reporter(id) {
  let last = 0;
  return (progress, force = false) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    postMessage({ id, progress });
  };
}

// FNV-1a over the bytes, to check a round trip without keeping the input.
function fnv(hash, chunk) {
  let h = hash;
  for (let i = 0; i < chunk.length; i++) h = Math.imul(h ^ chunk[i], 16777619);
  return h >>> 0;
}

/** Output kept as Blob parts, folded into one Blob every 16 MiB so the browser may page it out. */
class BlobSink {
  parts = [];
  pending = 0;
  size = 0;
  push(chunk) {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.pending += chunk.length;
    this.size += chunk.length;
    if (this.pending >= 16 << 20) {
      this.parts = [new Blob(this.parts)];
      this.pending = 0;
    }
  }
  blob(type = 'application/octet-stream') {
    return new Blob(this.parts, { type });
  }
}

/** zstd-kit's count of the wasm memory it holds. */
function heldBytes() {
  return zstd.memory.totalAllocatedBytes();
}

/** Chunks of a Blob or a ReadableStream, stopping when the job is cancelled. */
async function* chunksOf(source, id) {
  const reader = (source instanceof ReadableStream ? source : source.stream()).getReader();
  try {
    for (;;) {
      await breathe(id);
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

// Reads a body to its end, keeping nothing. (untarZst is meant to skip a body left unread or
// cancelled, but then a later large body never ends: seen with issue 13's first version; reading
// every body through works.)
async function drain(body, id) {
  for await (const _ of chunksOf(body, id));
}

function dictionaryFrom(bytes) {
  return bytes ? new zstd.ZstdCompressionDict(new Uint8Array(bytes)) : undefined;
}

/** Streams `blob` through the decoder, counting and hashing what comes out. */
async function decodeBlob(id, blob, { dict, sink, phase, report }) {
  const t0 = performance.now();
  let consumed = 0;
  let produced = 0;
  let hash = 0x811c9dc5;
  const counted = new TransformStream({
    transform(chunk, controller) {
      checkpoint(id);
      consumed += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const reader = blob
    .stream()
    .pipeThrough(counted)
    .pipeThrough(new zstd.ZstdDecompressionStream(dict ? { dictData: dict } : {}))
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await breathe(id);
      produced += value.length;
      hash = fnv(hash, value);
      sink?.push(value);
      report({ phase, total: blob.size, consumed, produced, elapsed: performance.now() - t0 });
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  }
  report({ phase, total: blob.size, consumed, produced, elapsed: performance.now() - t0 }, true);
  return { consumed, produced, hash, ms: performance.now() - t0 };
}

const jobs = {
  /** Sample data (JSON log lines), made here so the page stays free. */
  sample(id, { lines = 60000, name = 'sample.jsonl' }) {
    const levels = ['info', 'warn', 'debug', 'error'];
    const out = [];
    for (let i = 0; i < lines; i++) {
      out.push(
        JSON.stringify({
          t: 1700000000 + i * 7,
          level: levels[i % 4],
          user: `u${(i * 7919) % 1000}`,
          msg: `request ${i % 97} served`,
          ms: (i * 31) % 250,
        }),
      );
    }
    return { file: new File([out.join('\n')], name, { type: 'application/x-ndjson' }) };
  },

  /**
   * Streaming compression of a File: progress is the compressor's own (frameProgression: bytes
   * consumed and produced); the result is verified by streaming it back through the decoder.
   */
  async compress(id, { file, level, threads, dict: dictBytes }) {
    const report = reporter(id);
    const dict = dictionaryFrom(dictBytes);
    // With threads, zstd cuts the input into jobs of 4 windows (32 MiB at level 19): one job, no
    // parallelism and no progress until the end for most files. 2 MiB jobs give both.
    const compressionParams =
      threads > 0
        ? new zstd.ZstdCompressionParameters({
            ...zstd.ZstdCompressionParameters.fromLevel(level, { sourceSize: file.size, dictSize: dictBytes?.byteLength ?? 0 }).toJSON(),
            jobSize: 2 << 20,
          })
        : undefined;
    const c = new zstd.ZstdCompressor({ level, compressionParams, threads, writeChecksum: true, dictData: dict });
    const sink = new BlobSink();
    const t0 = performance.now();
    let read = 0;
    let hash = 0x811c9dc5;
    let obj = null;
    try {
      obj = c.compressobj({ size: file.size });
      const progress = () => {
        const p = c.frameProgression();
        return {
          phase: 'compress',
          total: file.size,
          read,
          ingested: p.ingested,
          consumed: p.consumed,
          produced: p.produced,
          elapsed: performance.now() - t0,
        };
      };
      for await (const chunk of chunksOf(file, id)) {
        read += chunk.length;
        hash = fnv(hash, chunk);
        // 256 KiB at a time, so progress and cancel stay responsive at high levels.
        for (let at = 0; at < chunk.length; at += STEP) {
          sink.push(obj.compress(chunk.subarray(at, at + STEP)));
          report(progress());
          await breathe(id);
        }
      }
      sink.push(obj.flush(zstd.FLUSH_FRAME));
      report(progress(), true);
      const ms = performance.now() - t0;
      const zst = sink.blob('application/zstd');
      const back = await decodeBlob(id, zst, { dict, phase: 'verify', report });
      return {
        name: `${file.name}.zst`,
        blob: zst,
        original: file.size,
        compressed: zst.size,
        ms,
        verifyMs: back.ms,
        verified: back.produced === read && back.hash === hash,
        threads: c.threads,
        level,
        dictId: dict ? dict.dictId() : 0,
      };
    } finally {
      // The session has a context of its own: a cancelled one must go too (free() is idempotent).
      obj?.free();
      c.free();
      dict?.free();
    }
  },

  /** Streaming decompression of a .zst File (corrupt or truncated input: the decoder's error). */
  async decompress(id, { file, dict: dictBytes }) {
    const report = reporter(id);
    const dict = dictionaryFrom(dictBytes);
    const sink = new BlobSink();
    try {
      const r = await decodeBlob(id, file, { dict, sink, phase: 'decompress', report });
      const name = file.name.replace(/\.(zst|zstd|tzst)$/i, '') || 'decompressed';
      return { name: name === file.name ? `${name}.out` : name, blob: sink.blob(), compressed: file.size, original: r.produced, ms: r.ms };
    } finally {
      dict?.free();
    }
  },

  /**
   * A seekable .zst of `file` (zstd's seekable format: independent frames of frameSize bytes and a
   * seek table), streamed through ZstdSeekableCompressionStream in bounded memory.
   */
  async seekable(id, { file, level, frameSize }) {
    const report = reporter(id);
    const t0 = performance.now();
    let consumed = 0;
    const sink = new BlobSink();
    const counted = new TransformStream({
      transform(chunk, controller) {
        checkpoint(id);
        consumed += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const reader = file.stream().pipeThrough(counted).pipeThrough(new zstd.ZstdSeekableCompressionStream({ level, frameSize })).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await breathe(id);
        sink.push(value);
        report({ phase: 'seekable', total: file.size, consumed, produced: sink.size, elapsed: performance.now() - t0 });
      }
    } catch (e) {
      reader.cancel().catch(() => {});
      throw e;
    }
    const blob = sink.blob('application/zstd');
    seekables.clear(); // only the latest is kept
    seekables.set(id, { blob, original: file });
    return {
      handle: id,
      name: `${file.name}.seekable.zst`,
      blob,
      original: file.size,
      compressed: blob.size,
      ms: performance.now() - t0,
      frameSize,
    };
  },

  /**
   * Reads [offset, offset + length) of a seekable .zst (one made here, by its handle, or any File)
   * through openSeekable over a counting { size, read } source: the answer says how few bytes of
   * the file were touched. The bytes are checked against the original when it is known.
   */
  async range(id, { handle, file, offset, length }) {
    const known = handle !== undefined ? seekables.get(handle) : null;
    const blob = known ? known.blob : file;
    const touched = { reads: 0, bytes: 0 };
    const source = {
      size: blob.size,
      read: async (at, n) => {
        touched.reads++;
        touched.bytes += n;
        return new Uint8Array(await blob.slice(at, at + n).arrayBuffer());
      },
    };
    const t0 = performance.now();
    const r = await zstd.openSeekable(source);
    try {
      const opened = { ...touched };
      const t1 = performance.now();
      const bytes = await r.read(offset, length);
      const readMs = performance.now() - t1;
      let frames = 0;
      for (let i = 0; i < r.frameCount; i++) {
        const f = r.frame(i);
        if (f.decompressedOffset < offset + bytes.length && f.decompressedOffset + f.decompressedSize > offset) frames++;
      }
      let matches = null;
      if (known) {
        const want = new Uint8Array(await known.original.slice(offset, offset + bytes.length).arrayBuffer());
        matches = want.length === bytes.length && want.every((b, i) => b === bytes[i]);
      }
      return {
        size: r.size,
        compressedSize: r.compressedSize,
        frameCount: r.frameCount,
        offset,
        length: bytes.length,
        preview: bytes.slice(0, 256),
        frames,
        openMs: t1 - t0,
        readMs,
        tableBytes: opened.bytes,
        touchedBytes: touched.bytes,
        reads: touched.reads,
        matches,
      };
    } finally {
      await r.close();
    }
  },

  /**
   * A .tar.zst of `files` ({ name, file } each: name is the path inside the archive), streamed by
   * tarZst() in constant memory: each file is read as the archive is written. The bytes go to
   * `writable` (a file the person picked, written as they come) or into a Blob.
   */
  async tar(id, { files, level, threads, handle }) {
    const report = reporter(id);
    const t0 = performance.now();
    const total = files.reduce((n, f) => n + f.file.size, 0);
    let consumed = 0;
    let entries = 0;
    const entriesOf = async function* () {
      for (const { name, file } of files) {
        checkpoint(id);
        entries++;
        const counted = file.stream().pipeThrough(
          new TransformStream({
            transform(chunk, controller) {
              consumed += chunk.length;
              controller.enqueue(chunk);
            },
          }),
        );
        yield { name, stream: counted, size: file.size, mtime: file.lastModified };
      }
    };
    const sink = new BlobSink();
    const writable = handle ? await handle.createWritable() : null;
    const reader = zstd.tarZst(entriesOf(), { level, threads }).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await breathe(id);
        if (writable) {
          await writable.write(value);
          sink.size += value.length;
        } else {
          sink.push(value);
        }
        report({
          phase: `archiving (${entries} of ${files.length} files)`,
          total,
          consumed,
          produced: sink.size,
          elapsed: performance.now() - t0,
        });
      }
      await writable?.close();
    } catch (e) {
      reader.cancel().catch(() => {});
      await writable?.abort().catch(() => {});
      throw e;
    }
    return {
      files: files.length,
      original: total,
      compressed: sink.size,
      ms: performance.now() - t0,
      blob: writable ? null : sink.blob('application/zstd'),
      saved: !!writable,
    };
  },

  /** The entries of a .tar.zst (bodies skipped, never held). */
  async list(id, { file }) {
    const t0 = performance.now();
    const entries = [];
    let count = 0;
    let bytes = 0;
    for await (const e of zstd.untarZst(file.stream())) {
      checkpoint(id);
      count++;
      bytes += e.size;
      if (entries.length < 5000) entries.push({ name: e.name, type: e.type, size: e.size, mtime: e.mtime?.getTime?.() ?? 0 });
      await drain(e.body, id);
    }
    return { entries, count, bytes, ms: performance.now() - t0 };
  },

  /** One entry of a .tar.zst, by name: streamed out of the archive into a Blob. */
  async extract(id, { file, name }) {
    const t0 = performance.now();
    for await (const e of zstd.untarZst(file.stream())) {
      checkpoint(id);
      if (e.name !== name) {
        await drain(e.body, id);
        continue;
      }
      const sink = new BlobSink();
      for await (const chunk of chunksOf(e.body, id)) sink.push(chunk);
      return { name, blob: sink.blob(), size: sink.size, ms: performance.now() - t0 };
    }
    throw new Error(`no entry named "${name}" in the archive`);
  },

  /** Bytes the worker's zstd-kit holds in wasm memory now (null when the count cannot be right). */
  memory() {
    return { total: heldBytes() };
  },

  /** Frames, sizes, checksums, dictionary ids and seek table of a .zst, from its headers. */
  async inspect(id, { file }) {
    return inspect(zstd, file, () => checkpoint(id));
  },

  /** Level sweep, CompressionStream('gzip') and thread scaling, on a sample of the file. */
  async bench(id, { file, levels, sampleBytes = 1 << 20, threadBytes = 8 << 20 }) {
    const report = reporter(id);
    const sample = new Uint8Array(await file.slice(0, sampleBytes).arrayBuffer());
    const steps = levels.length + 1 + zstd.features.maxThreads + 1;
    let step = 0;
    // Repeats a run until it has taken 150 ms (once for slow ones), for steadier numbers.
    const timed = async (fn) => {
      let runs = 0;
      let out;
      const t0 = performance.now();
      do {
        out = await fn();
        runs++;
      } while (performance.now() - t0 < 150 && runs < 50);
      return { out, ms: (performance.now() - t0) / runs };
    };
    const sweep = [];
    for (const level of levels) {
      report({ phase: `level ${level}`, step: step++, steps }, true);
      const c = new zstd.ZstdCompressor({ level });
      try {
        const { out, ms } = await timed(() => c.compress(sample));
        sweep.push({ level, ratio: sample.length / out.length, mbps: sample.length / 1e6 / (ms / 1000), ms });
      } finally {
        c.free();
      }
      checkpoint(id);
    }
    report({ phase: 'gzip', step: step++, steps }, true);
    const gz = await timed(
      async () => new Uint8Array(await new Response(new Blob([sample]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()),
    );
    const gzip = { ratio: sample.length / gz.out.length, mbps: sample.length / 1e6 / (gz.ms / 1000), ms: gz.ms };
    checkpoint(id);
    // Thread scaling at level 3 on a larger sample, cut into 512 KiB jobs so there are several.
    const big = new Uint8Array(await file.slice(0, threadBytes).arrayBuffer());
    const scaling = [];
    for (let t = 0; t <= zstd.features.maxThreads; t++) {
      report({ phase: `threads ${t}`, step: step++, steps }, true);
      const params = new zstd.ZstdCompressionParameters({
        ...zstd.ZstdCompressionParameters.fromLevel(3, { sourceSize: big.length }).toJSON(),
        jobSize: 512 << 10,
      });
      const c = new zstd.ZstdCompressor({ compressionParams: params, threads: t });
      try {
        const { out, ms } = await timed(() => c.compress(big));
        scaling.push({ threads: t, mbps: big.length / 1e6 / (ms / 1000), ratio: big.length / out.length, ms });
      } finally {
        c.free();
      }
      checkpoint(id);
    }
    return { sampleBytes: sample.length, threadBytes: big.length, sweep, gzip, scaling, threadsBuild: zstd.features.threads };
  },

  /**
   * Dictionary training: four in five documents train it, the fifth measure it, per size bucket.
   * trainDictionary is one synchronous call: the page cancels it by ending this worker.
   */
  async train(id, { files, sample, dictSize, level }) {
    const report = reporter(id);
    report({ phase: 'reading documents' }, true);
    const docs = sample ? sampleDocs() : await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
    checkpoint(id);
    const training = docs.filter((_, i) => i % 5 !== 4);
    const heldOut = docs.filter((_, i) => i % 5 === 4);
    report({ phase: `training on ${training.length} documents` }, true);
    const t0 = performance.now();
    const dict = zstd.trainDictionary(dictSize, training, { level });
    const trainMs = performance.now() - t0;
    const plain = new zstd.ZstdCompressor({ level });
    const withDict = new zstd.ZstdCompressor({ level, dictData: dict.precompute({ level }) });
    const d = new zstd.ZstdDecompressor({ dictData: dict });
    try {
      const buckets = [
        { label: '< 256 B', max: 256 },
        { label: '256 B – 1 KiB', max: 1024 },
        { label: '1 – 4 KiB', max: 4096 },
        { label: '≥ 4 KiB', max: Infinity },
      ].map((b) => ({ ...b, docs: 0, bytes: 0, plain: 0, dict: 0 }));
      const total = { docs: 0, bytes: 0, plain: 0, dict: 0 };
      for (const doc of heldOut) {
        const a = plain.compress(doc).length;
        const frame = withDict.compress(doc);
        const back = d.decompress(frame);
        if (back.length !== doc.length || back.some((x, i) => x !== doc[i])) throw new Error('a document did not round-trip');
        for (const into of [buckets.find((b) => doc.length < b.max), total]) {
          into.docs++;
          into.bytes += doc.length;
          into.plain += a;
          into.dict += frame.length;
        }
      }
      const bytes = dict.asBytes();
      return {
        dict: bytes,
        dictId: dict.dictId(),
        dictSize: bytes.length,
        trainMs,
        training: training.length,
        heldOut: heldOut.length,
        total,
        buckets: buckets.filter((b) => b.docs > 0).map(({ max: _max, ...b }) => b),
      };
    } finally {
      for (const o of [plain, withDict, d, dict]) o.free();
    }
  },
};

// Sample documents: JSON records of a made-up service, varied but alike, as real ones are.
function sampleDocs() {
  const plans = ['free', 'team', 'business', 'enterprise'];
  const cities = ['Lisbon', 'Osaka', 'Quito', 'Tallinn', 'Accra', 'Perth', 'Lyon'];
  const docs = [];
  const enc = new TextEncoder();
  for (let i = 0; i < 3000; i++) {
    const doc = {
      id: `cus_${((i * 2654435761) >>> 0).toString(36)}`,
      created: new Date(1700000000000 + (i * 86400000) / 7).toISOString(),
      plan: plans[(i * 7) % 4],
      address: { city: cities[i % 7], postcode: String(10000 + ((i * 7919) % 89999)) },
      seats: 1 + ((i * 31) % 200),
      active: i % 9 !== 0,
      invoices: Array.from({ length: 1 + (i % 4) * (i % 11 === 0 ? 12 : 1) }, (_, k) => ({
        number: `INV-${i}-${k}`,
        amount: ((i * 13 + k * 101) % 10000) / 100,
        currency: 'EUR',
        paid: (i + k) % 5 !== 0,
      })),
    };
    docs.push(enc.encode(JSON.stringify(doc)));
  }
  return docs;
}

onmessage = async ({ data }) => {
  if (data.cancel !== undefined) {
    cancelled.add(data.cancel);
    return;
  }
  const { id, job, args } = data;
  try {
    const run = jobs[job];
    if (!run) throw new TypeError(`unknown job '${job}'`);
    await ready;
    const result = await run(id, args ?? {});
    postMessage({ id, result });
  } catch (e) {
    if (e instanceof Cancelled) postMessage({ id, cancelled: true, memory: heldBytes() });
    else postMessage({ id, error: { name: e.name, code: e.code, message: e.message } });
  } finally {
    cancelled.delete(id);
  }
};

const ready = zstd.init();
ready.then(
  () => postMessage({ ready: { ...zstd.features, isolated: self.crossOriginIsolated } }),
  (e) => postMessage({ failed: { name: e.name, message: e.message } }),
);
