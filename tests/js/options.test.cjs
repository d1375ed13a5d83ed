// Options objects, read by one module (js/options.js) for every sync, async and streaming form:
// a key a call does not take is a TypeError naming it and the keys it takes (a typo such as
// { levle: 9 } must not be silently ignored); each documented key is taken.
const zstd = require('zstd-kit');
const { caught, caughtSync, collect } = require('./helpers.cjs');

let c, d, dict, frame, frames;
beforeAll(async () => {
  await zstd.init();
  c = new zstd.ZstdCompressor();
  d = new zstd.ZstdDecompressor();
  dict = new zstd.ZstdCompressionDict('a raw content dictionary', { dictType: 'rawContent' });
  frame = c.compress('some data');
  frames = c.multiCompressToBuffer(['a', 'b']);
});
afterAll(() => {
  for (const o of [c, d, dict, frames]) o.free();
});

const sink = () => ({ write() {} });
const params = () => new zstd.ZstdCompressionParameters({ windowLog: 20 });
const samples = () => Array.from({ length: 300 }, (_, i) => `{"id": ${i}, "kind": "sample", "tags": ["${i % 7}"]}`);

// Every call that takes options: how to call it with `o`, and a valid value for each key it takes.
const calls = {
  ZstdCompressor: [
    (o) => new zstd.ZstdCompressor(o).free(),
    {
      level: 5,
      dictData: () => dict,
      compressionParams: params,
      writeChecksum: true,
      writeContentSize: false,
      writeDictId: false,
      threads: 2,
    },
  ],
  ZstdDecompressor: [(o) => new zstd.ZstdDecompressor(o).free(), { maxWindowSize: 1 << 20, format: 'zstd1', dictData: () => dict }],
  ZstdCompressionStream: [(o) => new zstd.ZstdCompressionStream(o), { level: 1, threads: 1, writeChecksum: true }],
  ZstdDecompressionStream: [(o) => new zstd.ZstdDecompressionStream(o), { maxWindowSize: 1 << 20, format: 'zstd1', dictData: () => dict }],
  'decompress()': [(o) => d.decompress(frame, o), { maxOutputSize: 100, readAcrossFrames: true }],
  'decompressToBuffer()': [(o) => d.decompressToBuffer(frame, o).free(), { maxOutputSize: 100, readAcrossFrames: false }],
  'compressobj()': [(o) => c.compressobj(o).free(), { size: 10 }],
  'chunker()': [(o) => c.chunker(o).free(), { size: 10, chunkSize: 64 }],
  'c.readToIter()': [(o) => collect(c.readToIter('x', o)), { size: 1, readSize: 10, writeSize: 100 }],
  'c.streamWriter()': [(o) => c.streamWriter(sink(), o).free(), { size: 1, writeSize: 100, closeSink: false }],
  'c.copyStream()': [(o) => c.copyStream('x', sink(), o), { size: 1, readSize: 10, writeSize: 100 }],
  'decompressobj()': [(o) => d.decompressobj(o).free(), { readAcrossFrames: true }],
  'd.readToIter()': [(o) => collect(d.readToIter(frame, o)), { readSize: 10, writeSize: 100, skipBytes: 0, readAcrossFrames: false }],
  'd.streamWriter()': [(o) => d.streamWriter(sink(), o).free(), { writeSize: 100, closeSink: false }],
  'd.copyStream()': [(o) => d.copyStream(frame, sink(), o), { readSize: 10, writeSize: 100 }],
  'multiCompressToBuffer()': [(o) => c.multiCompressToBuffer(['a'], o).free(), { threads: 2 }],
  'multiCompressToBufferAsync()': [async (o) => (await c.multiCompressToBufferAsync(['a'], o)).free(), { threads: 2 }],
  'multiDecompressToBuffer()': [(o) => d.multiDecompressToBuffer(frames, o).free(), { threads: 2, decompressedSizes: [1, 1] }],
  'multiDecompressToBufferAsync()': [
    async (o) => (await d.multiDecompressToBufferAsync(frames, o)).free(),
    { threads: 2, decompressedSizes: [1, 1] },
  ],
  ZstdCompressionDict: [(o) => new zstd.ZstdCompressionDict('bytes', o).free(), { dictType: 'rawContent' }],
  'precompute()': [(o) => dict.precompute(o), { level: 7 }],
  'trainDictionary()': [
    (o) => zstd.trainDictionary(1024, samples(), o).free(),
    {
      k: 64,
      d: 8,
      f: 18,
      splitPoint: 1,
      accel: 2,
      steps: 4,
      threads: 1,
      level: 3,
      dictId: 5,
      notifications: 0,
    },
  ],
  'fromLevel()': [(o) => zstd.ZstdCompressionParameters.fromLevel(3, o), { sourceSize: 1000, dictSize: 100 }],
  'createZstdCompress()': [(o) => zstd.createZstdCompress(o).destroy(), { level: 2, threads: 0, dictData: () => dict }],
  'createZstdDecompress()': [(o) => zstd.createZstdDecompress(o).destroy(), { maxWindowSize: 1 << 20, format: 'magicless' }],
};

