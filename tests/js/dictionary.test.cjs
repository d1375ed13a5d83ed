// Dictionaries: ZstdCompressionDict, trainDictionary(), the dictData option on every compressing and
// decompressing path, interop with `zstd --train` / `zstd -D`, dictionary ids in frame headers,
// raw-content dictionaries and content-dictionary chains, precompute(), lifetime and memory.
const fs = require('node:fs');
const path = require('node:path');
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const zstd = require('zstd-kit');
const zstdNode = require('zstd-kit/node');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, concat, collect, caught, caughtSync } = require('./helpers.cjs');
const { execFileSync, spawnSync } = require('node:child_process');

// Jest's node environment shares Node's web globals with the sandbox (see stream.suite.cjs).
const Blob = globalThis.Blob ?? require('node:buffer').Blob;

const mem = () => zstd.memory.totalAllocatedBytes();
const DICT_MAGIC = [0x37, 0xa4, 0x30, 0xec];  // 0xEC30A437, little-endian

/** One Uint8Array from many parts. */

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
    out.push(Buffer.from(JSON.stringify({
      id: j,
      user: `user-${j % 97}`,
      email: `user${j % 97}@example.com`,
      role: roles[j % 4],
      tags: tags.slice(0, (j % 5) + 1),
      created: `2023-${String((j % 12) + 1).padStart(2, '0')}-${String((j % 28) + 1).padStart(2, '0')}T12:34:56Z`,
      note: 'the quick brown fox jumps over the lazy dog '.repeat((j % 3) + 1),
    })));
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
  const at = 5 + (((fhd >> 5) & 1) ? 0 : 1);
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
  compressToBuffer: (o, x) => withCompressor(o, (c) => {
    const b = c.compressToBuffer(x);
    try {
      return [b.toBytes()];
    } finally {
      b.free();
    }
  }),
  multiCompressToBuffer: (o, x) => withCompressor(o, (c) => collectionBytes(c.multiCompressToBuffer([x, x.subarray(7)]))),
  'multiCompressToBuffer threads 2': (o, x) => withCompressor(o, (c) => collectionBytes(c.multiCompressToBuffer([x, x.subarray(7), x.subarray(100)], { threads: 2 }))),
  multiCompressToBufferAsync: (o, x) => withCompressor(o, async (c) => collectionBytes(await c.multiCompressToBufferAsync([x, x.subarray(7)], { threads: 2 }))),
  compressobj: (o, x) => withCompressor(o, (c) => {
    const obj = c.compressobj();
    return [concat([obj.compress(x.subarray(0, 1000)), obj.compress(x.subarray(1000)), obj.flush()])];
  }),
  'compressobj with size': (o, x) => withCompressor(o, (c) => {
    const obj = c.compressobj({ size: x.length });
    return [concat([obj.compress(x), obj.flush(zstd.FLUSH_FRAME)])];
  }),
  chunker: (o, x) => withCompressor(o, (c) => {
    const ch = c.chunker({ chunkSize: 100 });
    return [concat([...ch.compress(x), ...ch.finish()])];
  }),
  readToIter: (o, x) => withCompressor(o, async (c) => [concat(await collect(c.readToIter(x, { readSize: 777 })))]),
  streamWriter: (o, x) => withCompressor(o, async (c) => {
    const sink = syncSink();
    const w = c.streamWriter(sink);
    w.write(x.subarray(0, 500));
    w.write(x.subarray(500));
    await w.close();
    return [concat(sink.chunks)];
  }),
  copyStream: (o, x) => withCompressor(o, async (c) => {
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
  decompressToBuffer: (o, frames) => withDecompressor(o, (d) => frames.map((f) => {
    const b = d.decompressToBuffer(f, { maxOutputSize: 1 << 20 });
    try {
      return b.toBytes();
    } finally {
      b.free();
    }
  })),
  multiDecompressToBuffer: (o, frames) => withDecompressor(o, (d) => collectionBytes(d.multiDecompressToBuffer(frames))),
  'multiDecompressToBuffer threads 2': (o, frames) => withDecompressor(o, (d) => collectionBytes(d.multiDecompressToBuffer(frames, { threads: 2 }))),
  multiDecompressToBufferAsync: (o, frames) => withDecompressor(o, async (d) => collectionBytes(await d.multiDecompressToBufferAsync(frames, { threads: 2 }))),
  decompressobj: (o, frames) => withDecompressor(o, (d) => frames.map((f) => {
    const obj = d.decompressobj();
    try {
      return concat([obj.decompress(f.subarray(0, 5)), obj.decompress(f.subarray(5)), obj.flush()]);
    } finally {
      obj.free();  // after an error, free() releases the memory
    }
  })),
  readToIter: (o, frames) => withDecompressor(o, async (d) => {
    const out = [];
    for (const f of frames) out.push(concat(await collect(d.readToIter(f, { readSize: 100 }))));
    return out;
  }),
  streamWriter: (o, frames) => withDecompressor(o, async (d) => {
    const out = [];
    for (const f of frames) {
      const sink = syncSink();
      const w = d.streamWriter(sink);
      try {
        w.write(f);
        await w.close();
      } finally {
        w.free();  // after an error, free() releases the memory
      }
      out.push(concat(sink.chunks));
    }
    return out;
  }),
  copyStream: (o, frames) => withDecompressor(o, async (d) => {
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

let baseline, samples, dict, otherDict, dir, dictFile, otherDictFile, input;

beforeAll(async () => {
  await zstd.init();
  baseline = mem();
  samples = makeSamples(1000);
  dict = zstd.trainDictionary(8192, samples, { k: 64, d: 8, dictId: 424242 });
  otherDict = zstd.trainDictionary(8192, makeSamples(1000, 3), { k: 64, d: 8, dictId: 515151 });
  dir = tmpDir();
  dictFile = path.join(dir, 'dict');
  otherDictFile = path.join(dir, 'other-dict');
  fs.writeFileSync(dictFile, dict.asBytes());
  fs.writeFileSync(otherDictFile, otherDict.asBytes());
  // Records the dictionary was not trained on.
  input = concat(makeSamples(12, 50));
  // The shared dictionaries' digests (a CDict for the default level, a DDict) are made here, so
  // tests that check memory around their own objects do not count them.
  for (const dd of [dict, otherDict]) {
    dd.precompute({ level: 3 });
    decompressOnce({ dictData: dd }, compressOnce({ dictData: dd }, input));
  }
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ZstdCompressionDict', () => {
  test('a trained dictionary: id, length, header, asBytes() a copy that builds the same dictionary', () => {
    expect(dict).toBeInstanceOf(zstd.ZstdCompressionDict);
    expect(dict.dictId()).toBe(424242);
    expect(dict.length).toBeGreaterThan(256);
    expect(dict.length).toBeLessThanOrEqual(8192);
    const bytes = dict.asBytes();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(dict.length);
    expect([...bytes.subarray(0, 4)]).toEqual(DICT_MAGIC);
    expect(readU32(bytes, 4)).toBe(424242);
    // A copy: changing it changes nothing.
    bytes.fill(0);
    expect([...dict.asBytes().subarray(0, 4)]).toEqual(DICT_MAGIC);
    expect(dict.asBytes()).not.toBe(dict.asBytes());

    const frame = compressOnce({ dictData: dict }, input);
    for (const dictType of [undefined, 'auto', 'fullDict']) {
      const again = new zstd.ZstdCompressionDict(dict.asBytes(), dictType === undefined ? undefined : { dictType });
      expect(again.dictId()).toBe(424242);
      expect(again.length).toBe(dict.length);
      expectSameBytes(compressOnce({ dictData: again }, input), frame);
      expectSameBytes(decompressOnce({ dictData: again }, frame), input);
      again.free();
    }
  });

  test('data of every input type; rawContent and auto on non-dictionary bytes have id 0', () => {
    const content = textData(5000, 4);
    const kinds = [content, Buffer.from(content), content.slice().buffer, new DataView(content.slice().buffer)];
    for (const data of kinds) {
      for (const dictType of ['auto', 'rawContent']) {
        const d = new zstd.ZstdCompressionDict(data, { dictType });
        expect(d.dictId()).toBe(0);
        expect(d.length).toBe(5000);
        expectSameBytes(d.asBytes(), content);
        d.free();
      }
    }
    const fromString = new zstd.ZstdCompressionDict('some dictionary content as a string');
    expectSameBytes(fromString.asBytes(), Buffer.from('some dictionary content as a string'));
    expect(fromString.dictId()).toBe(0);
    fromString.free();
    // A full dictionary's bytes as raw content: id 0 (its header is just content then).
    const raw = new zstd.ZstdCompressionDict(dict.asBytes(), { dictType: 'rawContent' });
    expect(raw.dictId()).toBe(0);
    const frame = compressOnce({ dictData: raw }, input);
    expect(zstd.getFrameParameters(frame).dictId).toBe(0);
    expectSameBytes(decompressOnce({ dictData: raw }, frame), input);
    raw.free();
  });

  test('errors: fullDict on non-dictionary bytes, bad dictType, bad data, bad options; nothing left allocated', () => {
    const before = mem();
    for (const bytes of [textData(5000, 4), Uint8Array.from([...DICT_MAGIC, 1, 2, 3, 4, 5, 6, 7, 8]), dict.asBytes().subarray(0, 100)]) {
      const e = caughtSync(() => new zstd.ZstdCompressionDict(bytes, { dictType: 'fullDict' }));
      expect(describeError(e)).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'dictionary_corrupted' }));
    }
    for (const dictType of ['raw', 'FULLDICT', '', 7, null, true]) {
      expect(caughtSync(() => new zstd.ZstdCompressionDict('abc', { dictType }))).toBeInstanceOf(RangeError);
    }
    for (const data of [42, null, undefined, {}, [1, 2, 3], true]) {
      expect(caughtSync(() => new zstd.ZstdCompressionDict(data))).toBeInstanceOf(TypeError);
    }
    expect(caughtSync(() => new zstd.ZstdCompressionDict('abc', 'rawContent'))).toBeInstanceOf(TypeError);
    expect(mem()).toBe(before);
  });

  test('dictData that is not a ZstdCompressionDict is a TypeError on every constructor', () => {
    for (const bad of [dict.asBytes(), 'dict', 42, {}, { _handle: 1 }]) {
      const makers = [
        () => new zstd.ZstdCompressor({ dictData: bad }),
        () => new zstd.ZstdDecompressor({ dictData: bad }),
        () => new zstd.ZstdCompressionStream({ dictData: bad }),
        () => new zstd.ZstdDecompressionStream({ dictData: bad }),
        () => zstdNode.createZstdCompress({ dictData: bad }),
        () => zstdNode.createZstdDecompress({ dictData: bad }),
      ];
      for (const make of makers) {
        const before = mem();
        expect(caughtSync(make)).toBeInstanceOf(TypeError);
        expect(mem()).toBe(before);
      }
    }
  });

  test('a dictionary makes small inputs much smaller', () => {
    const records = makeSamples(200, 77);
    const c = new zstd.ZstdCompressor();
    const cd = new zstd.ZstdCompressor({ dictData: dict });
    const plain = records.reduce((n, r) => n + c.compress(r).length, 0);
    const withDict = records.reduce((n, r) => n + cd.compress(r).length, 0);
    expect(withDict).toBeLessThan(plain * 0.6);
    c.free();
    cd.free();
  });
});

describe('trainDictionary', () => {
  test('direct (k, d) and optimized training; arrays, BufferWithSegments and collections give the same dictionary', () => {
    const direct = zstd.trainDictionary(4096, samples, { k: 64, d: 8, dictId: 1000 });
    expect(direct.length).toBeLessThanOrEqual(4096);
    expect(direct.dictId()).toBe(1000);

    const table = new BigUint64Array(2 * samples.length);
    let off = 0;
    samples.forEach((s, i) => {
      table[2 * i] = BigInt(off);
      table[2 * i + 1] = BigInt(s.length);
      off += s.length;
    });
    const all = concat(samples);
    const bws = new zstd.BufferWithSegments(all, table);
    const fromBws = zstd.trainDictionary(4096, bws, { k: 64, d: 8, dictId: 1000 });
    expectSameBytes(fromBws.asBytes(), direct.asBytes());
    // A collection of two halves.
    const half = samples.length / 2;
    const firstLen = samples.slice(0, half).reduce((n, s) => n + s.length, 0);
    const t1 = table.slice(0, 2 * half);
    const t2 = table.slice(2 * half).map((v, i) => (i % 2 === 0 ? v - BigInt(firstLen) : v));
    const b1 = new zstd.BufferWithSegments(all.subarray(0, firstLen), t1);
    const b2 = new zstd.BufferWithSegments(all.subarray(firstLen), t2);
    const coll = new zstd.BufferWithSegmentsCollection(b1, b2);
    const fromColl = zstd.trainDictionary(4096, coll, { k: 64, d: 8, dictId: 1000 });
    expectSameBytes(fromColl.asBytes(), direct.asBytes());
    // Mixed input types in an array.
    const mixed = samples.map((s, i) => (i % 3 === 0 ? s.toString('latin1') : i % 3 === 1 ? s.buffer.slice(s.byteOffset, s.byteOffset + s.length) : s));
    const fromMixed = zstd.trainDictionary(4096, mixed, { k: 64, d: 8, dictId: 1000 });
    expectSameBytes(fromMixed.asBytes(), direct.asBytes());

    const optimized = zstd.trainDictionary(4096, samples, { steps: 4, level: 3 });
    expect(optimized.length).toBeLessThanOrEqual(4096);
    expect(optimized.dictId()).toBeGreaterThan(0);  // random id when not given
    const threaded = zstd.trainDictionary(4096, samples, { steps: 4, threads: 2, splitPoint: 0.75, accel: 2, f: 18 });
    expect(threaded.length).toBeLessThanOrEqual(4096);
    for (const d of [direct, optimized, threaded]) {
      const c = new zstd.ZstdCompressor({ dictData: d });
      const frame = c.compress(input);
      expect(zstd.getFrameParameters(frame).dictId).toBe(d.dictId());
      expectSameBytes(decompressOnce({ dictData: d }, frame), input);
      c.free();
    }
    for (const x of [direct, fromBws, fromColl, fromMixed, optimized, threaded, coll, b1, b2, bws]) x.free();
  });

  test('dictId option: trainDictionary -> dictId() -> getFrameParameters().dictId, ids of 1, 2 and 4 bytes', () => {
    for (const id of [1, 200, 40000, 2 ** 31 - 1, 3000000000, 2 ** 32 - 121]) {
      const d = zstd.trainDictionary(2048, samples.slice(0, 400), { k: 48, d: 8, dictId: id });
      expect(d.dictId()).toBe(id);
      expect(readU32(d.asBytes(), 4)).toBe(id);
      const frame = compressOnce({ dictData: d }, input);
      expect(zstd.getFrameParameters(frame).dictId).toBe(id);
      expect(specDictId(frame).id).toBe(id);
      d.free();
    }
    // Above that, libzstd in wasm32 cannot compress (see below): refused up front.
    expect(caughtSync(() => zstd.trainDictionary(2048, samples.slice(0, 400), { k: 48, d: 8, dictId: 2 ** 32 - 120 }))).toBeInstanceOf(RangeError);
  });

  test('dictionary ids in the top 120 values of uint32 (e.g. 0xFFFFFFFF): decoding works, compressing is a clear error', () => {
    // The format allows any 32-bit id, and the (64-bit) CLI trains and uses such dictionaries. A
    // 32-bit libzstd (wasm) returns the id as a size_t where these values are its error codes, so
    // it can decode such frames but not write them: zstd-kit says so instead of failing obscurely.
    const sampleDir = path.join(dir, 'top-id-samples');
    fs.mkdirSync(sampleDir);
    samples.slice(0, 400).forEach((s, i) => fs.writeFileSync(path.join(sampleDir, `s${i}`), s));
    const files = fs.readdirSync(sampleDir).map((f) => path.join(sampleDir, f));
    for (const id of [2 ** 32 - 119, 2 ** 32 - 1]) {
      const file = path.join(dir, `cli-dict-${id}`);
      execFileSync('zstd', ['-q', '--train', ...files, '-o', file, '--maxdict=4096', `--dictID=${id}`]);
      const cliFrame = zstdCli(['-c', '-q', '-D', file, `--stream-size=${input.length}`], Buffer.from(input));
      expect(zstd.getFrameParameters(cliFrame).dictId).toBe(id);
      const dd = new zstd.ZstdCompressionDict(fs.readFileSync(file));
      expect(dd.dictId()).toBe(id);
      try {
        expectSameBytes(decompressOnce({ dictData: dd }, cliFrame), input);
        for (const options of [{ dictData: dd }, { dictData: dd, compressionParams: new zstd.ZstdCompressionParameters({ windowLog: 20 }) }]) {
          const e = caughtSync(() => compressOnce(options, input));
          expect(e).toBeInstanceOf(zstd.ZstdError);
          expect(e.code).toBe('dictionary_corrupted');
          expect(e.message).toMatch(/32-bit libzstd/);
        }
      } finally {
        dd.free();
      }
    }
  });

  test('errors: dictSize below the minimum, too few samples, bad option types and ranges', () => {
    let e = caughtSync(() => zstd.trainDictionary(255, samples));
    expect(e).toBeInstanceOf(RangeError);  // a dictSize below libzstd's minimum, named in the message
    expect(e.message).toMatch(/256/);
    let atMinimum = null;
    const minimum = caughtSync(() => (atMinimum = zstd.trainDictionary(256, samples)));
    expect(minimum === null || minimum instanceof zstd.ZstdError).toBe(true);  // 256 itself is a valid size
    atMinimum?.free();
    e = caughtSync(() => zstd.trainDictionary(100000, samples.slice(0, 3)));
    expect(e).toBeInstanceOf(zstd.ZstdError);
    expect(e.message).toMatch(/more .*samples|smaller dictSize/);
    e = caughtSync(() => zstd.trainDictionary(8192, []));
    expect(e instanceof zstd.ZstdError || e instanceof RangeError).toBe(true);

    const types = [['8192'], [null], [undefined], [{}]];
    for (const [size] of types) expect(caughtSync(() => zstd.trainDictionary(size, samples))).toBeInstanceOf(TypeError);
    for (const size of [-1, 1.5, NaN, 2 ** 32]) expect(caughtSync(() => zstd.trainDictionary(size, samples))).toBeInstanceOf(RangeError);
    for (const bad of [42, 'samples', null, {}]) expect(caughtSync(() => zstd.trainDictionary(8192, bad))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => zstd.trainDictionary(8192, [1, 2]))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => zstd.trainDictionary(8192, samples, 'fast'))).toBeInstanceOf(TypeError);
    const options = {
      k: [-1, 1.5], d: [-1, 0.5], f: [-1, 32], steps: [-1, 2.5], accel: [-1, 11], splitPoint: [0, -0.5, 1.5],
      threads: [-2, 1.5], level: [23, -131073, 1.5], dictId: [-1, 2 ** 32, 1.5], notifications: [-1, 5],
    };
    for (const [name, values] of Object.entries(options)) {
      for (const v of values) {
        const err = caughtSync(() => zstd.trainDictionary(8192, samples, { [name]: v }));
        if (!(err instanceof RangeError)) throw new Error(`${name}: ${v} gave ${JSON.stringify(describeError(err))}`);
      }
      const err = caughtSync(() => zstd.trainDictionary(8192, samples, { [name]: '3' }));
      if (!(err instanceof TypeError)) throw new Error(`${name}: '3' gave ${JSON.stringify(describeError(err))}`);
    }
  });
});

