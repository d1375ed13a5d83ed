// What the dictionary test files share (tests/js/dictionary*.test.cjs): samples, helpers, the
// paths that take dictData, and setup(): two trained dictionaries and their files.
const fs = require('node:fs');
const path = require('node:path');
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const zstd = require('zstd-kit');
const zstdNode = require('zstd-kit/node');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, concat, collect, caught, caughtSync } = require('../helpers.cjs');
const { execFileSync, spawnSync } = require('node:child_process');

// Jest's node environment shares Node's web globals with the sandbox (see tests/js/stream/common.cjs).
const Blob = globalThis.Blob ?? require('node:buffer').Blob;

const mem = () => zstd.memory.totalAllocatedBytes();
const DICT_MAGIC = [0x37, 0xa4, 0x30, 0xec]; // 0xEC30A437, little-endian

/** A short description of an error for expect(): its class, code and message. */
const describeError = (e) => (e === null ? 'no error' : { name: e.name, code: e.code, message: String(e.message).slice(0, 300) });
const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });

/** JSON records sharing structure: what a dictionary is for. */
function makeSamples(count, seed = 0) {
  const roles = ['admin', 'editor', 'viewer', 'guest'];
  const tags = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const out = [];
  for (let i = 0; i < count; i++) {
    const j = i + seed * 7919;
    out.push(
      Buffer.from(
        JSON.stringify({
          id: j,
          user: `user-${j % 97}`,
          email: `user${j % 97}@example.com`,
          role: roles[j % 4],
          tags: tags.slice(0, (j % 5) + 1),
          created: `2023-${String((j % 12) + 1).padStart(2, '0')}-${String((j % 28) + 1).padStart(2, '0')}T12:34:56Z`,
          note: 'the quick brown fox jumps over the lazy dog '.repeat((j % 3) + 1),
        }),
      ),
    );
  }
  return out;
}

const readU32 = (bytes, at) => new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(at, true);

/** A copy of a dictionary's bytes with another dictionary id written into its header. */
function withDictId(bytes, id) {
  const out = Uint8Array.from(bytes);
  new DataView(out.buffer).setUint32(4, id, true);
  return out;
}

/** Frame header size per the format spec, from the frame header descriptor. */
function specHeaderSize(frame) {
  const fhd = frame[4];
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictFlag = fhd & 3;
  return 4 + 1 + (single ? 0 : 1) + [0, 1, 2, 4][dictFlag] + [single ? 1 : 0, 2, 4, 8][fcsFlag];
}

/** The dictionary id field of a frame header, read per the format spec. */
function specDictId(frame) {
  const fhd = frame[4];
  const n = [0, 1, 2, 4][fhd & 3];
  const at = 5 + ((fhd >> 5) & 1 ? 0 : 1);
  let id = 0;
  for (let i = n - 1; i >= 0; i--) id = id * 256 + frame[at + i];
  return { bytes: n, id };
}

function collectionBytes(collection) {
  const out = [...collection].map((s) => {
    const bytes = s.toBytes();
    s.free();
    return bytes;
  });
  collection.free();
  return out;
}

function syncSink() {
  const s = { chunks: [], write: (u) => void s.chunks.push(Uint8Array.from(u)), close: () => {} };
  return s;
}

function nodeSink() {
  const s = { chunks: [] };
  s.stream = new Writable({
    write(chunk, _encoding, callback) {
      s.chunks.push(chunk);
      callback();
    },
  });
  return s;
}

/** compress() with a compressor of its own, freed at once. */
function compressOnce(options, data) {
  const c = new zstd.ZstdCompressor(options);
  try {
    return c.compress(data);
  } finally {
    c.free();
  }
}

/** decompress() with a decompressor of its own, freed at once. */
function decompressOnce(options, frame, decodeOptions = undefined) {
  const d = new zstd.ZstdDecompressor(options);
  try {
    return d.decompress(frame, decodeOptions);
  } finally {
    d.free();
  }
}

/** Runs fn with a compressor made from options, freed afterwards. */
async function withCompressor(options, fn) {
  const c = new zstd.ZstdCompressor(options);
  try {
    return await fn(c);
  } finally {
    c.free();
  }
}

