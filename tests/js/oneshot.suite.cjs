// The one-liners (zstd.compress / decompress) and the async one-shot forms (compressAsync /
// decompressAsync, top-level and on ZstdCompressor / ZstdDecompressor), run against one build:
// oneshot.test.cjs (threaded) and oneshot-st.test.cjs (single-threaded).
const zstd = require('zstd-kit');
const { textData, randomData, expectSameBytes, zstdCli, whileTicking } = require('./helpers.cjs');

const MiB = 1 << 20;
const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });

// Every accepted input type holding `bytes`.
function inputsOf(bytes) {
  const wb = zstd.allocBuffer(bytes.length);
  wb.view().set(bytes);
  const ab = bytes.slice().buffer;
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return {
    inputs: [
      bytes,
      Buffer.from(bytes),
      ab,
      sab,
      new DataView(bytes.slice().buffer),
      new Uint16Array(bytes.slice(0, bytes.length & ~1).buffer),
      wb,
    ],
    release: () => wb.free(),
  };
}

const bytesOf = (view) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

module.exports = function oneShotSuite(initOptions) {
  const threaded = initOptions.threads !== false;
  const data = textData(300000, 4);

  beforeAll(async () => {
    await zstd.init(initOptions);
    expect(zstd.features.threads).toBe(threaded);
  });

  describe('zstd.compress / zstd.decompress', () => {
    test('round trip, the same frame as a ZstdCompressor of that level', () => {
      for (const level of [undefined, 1, 3, 9, -5]) {
        const frame = zstd.compress(data, level);
        const c = new zstd.ZstdCompressor({ level: level ?? 3 });
        expectSameBytes(frame, c.compress(data));
        c.free();
        expectSameBytes(zstd.decompress(frame), data);
      }
    });

    test('inputs at every offset and length modulo 8 (staged at their alignment): the same results', async () => {
      const backing = new Uint8Array(data.length + 8);
      const reference = zstd.compress(data.subarray(0, data.length - 9));
      for (let offset = 0; offset < 8; offset++) {
        backing.set(data, offset);
        for (const cut of [9, 10, 13]) {
          const input = backing.subarray(offset, offset + data.length - cut);
          const expected = data.subarray(0, data.length - cut);
          const frame = zstd.compress(input);
          if (cut === 9) expectSameBytes(frame, reference);
          expectSameBytes(zstd.decompress(frame), expected);
          expectSameBytes(await zstd.compressAsync(input), frame);
          // The frame at the same odd offset.
          const framed = new Uint8Array(frame.length + 8);
          framed.set(frame, offset);
          expectSameBytes(zstd.decompress(framed.subarray(offset, offset + frame.length)), expected);
          expectSameBytes(await zstd.decompressAsync(framed.subarray(offset, offset + frame.length)), expected);
        }
      }
    });

    test('options objects: ZstdCompressor options, dictionaries, parameters', () => {
      const frame = zstd.compress(data, { level: 5, writeChecksum: true, writeContentSize: false });
      expect(zstd.getFrameParameters(frame)).toEqual(expect.objectContaining({ contentSize: -1, hasChecksum: true }));
      expectSameBytes(zstd.decompress(frame), data);
      const samples = Array.from({ length: 200 }, (_, i) => textData(2000, i));
      const dict = zstd.trainDictionary(8192, samples);
      const withDict = zstd.compress(samples[3], { dictData: dict });
      expectSameBytes(zstd.decompress(withDict, { dictData: dict }), samples[3]);
      expect(() => zstd.decompress(withDict)).toThrow(isZstdError('dictionary_wrong'));
      const params = new zstd.ZstdCompressionParameters({ windowLog: 12, strategy: zstd.STRATEGY_FAST });
      expectSameBytes(zstd.decompress(zstd.compress(data, { compressionParams: params })), data);
      dict.free();
    });

    test('every input type, and strings as UTF-8', () => {
      const frame = zstd.compress(data);
      for (const x of [inputsOf(data), inputsOf(frame)]) x.release();
      const plain = inputsOf(data);
      for (const input of plain.inputs) {
        const expected = input instanceof Uint16Array ? bytesOf(input) : data;
        expectSameBytes(zstd.decompress(zstd.compress(input)), expected);
      }
      plain.release();
      const frames = inputsOf(frame);
      for (const input of frames.inputs.filter((x) => !(x instanceof Uint16Array))) expectSameBytes(zstd.decompress(input), data);
      frames.release();
      expect(Buffer.from(zstd.decompress(zstd.compress('héllo ✓'))).toString()).toBe('héllo ✓');
      expect(zstd.decompress(zstd.compress(new Uint8Array(0)))).toHaveLength(0);
    });

    test('every frame, concatenated; skippable frames skipped; no content size needed', () => {
      const a = textData(5000, 1),
        b = randomData(70000, 2);
      const noSize = zstdCli(['-c', '-q'], Buffer.from(b));
      const skippable = Buffer.from([0x5f, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 1, 2]);
      const all = Buffer.concat([skippable, zstd.compress(a), skippable, noSize]);
      expectSameBytes(zstd.decompress(all), Buffer.concat([a, b]));
      expectSameBytes(zstd.decompress(all, { maxOutputSize: a.length + b.length }), Buffer.concat([a, b]));
      expect(() => zstd.decompress(all, { maxOutputSize: a.length + b.length - 1 })).toThrow(isZstdError('output_too_large'));
    });

    test('errors: bad arguments, bad data', () => {
      for (const bad of [null, undefined, 42, {}, [1, 2]]) {
        expect(() => zstd.compress(bad)).toThrow(TypeError);
        expect(() => zstd.decompress(bad)).toThrow(TypeError);
      }
      expect(() => zstd.compress(data, '3')).toThrow(TypeError);
      expect(() => zstd.compress(data, 99)).toThrow(RangeError);
      expect(() => zstd.compress(data, 1.5)).toThrow(RangeError);
      expect(() => zstd.compress(data, { levle: 3 })).toThrow(TypeError);
      expect(() => zstd.decompress(zstd.compress(data), { readAcrossFrames: false })).toThrow(TypeError);
      expect(() => zstd.decompress(zstd.compress(data), { maxOutputSize: -1 })).toThrow(RangeError);
      expect(() => zstd.decompress(zstd.compress(data), 3)).toThrow(TypeError);
      expect(() => zstd.decompress(new Uint8Array(0))).toThrow(isZstdError('src_size_wrong'));
      expect(() => zstd.decompress(Buffer.from('not a zstd frame'))).toThrow(isZstdError('prefix_unknown'));
      const frame = zstd.compress(data);
      expect(() => zstd.decompress(frame.subarray(0, frame.length - 3))).toThrow(isZstdError('src_size_wrong'));
      expect(() => zstd.decompress(frame, { maxWindowSize: 1024 })).toThrow(isZstdError('frame_parameter_window_too_large'));
      // The cached contexts keep working after every error.
      expectSameBytes(zstd.decompress(frame), data);
    });

    test('a loop of one-liners leaks nothing and keeps a few cached contexts', () => {
      const small = textData(1000, 9);
      for (const level of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) zstd.decompress(zstd.compress(small, level));
      const before = zstd.memory.totalAllocatedBytes();
      for (let i = 0; i < 20000; i++) zstd.decompress(zstd.compress(small, 1 + (i % 10)));
      // Levels above the cache's size are made again, never kept.
      expect(zstd.memory.totalAllocatedBytes()).toBeLessThanOrEqual(before * 1.1);
    });
  });

  describe('compressAsync / decompressAsync', () => {
    test('the same results as the sync forms, for every input type', async () => {
      for (const level of [1, 3, 9]) {
        const sync = zstd.compress(data, level);
        expectSameBytes(await zstd.compressAsync(data, level), sync);
        expectSameBytes(await zstd.decompressAsync(sync), data);
      }
      const plain = inputsOf(data);
      for (const input of plain.inputs) {
        const expected = input instanceof Uint16Array ? bytesOf(input) : data;
        const frame = await zstd.compressAsync(input);
        expectSameBytes(frame, zstd.compress(input));
        expectSameBytes(await zstd.decompressAsync(frame), expected);
      }
      plain.release();
      const frames = inputsOf(zstd.compress(data));
      for (const input of frames.inputs.filter((x) => !(x instanceof Uint16Array)))
        expectSameBytes(await zstd.decompressAsync(input), data);
      frames.release();
      expect(await zstd.decompressAsync(await zstd.compressAsync(''))).toHaveLength(0);
      expect(Buffer.from(await zstd.decompressAsync(await zstd.compressAsync('héllo ✓'))).toString()).toBe('héllo ✓');
    });

    test('on ZstdCompressor / ZstdDecompressor, with their options', async () => {
      const c = new zstd.ZstdCompressor({ level: 7, writeChecksum: true });
      const d = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 27 });
      const big = textData(3 * MiB, 5);
      const frame = await c.compressAsync(big);
      expectSameBytes(frame, c.compress(big));
      expectSameBytes(await d.decompressAsync(frame), big);
      const two = Buffer.concat([frame, zstd.compress(data)]);
      expectSameBytes(await d.decompressAsync(two), big); // the first frame only, as decompress()
      expectSameBytes(await d.decompressAsync(two, { readAcrossFrames: true }), Buffer.concat([big, data]));
      await expect(d.decompressAsync(frame, { maxOutputSize: 100 })).rejects.toEqual(isZstdError('output_too_large'));
      c.free();
      d.free();
      await expect(c.compressAsync(big)).rejects.toEqual(isZstdError('freed'));
      await expect(d.decompressAsync(frame)).rejects.toEqual(isZstdError('freed'));
    });

    (threaded ? test : test.skip)('threads: one-shot and async calls cut the input into two jobs per worker', async () => {
      // Level 3 has a 2 MiB window, so zstd's default job is 8 MiB: all of this input, on one worker.
      const big = textData(8 * MiB, 6);
      const table = zstd.ZstdCompressionParameters.fromLevel(3, { sourceSize: big.length });
      const fields = Object.fromEntries(
        ['windowLog', 'chainLog', 'hashLog', 'searchLog', 'minMatch', 'targetLength', 'strategy'].map((k) => [k, table[k]]),
      );
      const withJobs = (jobSize) => {
        const params = new zstd.ZstdCompressionParameters({ ...fields, jobSize, threads: 2 });
        const c = new zstd.ZstdCompressor({ compressionParams: params });
        const frame = c.compress(big);
        c.free();
        return frame;
      };
      const c = new zstd.ZstdCompressor({ level: 3, threads: 2 });
      const frame = c.compress(big);
      expectSameBytes(frame, withJobs(2 * MiB));
      expect(Buffer.compare(frame, withJobs(8 * MiB))).not.toBe(0);
      expectSameBytes(await c.compressAsync(big), frame); // on the job thread: the same policy
      expectSameBytes(await zstd.compressAsync(big, { level: 3, threads: 2 }), frame);
      c.free();
    });

    test('errors are the sync ones, as rejections; nothing leaks', async () => {
      const frame = zstd.compress(textData(2 * MiB, 6));
      await zstd.decompressAsync(frame);
      const before = zstd.memory.totalAllocatedBytes();
      const corrupt = Buffer.from(frame);
      corrupt[corrupt.length >> 1] ^= 0x5a;
      const noSize = zstdCli(['-c', '-q'], Buffer.from(textData(2 * MiB, 7)));
      const cases = [
        frame.subarray(0, frame.length - 3),
        corrupt,
        new Uint8Array(0),
        Buffer.from('not a zstd frame'),
        Buffer.from([0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0]),
        noSize.subarray(0, noSize.length >> 1),
      ];
      for (const input of cases) {
        let expected = null;
        try {
          zstd.decompress(input);
        } catch (e) {
          expected = e.code;
        }
        expect(expected).not.toBeNull();
        await expect(zstd.decompressAsync(input)).rejects.toEqual(isZstdError(expected));
      }
      await expect(zstd.decompressAsync(noSize, { maxOutputSize: MiB })).rejects.toEqual(isZstdError('output_too_large'));
      await expect(zstd.compressAsync(null)).rejects.toThrow(TypeError);
      await expect(zstd.compressAsync(data, 99)).rejects.toThrow(RangeError);
      await expect(zstd.decompressAsync(frame, { nope: 1 })).rejects.toThrow(TypeError);
      expect(zstd.memory.totalAllocatedBytes()).toBeLessThanOrEqual(before);
    });

    test('several calls at once, on one compressor and on the one-liners, with sync calls between', async () => {
      const inputs = Array.from({ length: 6 }, (_, i) => textData(MiB + i * 1000, 20 + i));
      const expected = inputs.map((x) => zstd.compress(x, 5));
      const c = new zstd.ZstdCompressor({ level: 5 });
      const pending = inputs.map((x, i) => (i % 2 ? c.compressAsync(x) : zstd.compressAsync(x, 5)));
      inputs.forEach((x, i) => expectSameBytes(c.compress(x), expected[i]));
      c.free(); // the calls in flight have contexts of their own
      const frames = await Promise.all(pending);
      frames.forEach((f, i) => expectSameBytes(f, expected[i]));
      const decoded = await Promise.all(frames.map((f) => zstd.decompressAsync(f)));
      decoded.forEach((x, i) => expectSameBytes(x, inputs[i]));
    });

    test('freeing the object right after an async call is made leaves the call working', async () => {
      // 48 MiB of incompressible bytes: staging them takes more than one slice, so the free()
      // below runs while the input is still being copied in, before the context is used.
      const big = randomData(48 * MiB, 9);
      const before = zstd.memory.totalAllocatedBytes();
      const c = new zstd.ZstdCompressor({ level: 1 });
      const pending = c.compressAsync(big);
      c.free();
      const frame = await pending;
      const d = new zstd.ZstdDecompressor();
      const back = d.decompressAsync(frame);
      d.free();
      expectSameBytes(await back, big);
      expect(() => c.compress(big)).toThrow(expect.objectContaining({ code: 'freed' }));
      await expect(d.decompressAsync(frame)).rejects.toEqual(expect.objectContaining({ code: 'freed' }));
      expect(zstd.memory.totalAllocatedBytes()).toBeLessThanOrEqual(before);
    });

    test('a 64 MiB level-9 compress keeps a 5 ms setInterval ticking', async () => {
      const big = textData(64 * MiB, 11);
      const c = new zstd.ZstdCompressor({ level: 9, threads: threaded ? 2 : 0 });
      await c.compressAsync(textData(MiB, 1)); // warm up (workers started)
      const comp = await whileTicking(() => c.compressAsync(big));
      const decomp = await whileTicking(() => zstd.decompressAsync(comp.result));
      for (const run of [comp, decomp]) {
        // A blocked thread would give no tick at all until the end. (A tick every 50 ms at least:
        // on a loaded machine, with the other test files running, 18 of 116 ideal ticks were seen.)
        expect(run.ticks).toBeGreaterThanOrEqual(Math.floor((run.elapsed / 5) * 0.1));
        expect(run.maxGap).toBeLessThan(200); // one slice is ~4 ms; Jest and a loaded machine add the rest
      }
      expectSameBytes(decomp.result, big);
      // The same frame as the sync call (which, for contrast, blocks: no tick while it runs).
      const sync = await whileTicking(() => c.compress(big));
      expect(sync.ticks).toBe(0);
      expectSameBytes(comp.result, sync.result);
      c.free();
    });
  });
};