describe('interop with the zstd CLI', () => {
  test('a dictionary trained here: `zstd -D` decodes our frames, we decode `zstd -D` frames', () => {
    const c = new zstd.ZstdCompressor({ dictData: dict, writeChecksum: true });
    const d = new zstd.ZstdDecompressor({ dictData: dict });
    for (const x of [input, samples[3], new Uint8Array(0), textData(300000, 5)]) {
      const frame = c.compress(x);
      expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], frame), x);
      for (const level of ['-1', '-3', '-19', '--fast=3']) {
        const cli = zstdCli(['-c', '-q', level, '-D', dictFile, `--stream-size=${x.length}`], Buffer.from(x));
        expect(zstd.getFrameParameters(cli).dictId).toBe(424242);
        expectSameBytes(d.decompress(cli), x);
      }
      // From stdin without a size: no content size in the header.
      const streamed = zstdCli(['-c', '-q', '-D', dictFile], Buffer.from(x));
      expectSameBytes(d.decompress(streamed, { maxOutputSize: Math.max(1, x.length) }), x);
    }
    // The CLI with another dictionary refuses our frames.
    const refused = spawnSync('zstd', ['-d', '-c', '-q', '-D', otherDictFile], { input: c.compress(input) });
    expect(refused.status).not.toBe(0);
    c.free();
    d.free();
  });

  test('a dictionary from `zstd --train` works both ways', () => {
    const sampleDir = path.join(dir, 'samples');
    fs.mkdirSync(sampleDir);
    makeSamples(1000, 9).forEach((s, i) => fs.writeFileSync(path.join(sampleDir, `s${i}`), s));
    const file = path.join(dir, 'cli-dict');
    const files = fs.readdirSync(sampleDir).map((f) => path.join(sampleDir, f));
    execFileSync('zstd', ['-q', '--train', ...files, '-o', file, '--maxdict=8192', '--dictID=777777']);
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeLessThanOrEqual(8192);
    for (const dictType of ['auto', 'fullDict']) {
      const cliDict = new zstd.ZstdCompressionDict(bytes, { dictType });
      expect(cliDict.dictId()).toBe(777777);
      const c = new zstd.ZstdCompressor({ dictData: cliDict, level: 7 });
      const d = new zstd.ZstdDecompressor({ dictData: cliDict });
      for (const x of [input, samples[10], textData(100000, 6)]) {
        const frame = c.compress(x);
        expect(zstd.getFrameParameters(frame).dictId).toBe(777777);
        expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', file], frame), x);
        const cli = zstdCli(['-c', '-q', '-D', file, `--stream-size=${x.length}`], Buffer.from(x));
        expectSameBytes(d.decompress(cli), x);
      }
      // The dictionary helps: smaller than without it.
      expect(c.compress(samples[10]).length).toBeLessThan(compressOnce({ level: 7 }, samples[10]).length);
      c.free();
      d.free();
      cliDict.free();
    }
  });

  test('raw-content dictionaries (rawContent, and auto on non-magic bytes) match the CLI with the same file as -D', () => {
    const content = randomData(40000, 8);  // incompressible alone: any gain comes from the dictionary
    const file = path.join(dir, 'raw-dict');
    fs.writeFileSync(file, content);
    // Inputs that repeat much of the dictionary's content.
    const x = concat([content.subarray(1000, 21000), Buffer.from('a new tail'), content.subarray(30000, 39000)]);
    const plainSize = compressOnce(undefined, x).length;
    for (const dictType of ['rawContent', 'auto', undefined]) {
      const raw = new zstd.ZstdCompressionDict(content, dictType === undefined ? undefined : { dictType });
      expect(raw.dictId()).toBe(0);
      for (const level of [1, 3, 19, -5]) {
        const c = new zstd.ZstdCompressor({ dictData: raw, level });
        const frame = c.compress(x);
        expect(frame.length).toBeLessThan(plainSize / 4);
        expect(zstd.getFrameParameters(frame).dictId).toBe(0);
        expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', file], frame), x);
        c.free();
      }
      const d = new zstd.ZstdDecompressor({ dictData: raw });
      for (const level of ['-1', '-3', '-19']) {
        const cli = zstdCli(['-c', '-q', level, '-D', file, `--stream-size=${x.length}`], Buffer.from(x));
        expect(cli.length).toBeLessThan(plainSize / 4);
        expectSameBytes(d.decompress(cli), x);
      }
      d.free();
      raw.free();
    }
  });
});

