// What the streaming suites share (one file per API in this folder, run against one build by
// tests/js/stream.test.cjs (threaded) and stream-st.test.cjs (single-threaded)): data, frames,
// sources and sinks of every kind, and fixtures(): the compressor, decompressor and baseline.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const zstd = require('zstd-kit');
const zstdNode = require('zstd-kit/node');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, concat, collect, caught, caughtSync } = require('../helpers.cjs');

// Jest 29's node environment copies Node's globals (ReadableStream, WritableStream,
// TransformStream, Blob, Response) into the sandbox, so the library (which captures
// globalThis.TransformStream when it is imported) and these tests share one set of classes.
// Should a runner lack them, they come from the Node modules where they live.
const web = require('node:stream/web');
const ReadableStream = globalThis.ReadableStream ?? web.ReadableStream;
const WritableStream = globalThis.WritableStream ?? web.WritableStream;
const TransformStream = globalThis.TransformStream ?? web.TransformStream;
const Blob = globalThis.Blob ?? require('node:buffer').Blob;

const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });
const mem = () => zstd.memory.totalAllocatedBytes();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `bytes` cut into pieces whose sizes cycle through `sizes` (zero-length pieces included). */
function split(bytes, sizes) {
  const pieces = [];
  for (let at = 0, i = 0; at < bytes.length || (i === 0 && bytes.length === 0); i++) {
    const n = sizes[i % sizes.length];
    pieces.push(bytes.subarray(at, at + n));
    at += n;
    if (bytes.length === 0) break;
  }
  return pieces;
}

/** A frame from a compressor of its own, freed at once (the test's compressor stays as it was). */
function frameOf(data, options = {}) {
  const cc = new zstd.ZstdCompressor(options);
  try {
    return cc.compress(data);
  } finally {
    cc.free();
  }
}

/** Decodes every frame of `bytes` one-shot, with a decompressor of its own (freed at once). */
function expectDecodes(bytes, expected) {
  const dd = new zstd.ZstdDecompressor();
  try {
    expectSameBytes(dd.decompress(bytes, { readAcrossFrames: true, maxOutputSize: Math.max(1, expected.length) }), expected);
  } finally {
    dd.free();
  }
}

/** Every frame of `bytes`, decoded one-shot by a decompressor of its own. */
function decodeAll(bytes, maxOutputSize = 1 << 16) {
  const dd = new zstd.ZstdDecompressor();
  try {
    return dd.decompress(bytes, { readAcrossFrames: true, maxOutputSize });
  } finally {
    dd.free();
  }
}
const decodeText = (bytes) => Buffer.from(decodeAll(bytes)).toString();

/** A skippable frame (magic 0x184D2A5x) holding `n` bytes. */
function skippable(n, nibble = 0) {
  const out = new Uint8Array(8 + n).fill(0xab);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x184d2a50 + nibble, true);
  view.setUint32(4, n, true);
  return out;
}

// Sinks that record what they are given and how.
function syncSink() {
  const s = { chunks: [], closed: 0, write: (u) => void s.chunks.push(u), close: () => void s.closed++ };
  return s;
}

/** An async object sink with uneven delays: records concurrency and order. */
function slowSink({ delays = [2, 0, 5, 1, 3], failAt = -1 } = {}) {
  const s = {
    chunks: [],
    started: 0,
    settled: 0,
    inFlight: 0,
    maxInFlight: 0,
    closed: 0,
    closedWhileBusy: false,
    async write(u) {
      const i = s.started++;
      s.inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
      await sleep(delays[i % delays.length]);
      s.inFlight--;
      if (i === failAt) throw new Error('the sink failed');
      s.chunks.push(u);
      s.settled++;
    },
    async close() {
      if (s.inFlight > 0) s.closedWhileBusy = true;
      await sleep(1);
      s.closed++;
    },
  };
  return s;
}

function webSink({ delay = 0 } = {}) {
  const s = { chunks: [], closed: false, aborted: null };
  s.stream = new WritableStream({
    async write(chunk) {
      if (delay) await sleep(delay);
      s.chunks.push(chunk);
    },
    close() {
      s.closed = true;
    },
    abort(reason) {
      s.aborted = reason;
    },
  });
  return s;
}