async function withDecompressor(options, fn) {
  const d = new zstd.ZstdDecompressor(options);
  try {
    return await fn(d);
  } finally {
    d.free();
  }
}

// Every compressing path, with the compressor options (dictData among them): the frames it makes.
const COMPRESS_PATHS = {
  compress: (o, x) => withCompressor(o, (c) => [c.compress(x)]),
  compressToBuffer: (o, x) =>
    withCompressor(o, (c) => {
      const b = c.compressToBuffer(x);
      try {
        return [b.toBytes()];
      } finally {
        b.free();
      }
    }),
  multiCompressToBuffer: (o, x) => withCompressor(o, (c) => collectionBytes(c.multiCompressToBuffer([x, x.subarray(7)]))),
  'multiCompressToBuffer threads 2': (o, x) =>
    withCompressor(o, (c) => collectionBytes(c.multiCompressToBuffer([x, x.subarray(7), x.subarray(100)], { threads: 2 }))),
  multiCompressToBufferAsync: (o, x) =>
    withCompressor(o, async (c) => collectionBytes(await c.multiCompressToBufferAsync([x, x.subarray(7)], { threads: 2 }))),
  compressobj: (o, x) =>
    withCompressor(o, (c) => {
      const obj = c.compressobj();
      return [concat([obj.compress(x.subarray(0, 1000)), obj.compress(x.subarray(1000)), obj.flush()])];
    }),
  'compressobj with size': (o, x) =>
    withCompressor(o, (c) => {
      const obj = c.compressobj({ size: x.length });
      return [concat([obj.compress(x), obj.flush(zstd.FLUSH_FRAME)])];
    }),
  chunker: (o, x) =>
    withCompressor(o, (c) => {
      const ch = c.chunker({ chunkSize: 100 });
      return [concat([...ch.compress(x), ...ch.finish()])];
    }),
  readToIter: (o, x) => withCompressor(o, async (c) => [concat(await collect(c.readToIter(x, { readSize: 777 })))]),
  streamWriter: (o, x) =>
    withCompressor(o, async (c) => {
      const sink = syncSink();
      const w = c.streamWriter(sink);
      w.write(x.subarray(0, 500));
      w.write(x.subarray(500));
      await w.close();
      return [concat(sink.chunks)];
    }),
  copyStream: (o, x) =>
    withCompressor(o, async (c) => {
      const sink = syncSink();
      await c.copyStream(Readable.from([x.subarray(0, 300), x.subarray(300)]), sink);
      return [concat(sink.chunks)];
    }),
  ZstdCompressionStream: async (o, x) => [concat(await collect(new Blob([x]).stream().pipeThrough(new zstd.ZstdCompressionStream(o))))],
  createZstdCompress: async (o, x) => {
    const sink = nodeSink();
    await pipeline(Readable.from([x]), zstdNode.createZstdCompress(o), sink.stream);
    return [concat(sink.chunks)];
  },
};