describe('dictionary ids in frame headers', () => {
  test('ids needing 1, 2 and 4 bytes: getFrameParameters and frameHeaderSize agree with the format spec', () => {
    const bytes = dict.asBytes();
    for (const [id, idBytes, flag] of [[200, 1, 1], [40000, 2, 2], [3000000000, 4, 3]]) {
      const file = path.join(dir, `dict-${id}`);
      const patched = withDictId(bytes, id);
      fs.writeFileSync(file, patched);
      const dd = new zstd.ZstdCompressionDict(patched, { dictType: 'fullDict' });
      expect(dd.dictId()).toBe(id);
      const c = new zstd.ZstdCompressor({ dictData: dd });
      const d = new zstd.ZstdDecompressor({ dictData: dd });
      for (const x of [samples[1], input, textData(70000, 9)]) {
        const ours = c.compress(x);
        const cli = zstdCli(['-c', '-q', '-D', file, `--stream-size=${x.length}`], Buffer.from(x));
        const cliStreamed = zstdCli(['-c', '-q', '-D', file], Buffer.from(x));
        for (const frame of [ours, cli, cliStreamed]) {
          expect(frame[4] & 3).toBe(flag);
          expect(specDictId(frame)).toEqual({ bytes: idBytes, id });
          const p = zstd.getFrameParameters(frame);
          expect(p.dictId).toBe(id);
          expect(p.contentSize).toBe(frame === cliStreamed ? -1 : x.length);
          expect(zstd.frameHeaderSize(frame)).toBe(specHeaderSize(frame));
          // The header alone is enough to parse it.
          expect(zstd.getFrameParameters(frame.subarray(0, specHeaderSize(frame)))).toEqual(p);
          expectSameBytes(d.decompress(frame, { maxOutputSize: x.length + 1 }), x);
        }
        expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', file], ours), x);
      }
      c.free();
      d.free();
      dd.free();
    }
  });

  test('writeDictId false: dictId 0 in the header, yet the frame decodes with the dictionary', () => {
    const c = new zstd.ZstdCompressor({ dictData: dict, writeDictId: false });
    const withId = compressOnce({ dictData: dict }, input);
    const frame = c.compress(input);
    expect(zstd.getFrameParameters(frame).dictId).toBe(0);
    expect(frame[4] & 3).toBe(0);
    expect(zstd.frameHeaderSize(frame)).toBe(specHeaderSize(frame));
    expect(zstd.frameHeaderSize(frame)).toBe(zstd.frameHeaderSize(withId) - specDictId(withId).bytes);
    expectSameBytes(decompressOnce({ dictData: dict }, frame), input);
    expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], frame), input);
    // Streaming paths too.
    const obj = c.compressobj();
    const streamed = concat([obj.compress(input), obj.flush()]);
    expect(zstd.getFrameParameters(streamed).dictId).toBe(0);
    expectSameBytes(decompressOnce({ dictData: dict }, streamed, { maxOutputSize: input.length }), input);
    // `zstd --no-dictID` frames decode here.
    const cli = zstdCli(['-c', '-q', '--no-dictID', '-D', dictFile, `--stream-size=${input.length}`], Buffer.from(input));
    expect(zstd.getFrameParameters(cli).dictId).toBe(0);
    expectSameBytes(decompressOnce({ dictData: dict }, cli), input);
    c.free();
  });
});

