// The dictData option on every compressing and decompressing path (one-shot, streaming, batch,
// Web and Node streams), with compressionParams, threads and levels; precompute().
const {
  COMPRESS_PATHS,
  DECOMPRESS_PATHS,
  caught,
  caughtSync,
  concat,
  describeError,
  expectSameBytes,
  makeSamples,
  mem,
  textData,
  zstd,
  zstdCli,
  setup,
} = require('./dictionary/common.cjs');

const f = setup();
let samples, dict, otherDict, dictFile, input;
beforeAll(() => ({ samples, dict, otherDict, dictFile, input } = f));

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
      for (const fn of [
        (dd, f) => dd.multiDecompressToBuffer(f, { threads }),
        (dd, f) => dd.multiDecompressToBufferAsync(f, { threads }),
      ]) {
        let e = await caught(() => fn(d, frames));
        expect(describeError(e)).toEqual(
          expect.objectContaining({ code: 'dictionary_wrong', message: expect.stringMatching(/\bitem 3\b/) }),
        );
        // Without a dictionary: plain frames decode, the first dictionary frame fails.
        const mixed = inputs.map((x, i) => (i < 4 ? cp.compress(x) : c.compress(x)));
        e = await caught(() => fn(plain, mixed));
        expect(describeError(e)).toEqual(
          expect.objectContaining({ code: 'dictionary_wrong', message: expect.stringMatching(/\bitem 4\b/) }),
        );
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
      expect(pre.memorySize()).toBe(size1); // once per level
      const a = new zstd.ZstdCompressor({ dictData: fresh, level });
      const b = new zstd.ZstdCompressor({ dictData: pre, level });
      for (const x of [input, samples[0], textData(200000, 12)]) expectSameBytes(b.compress(x), a.compress(x));
      expect(pre.memorySize()).toBe(size1); // the compressor used the precomputed digest
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
    expect(dd.precompute()).toBe(dd); // default level
    dd.free();
  });
});