/** A Node Writable whose write() calls are watched: none may come while it asks for 'drain'. */
function nodeSink({ highWaterMark = 16384, delay = 0 } = {}) {
  const s = { chunks: [], violations: 0, maxBuffered: 0, error: null, finished: false };
  s.stream = new Writable({
    highWaterMark,
    write(chunk, _encoding, callback) {
      s.chunks.push(chunk);
      if (delay) setTimeout(callback, delay);
      else callback();
    },
  });
  const write = s.stream.write.bind(s.stream);
  s.stream.write = (chunk, ...rest) => {
    if (s.stream.writableNeedDrain) s.violations++;
    s.maxBuffered = Math.max(s.maxBuffered, s.stream.writableLength);
    return write(chunk, ...rest);
  };
  s.stream.on('error', (e) => (s.error = e));
  s.stream.on('finish', () => (s.finished = true));
  return s;
}

/**
 * Registers the fixtures of a streaming suite run: data and sources at once; c (level 3), d, the
 * frames mixedFrame and textFrame once beforeAll has run; baseline before each test.
 */
function fixtures(initOptions) {
  const f = {};
  const threaded = initOptions.threads !== false;
  const text = textData(3 << 20, 21);
  const rnd = randomData(1 << 20, 22);
  const mixed = concat([textData(600000, 23), randomData(300000, 24), textData(400000, 25), randomData(50000, 26)]);

  // Every kind of source over the same bytes; make() returns { source, release() }.
  const sourceKinds = [
    ['Uint8Array', (x) => x],
    ['Buffer', (x) => Buffer.from(x)],
    ['ArrayBuffer', (x) => x.slice().buffer],
    [
      'SharedArrayBuffer',
      (x) => {
        const sab = new SharedArrayBuffer(x.length);
        new Uint8Array(sab).set(x);
        return sab;
      },
    ],
    ['DataView', (x) => new DataView(x.slice().buffer)],
    [
      'WasmBuffer',
      (x) => {
        const b = zstd.allocBuffer(x.length);
        b.view().set(x);
        return b;
      },
    ],
    [
      'ReadableStream',
      (x) =>
        new ReadableStream({
          start(controller) {
            for (const piece of split(x, [100000, 1, 65536, 3])) controller.enqueue(piece);
            controller.close();
          },
        }),
    ],
    ['Blob.stream()', (x) => new Blob([x]).stream()],
    ['Node Readable (Readable.from)', (x) => Readable.from(split(x, [70000, 5]))],
    [
      'Node Readable (byte mode)',
      (x) => {
        const r = new Readable({ read() {} });
        for (const piece of split(x, [50000, 20000])) r.push(piece);
        r.push(null);
        return r;
      },
    ],
    [
      'sync iterable (array of mixed chunk types)',
      (x) =>
        split(x, [4096, 30000, 2, 200000]).map((p, i) => {
          const own = p.slice();
          return [own, Buffer.from(own), own.buffer, new DataView(own.buffer), own.length % 2 ? own : new Uint16Array(own.buffer)][i % 5];
        }),
    ],
    [
      'sync generator',
      (x) =>
        (function* () {
          yield* split(x, [12345, 54321]);
        })(),
    ],
    [
      'async generator',
      (x) =>
        (async function* () {
          for (const piece of split(x, [131072, 7, 99999])) {
            await sleep(0);
            yield piece;
          }
        })(),
    ],
  ];
  const release = (source) => {
    if (typeof source?.free === 'function') source.free();
  };

  // Objects a failing test could not free: kept reachable, so that the garbage collector does
  // not free them during a later test and skew that test's memory accounting.
  const keepAlive = [];

  beforeAll(async () => {
    await zstd.init(initOptions);
    expect(zstd.features.threads).toBe(threaded);
    f.c = new zstd.ZstdCompressor({ level: 3 });
    f.d = new zstd.ZstdDecompressor();
    f.mixedFrame = frameOf(mixed);
    f.textFrame = frameOf(text, { writeChecksum: true });
    // Small-input scratches of c and d, made on first use, are part of the baseline.
    f.d.decompress(f.c.compress('warm up'));
  });

  // Each test must leave wasm memory as it found it (one test's leak fails that test only).
  beforeEach(() => {
    f.baseline = mem();
  });

  afterAll(() => {
    f.c.free();
    f.d.free();
  });
  Object.assign(f, { threaded, text, rnd, mixed, sourceKinds, release, keepAlive });
  return f;
}

module.exports = {
  Blob,
  Readable,
  ReadableStream,
  TransformStream,
  Writable,
  WritableStream,
  caught,
  caughtSync,
  collect,
  concat,
  decodeAll,
  decodeText,
  execFileSync,
  expectDecodes,
  expectSameBytes,
  frameOf,
  fs,
  isZstdError,
  mem,
  nodeSink,
  path,
  pipeline,
  randomData,
  skippable,
  sleep,
  slowSink,
  spawnSync,
  split,
  syncSink,
  textData,
  tmpDir,
  web,
  webSink,
  zstd,
  zstdCli,
  zstdNode,
  fixtures,
};