describe('the dictionary applies to every path', () => {
  for (const [name, run] of Object.entries(COMPRESS_PATHS)) {
    test(`compressing: ${name}`, async () => {
      const before = mem();
      const frames = await run({ dictData: dict }, input);
      const plain = await run({}, input);
      frames.forEach((frame, i) => {
        expect(zstd.getFrameParameters(frame).dictId).toBe(424242);
        expect(frame.length).toBeLessThan(plain[i].length);
      });
      expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], frames[0]), input);
      const d = new zstd.ZstdDecompressor({ dictData: dict });
      expectSameBytes(d.decompress(frames[0], { maxOutputSize: input.length }), input);
      d.free();
      // writeDictId: false reaches this path too.
      const noId = await run({ dictData: dict, writeDictId: false }, input);
      expect(zstd.getFrameParameters(noId[0]).dictId).toBe(0);
      expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], noId[0]), input);
      expect(mem()).toBe(before);
    });
  }

  const others = () => makeSamples(5, 60).map((s, i) => concat([s, input.subarray(0, 200 * i)]));
  for (const [name, run] of Object.entries(DECOMPRESS_PATHS)) {
    test(`decompressing: ${name}, and 'dictionary_wrong' with a wrong or missing dictionary`, async () => {
      const before = mem();
      const inputs = others();
      const c = new zstd.ZstdCompressor({ dictData: dict });
      const frames = inputs.map((x) => c.compress(x));
      c.free();
      // Frames from the CLI with the same dictionary.
      const cliFrames = inputs.map((x) => zstdCli(['-c', '-q', '-D', dictFile, `--stream-size=${x.length}`], Buffer.from(x)));
      for (const set of [frames, cliFrames]) {
        const out = await run({ dictData: dict }, set);
        expect(out.length).toBe(inputs.length);
        out.forEach((x, i) => expectSameBytes(x, inputs[i]));
      }
      for (const options of [{}, { dictData: otherDict }]) {
        const e = await caught(() => run(options, frames));
        expect(describeError(e)).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'dictionary_wrong' }));
      }
      expect(mem()).toBe(before);
    });
  }

  test("multi APIs: the failing item's index is in the message", async () => {
    const before = mem();
    const inputs = makeSamples(6, 70);
    const c = new zstd.ZstdCompressor({ dictData: dict });
    const co = new zstd.ZstdCompressor({ dictData: otherDict });
    const cp = new zstd.ZstdCompressor();
    const frames = inputs.map((x, i) => (i === 3 ? co : c).compress(x));
    const d = new zstd.ZstdDecompressor({ dictData: dict });
    const plain = new zstd.ZstdDecompressor();
    for (const threads of [0, 2]) {
      for (const fn of [(dd, f) => dd.multiDecompressToBuffer(f, { threads }), (dd, f) => dd.multiDecompressToBufferAsync(f, { threads })]) {
        let e = await caught(() => fn(d, frames));
        expect(describeError(e)).toEqual(expect.objectContaining({ code: 'dictionary_wrong', message: expect.stringMatching(/\bitem 3\b/) }));
        // Without a dictionary: plain frames decode, the first dictionary frame fails.
        const mixed = inputs.map((x, i) => (i < 4 ? cp.compress(x) : c.compress(x)));
        e = await caught(() => fn(plain, mixed));
        expect(describeError(e)).toEqual(expect.objectContaining({ code: 'dictionary_wrong', message: expect.stringMatching(/\bitem 4\b/) }));
      }
    }
    for (const x of [c, co, cp, d, plain]) x.free();
    expect(mem()).toBe(before);
  });

  test('compressionParams with a dictionary, threads with a dictionary, every level', async () => {
    const big = concat([textData(2 << 20, 11), input]);
    const params = new zstd.ZstdCompressionParameters({ windowLog: 20, strategy: zstd.STRATEGY_LAZY2, writeChecksum: true });
    const d = new zstd.ZstdDecompressor({ dictData: dict });
    const cases = [
      { dictData: dict, compressionParams: params },
      { dictData: dict, threads: 2 },
      { dictData: dict, threads: 2, compressionParams: new zstd.ZstdCompressionParameters({ jobSize: 1 << 20, threads: 2 }) },
    ];
    for (const options of cases) {
      for (const x of [input, big]) {
        const c = new zstd.ZstdCompressor(options);
        const frame = c.compress(x);
        const obj = c.compressobj();
        const streamed = concat([obj.compress(x), obj.flush()]);
        for (const f of [frame, streamed]) {
          expect(zstd.getFrameParameters(f).dictId).toBe(424242);
          expectSameBytes(d.decompress(f, { maxOutputSize: x.length }), x);
          expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], f), x);
        }
        if (options.compressionParams === params) expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
        c.free();
      }
    }
    for (const level of [-100, -5, -1, 1, 3, 9, 19, 22]) {
      const c = new zstd.ZstdCompressor({ dictData: dict, level });
      const frame = c.compress(input);
      expect(zstd.getFrameParameters(frame).dictId).toBe(424242);
      expectSameBytes(d.decompress(frame), input);
      expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], frame), input);
      c.free();
    }
    d.free();
  });
});