describe.each(Object.entries(calls))('%s', (name, [call, valid]) => {
  const value = (v) => (typeof v === 'function' ? v() : v);

  test('an unknown key is a TypeError naming it and every key the call takes', async () => {
    const e = await caught(() => call({ levle: 9 }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toContain("'levle'");
    for (const key of Object.keys(valid)) expect(e.message).toContain(key);
  });

  test('each key it documents is taken, alone and all together', async () => {
    for (const [key, v] of Object.entries(valid)) {
      const e = await caught(() => call({ [key]: value(v) }));
      if (e !== null) throw new Error(`${name} { ${key} } threw ${e.name}: ${e.message}`);
    }
    const all = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, value(v)]));
    // (maxOutputSize with readAcrossFrames false is fine; trainDictionary's k/d and steps together are too)
    expect(await caught(() => call(all))).toBeNull();
  });

  test('undefined and null options are no options; a non-object is a TypeError', async () => {
    expect(await caught(() => call(undefined))).toBeNull();
    expect(await caught(() => call(null))).toBeNull();
    expect(await caught(() => call(42))).toBeInstanceOf(TypeError);
  });
});

test('keys on the prototype are not options; own keys with undefined values are still checked', () => {
  const inherited = Object.create({ levle: 9 });
  expect(caughtSync(() => new zstd.ZstdCompressor(inherited).free())).toBeNull();
  expect(caughtSync(() => new zstd.ZstdCompressor({ levle: undefined }))).toBeInstanceOf(TypeError);
});

test("the options of one class are not the other's: a compressor option to a decompressor is a TypeError", () => {
  expect(caughtSync(() => new zstd.ZstdDecompressor({ level: 3 }))).toBeInstanceOf(TypeError);
  expect(caughtSync(() => new zstd.ZstdCompressor({ maxWindowSize: 1 << 20 }))).toBeInstanceOf(TypeError);
  expect(caughtSync(() => c.streamWriter(sink(), { readSize: 10 }))).toBeInstanceOf(TypeError);
  expect(caughtSync(() => d.decompress(frame, { threads: 2 }))).toBeInstanceOf(TypeError);
});

test('threads: -1..64 everywhere (RangeError outside), clamped to features.maxThreads', () => {
  for (const threads of [65, 1000, 100000, -2]) {
    expect(caughtSync(() => new zstd.ZstdCompressor({ threads }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => c.multiCompressToBuffer(['a'], { threads }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => d.multiDecompressToBuffer(frames, { threads }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => zstd.trainDictionary(1024, samples(), { threads, k: 64, d: 8 }))).toBeInstanceOf(RangeError);
  }
  const most = new zstd.ZstdCompressor({ threads: 64 });
  expect(most.threads).toBe(zstd.features.maxThreads);
  most.free();
});

test('nothing is left allocated by the option errors', () => {
  const before = zstd.memory.totalAllocatedBytes();
  for (let i = 0; i < 100; i++) {
    caughtSync(() => new zstd.ZstdCompressor({ levle: 9 }));
    caughtSync(() => c.compressobj({ sise: 1 }));
    caughtSync(() => c.streamWriter(sink(), { closesink: true }));
  }
  expect(zstd.memory.totalAllocatedBytes()).toBe(before);
});