// Every decompressing path, with the decompressor options: what `frames` decode to (one result per frame).
const DECOMPRESS_PATHS = {
  decompress: (o, frames) => withDecompressor(o, (d) => frames.map((f) => d.decompress(f, { maxOutputSize: 1 << 20 }))),
  decompressToBuffer: (o, frames) =>
    withDecompressor(o, (d) =>
      frames.map((f) => {
        const b = d.decompressToBuffer(f, { maxOutputSize: 1 << 20 });
        try {
          return b.toBytes();
        } finally {
          b.free();
        }
      }),
    ),
  multiDecompressToBuffer: (o, frames) => withDecompressor(o, (d) => collectionBytes(d.multiDecompressToBuffer(frames))),
  'multiDecompressToBuffer threads 2': (o, frames) =>
    withDecompressor(o, (d) => collectionBytes(d.multiDecompressToBuffer(frames, { threads: 2 }))),
  multiDecompressToBufferAsync: (o, frames) =>
    withDecompressor(o, async (d) => collectionBytes(await d.multiDecompressToBufferAsync(frames, { threads: 2 }))),
  decompressobj: (o, frames) =>
    withDecompressor(o, (d) =>
      frames.map((f) => {
        const obj = d.decompressobj();
        try {
          return concat([obj.decompress(f.subarray(0, 5)), obj.decompress(f.subarray(5)), obj.flush()]);
        } finally {
          obj.free(); // after an error, free() releases the memory
        }
      }),
    ),
  readToIter: (o, frames) =>
    withDecompressor(o, async (d) => {
      const out = [];
      for (const f of frames) out.push(concat(await collect(d.readToIter(f, { readSize: 100 }))));
      return out;
    }),
  streamWriter: (o, frames) =>
    withDecompressor(o, async (d) => {
      const out = [];
      for (const f of frames) {
        const sink = syncSink();
        const w = d.streamWriter(sink);
        try {
          w.write(f);
          await w.close();
        } finally {
          w.free(); // after an error, free() releases the memory
        }
        out.push(concat(sink.chunks));
      }
      return out;
    }),
  copyStream: (o, frames) =>
    withDecompressor(o, async (d) => {
      const out = [];
      for (const f of frames) {
        const sink = syncSink();
        await d.copyStream(f, sink);
        out.push(concat(sink.chunks));
      }
      return out;
    }),
  ZstdDecompressionStream: async (o, frames) => {
    const out = [];
    for (const f of frames) out.push(concat(await collect(new Blob([f]).stream().pipeThrough(new zstd.ZstdDecompressionStream(o)))));
    return out;
  },
  createZstdDecompress: async (o, frames) => {
    const out = [];
    for (const f of frames) {
      const sink = nodeSink();
      await pipeline(Readable.from([f]), zstdNode.createZstdDecompress(o), sink.stream);
      out.push(concat(sink.chunks));
    }
    return out;
  },
};

/**
 * Registers the fixtures of a dictionary test file; its fields are set once beforeAll has run:
 * baseline (memory before any dictionary), samples, dict and otherDict (trained, ids 424242 and
 * 515151) and their files dictFile / otherDictFile in dir, and input (records neither saw).
 */
function setup() {
  const f = {};

  beforeAll(async () => {
    await zstd.init();
    f.baseline = mem();
    f.samples = makeSamples(1000);
    f.dict = zstd.trainDictionary(8192, f.samples, { k: 64, d: 8, dictId: 424242 });
    f.otherDict = zstd.trainDictionary(8192, makeSamples(1000, 3), { k: 64, d: 8, dictId: 515151 });
    f.dir = tmpDir();
    f.dictFile = path.join(f.dir, 'dict');
    f.otherDictFile = path.join(f.dir, 'other-dict');
    fs.writeFileSync(f.dictFile, f.dict.asBytes());
    fs.writeFileSync(f.otherDictFile, f.otherDict.asBytes());
    // Records the dictionary was not trained on.
    f.input = concat(makeSamples(12, 50));
    // The shared dictionaries' digests (a CDict for the default level, a DDict) are made here, so
    // tests that check memory around their own objects do not count them.
    for (const dd of [f.dict, f.otherDict]) {
      dd.precompute({ level: 3 });
      decompressOnce({ dictData: dd }, compressOnce({ dictData: dd }, f.input));
    }
  });

  afterAll(() => {
    fs.rmSync(f.dir, { recursive: true, force: true });
  });
  return f;
}

module.exports = {
  Blob,
  COMPRESS_PATHS,
  DECOMPRESS_PATHS,
  DICT_MAGIC,
  Readable,
  Writable,
  caught,
  caughtSync,
  collect,
  collectionBytes,
  compressOnce,
  concat,
  decompressOnce,
  describeError,
  execFileSync,
  expectSameBytes,
  isZstdError,
  makeSamples,
  mem,
  nodeSink,
  pipeline,
  randomData,
  readU32,
  spawnSync,
  specDictId,
  specHeaderSize,
  syncSink,
  textData,
  tmpDir,
  withCompressor,
  withDecompressor,
  withDictId,
  zstd,
  zstdCli,
  zstdNode,
  setup,
};