describe('precompute', () => {
  test('makes no difference to the output; memorySize grows once per level; returns this', () => {
    const bytes = dict.asBytes();
    for (const level of [-3, 1, 3, 19]) {
      const fresh = new zstd.ZstdCompressionDict(bytes);
      const pre = new zstd.ZstdCompressionDict(bytes);
      const size0 = pre.memorySize();
      expect(size0).toBeGreaterThanOrEqual(pre.length);
      expect(pre.precompute({ level })).toBe(pre);
      const size1 = pre.memorySize();
      expect(size1).toBeGreaterThan(size0);
      pre.precompute({ level });
      expect(pre.memorySize()).toBe(size1);  // once per level
      const a = new zstd.ZstdCompressor({ dictData: fresh, level });
      const b = new zstd.ZstdCompressor({ dictData: pre, level });
      for (const x of [input, samples[0], textData(200000, 12)]) expectSameBytes(b.compress(x), a.compress(x));
      expect(pre.memorySize()).toBe(size1);  // the compressor used the precomputed digest
      a.free();
      b.free();
      fresh.free();
      pre.free();
    }
  });

  test('a digest is shared by every compressor at that level; another level adds one; decompression adds one', () => {
    const raw = new zstd.ZstdCompressionDict(textData(20000, 13), { dictType: 'rawContent' });
    const full = new zstd.ZstdCompressionDict(dict.asBytes());
    for (const dd of [raw, full]) {
      const size0 = dd.memorySize();
      const c1 = new zstd.ZstdCompressor({ dictData: dd, level: 5 });
      c1.compress(input);
      const size1 = dd.memorySize();
      expect(size1).toBeGreaterThan(size0);
      const c2 = new zstd.ZstdCompressor({ dictData: dd, level: 5 });
      c2.compress(input);
      dd.precompute({ level: 5 });
      expect(dd.memorySize()).toBe(size1);
      dd.precompute({ level: 12 });
      const size2 = dd.memorySize();
      expect(size2).toBeGreaterThan(size1);
      const d = new zstd.ZstdDecompressor({ dictData: dd });
      d.decompress(c2.compress(input));
      expect(dd.memorySize()).toBeGreaterThan(size2);
      for (const x of [c1, c2, d]) x.free();
    }
    raw.free();
    full.free();
  });

  test('errors: bad level', () => {
    const dd = new zstd.ZstdCompressionDict('content');
    for (const level of [23, -131073, 1.5, NaN]) expect(caughtSync(() => dd.precompute({ level }))).toBeInstanceOf(RangeError);
    for (const level of ['3', null, {}]) expect(caughtSync(() => dd.precompute({ level }))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => dd.precompute(3))).toBeInstanceOf(TypeError);
    expect(dd.precompute()).toBe(dd);  // default level
    dd.free();
  });
});

describe('content-dictionary chains', () => {
  test('50 links made with rawContent dictionaries decode with decompressContentDictChain and with `zstd -D`', () => {
    const before = mem();
    const inputs = Array.from({ length: 50 }, (_, k) => {
      const base = Buffer.from(textData(8000, 14));
      return concat([base.subarray(0, 5000 + k * 50), Buffer.from(`link ${k} `.repeat(k + 1))]);
    });
    const chain = inputs.map((x, k) => {
      if (k === 0) return compressOnce(undefined, x);
      const prev = new zstd.ZstdCompressionDict(inputs[k - 1], { dictType: 'rawContent' });
      const c = new zstd.ZstdCompressor({ dictData: prev });
      prev.free();  // the compressor shares it
      try {
        return c.compress(x);
      } finally {
        c.free();
      }
    });
    // Each link is small: it refers to the previous content.
    for (let k = 1; k < 50; k++) expect(chain[k].length).toBeLessThan(200 + (k + 1) * 10);
    const d = new zstd.ZstdDecompressor();
    expectSameBytes(d.decompressContentDictChain(chain), inputs[49]);
    expectSameBytes(d.decompressContentDictChain(chain.slice(0, 20)), inputs[19]);
    d.free();
    const chainDir = path.join(dir, 'chain');
    fs.mkdirSync(chainDir);
    for (let k = 0; k < 50; k++) {
      const args = ['-d', '-c', '-q'];
      if (k > 0) {
        const file = path.join(chainDir, `link${k - 1}`);
        fs.writeFileSync(file, inputs[k - 1]);
        args.push('-D', file);
      }
      expectSameBytes(zstdCli(args, chain[k]), inputs[k]);
    }
    expect(mem()).toBe(before);
  });
});

describe('lifetime and memory', () => {
  test('compressors and decompressors keep working after the dictionary is freed', async () => {
    const dd = new zstd.ZstdCompressionDict(dict.asBytes());
    const c = new zstd.ZstdCompressor({ dictData: dd, level: 4 });
    const cp = new zstd.ZstdCompressor({ dictData: dd, compressionParams: new zstd.ZstdCompressionParameters({ windowLog: 18 }) });
    const d = new zstd.ZstdDecompressor({ dictData: dd });
    dd.free();
    expect(dd.freed).toBe(true);
    for (const fn of [() => dd.dictId(), () => dd.asBytes(), () => dd.length, () => dd.precompute(), () => dd.memorySize()]) {
      expect(describeError(caughtSync(fn))).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'freed' }));
    }
    expect(describeError(caughtSync(() => new zstd.ZstdCompressor({ dictData: dd })))).toEqual(expect.objectContaining({ code: 'freed' }));
    expect(describeError(caughtSync(() => new zstd.ZstdDecompressor({ dictData: dd })))).toEqual(expect.objectContaining({ code: 'freed' }));
    dd.free();  // repeatable
    for (const cc of [c, cp]) {
      const frame = cc.compress(input);
      expect(zstd.getFrameParameters(frame).dictId).toBe(424242);
      expectSameBytes(d.decompress(frame), input);
      const streamed = concat(await collect(cc.readToIter(input)));
      expectSameBytes(concat(await collect(d.readToIter(streamed))), input);
      const multi = cc.multiCompressToBuffer([input, samples[0]], { threads: 2 });
      const back = collectionBytes(d.multiDecompressToBuffer(multi));
      multi.free();
      expectSameBytes(back[1], samples[0]);
    }
    for (const x of [c, cp, d]) x.free();
  });

  test('Symbol.dispose frees a dictionary', () => {
    const dd = new zstd.ZstdCompressionDict('some content');
    // Jest's sandbox has no Symbol.dispose; the library then uses the registered fallback symbol.
    dd[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
    expect(describeError(caughtSync(() => dd.dictId()))).toEqual(expect.objectContaining({ code: 'freed' }));
  });

  test('totalAllocatedBytes returns to its baseline once dictionaries and their users are freed', async () => {
    const before = mem();
    const trained = zstd.trainDictionary(4096, samples, { k: 64, d: 8 });
    const raw = new zstd.ZstdCompressionDict(textData(30000, 15), { dictType: 'rawContent' });
    expect(mem()).toBeGreaterThan(before);
    for (const dd of [trained, raw]) {
      dd.precompute({ level: 1 }).precompute({ level: 19 });
      const c = new zstd.ZstdCompressor({ dictData: dd });
      const d = new zstd.ZstdDecompressor({ dictData: dd });
      const frames = c.multiCompressToBuffer(makeSamples(50, 80), { threads: 2 });
      const out = await d.multiDecompressToBufferAsync(frames, { threads: 2 });
      out.free();
      frames.free();
      const obj = c.compressobj();
      const f = concat([obj.compress(input), obj.flush()]);
      const dobj = d.decompressobj();
      dobj.decompress(f);
      const buf = c.compressToBuffer(input);
      d.decompressToBuffer(buf).free();
      buf.free();
      const e = caughtSync(() => decompressOnce({ dictData: otherDict }, c.compress(input)));
      if (dd === trained) expect(e).toBeInstanceOf(zstd.ZstdError);
      c.free();
      d.free();
      expect(mem()).toBeGreaterThan(before);
      dd.free();
    }
    // Failed construction leaves nothing behind.
    caughtSync(() => new zstd.ZstdCompressionDict(textData(3000, 1), { dictType: 'fullDict' }));
    caughtSync(() => zstd.trainDictionary(100000, samples.slice(0, 3)));
    expect(mem()).toBe(before);
  });

  test('after freeing the shared dictionaries, memory is back to where it was before any dictionary', () => {
    // Every test frees what it makes, so this is exact.
    dict.free();
    otherDict.free();
    expect(mem()).toBe(baseline);
  });
});
