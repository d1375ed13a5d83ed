// compressobj(): compress() pieces, FLUSH_BLOCK / FLUSH_FRAME, sizes, errors, lifetime.
const {
  caughtSync,
  concat,
  decodeText,
  expectDecodes,
  expectSameBytes,
  frameOf,
  isZstdError,
  mem,
  split,
  zstd,
  zstdCli,
} = require('./common.cjs');

module.exports = function suite(f) {
  const { text, mixed } = f;
  let c, d;
  beforeAll(() => ({ c, d } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

  describe('compressobj', () => {
    test('compress() pieces plus flush() make one frame that decodes (one-shot, decompressobj and the CLI)', () => {
      for (const sizes of [[1 << 20], [1, 1000, 65536, 0, 300001], [131072], [7]]) {
        const input = sizes[0] === 7 ? mixed.subarray(0, 5000) : mixed;
        const o = c.compressobj();
        const parts = split(input, sizes).map((p) => o.compress(p));
        for (const p of parts) expect(p).toBeInstanceOf(Uint8Array);
        parts.push(o.flush());
        const frame = concat(parts);
        expect(zstd.getFrameParameters(frame).contentSize).toBe(-1);
        expectDecodes(frame, input);
        const back = d.decompressobj();
        expectSameBytes(back.decompress(frame), input);
        expect(back.eof).toBe(true);
        expectSameBytes(zstdCli(['-d', '-c'], frame), input);
      }
      expect(mem()).toBe(baseline);
    });

    test('size: the content size is written in the frame header; an empty input gives a valid frame', () => {
      const o = c.compressobj({ size: mixed.length });
      const frame = concat([...split(mixed, [400000]).map((p) => o.compress(p)), o.flush()]);
      expect(zstd.getFrameParameters(frame).contentSize).toBe(mixed.length);
      expectDecodes(frame, mixed);
      for (const options of [undefined, { size: 0 }]) {
        const e = c.compressobj(options);
        const empty = e.flush();
        // Without size, zstd may still write 0: the frame ended before any input came.
        expect(options ? [0] : [0, -1]).toContain(zstd.getFrameParameters(empty).contentSize);
        expect(d.decompressobj().decompress(empty).length).toBe(0);
        expect(zstdCli(['-d', '-c'], empty).length).toBe(0);
      }
      expect(mem()).toBe(baseline);
    });

    test('compressor options apply (level, checksum, no content size, threads)', () => {
      const fast = new zstd.ZstdCompressor({ level: 1, writeChecksum: true, writeContentSize: false, threads: 2 });
      const best = new zstd.ZstdCompressor({ level: 19 });
      const o1 = fast.compressobj({ size: text.length });
      const f1 = concat([o1.compress(text), o1.flush()]);
      const o2 = best.compressobj();
      const f2 = concat([o2.compress(text.subarray(0, 1 << 20)), o2.flush()]);
      const p1 = zstd.getFrameParameters(f1);
      expect(p1.hasChecksum).toBe(true);
      expect(p1.contentSize).toBe(-1);
      expectDecodes(f1, text);
      expectDecodes(f2, text.subarray(0, 1 << 20));
      expect(f2.length).toBeLessThan(frameOf(text.subarray(0, 1 << 20), { level: 1 }).length);
      fast.free();
      best.free();
    });

    test('flush(FLUSH_BLOCK) makes everything so far decodable, and may be repeated', () => {
      const o = c.compressobj();
      const reader = d.decompressobj();
      let fed = 0;
      for (const piece of split(mixed, [1, 100000, 0, 250000, 3333])) {
        if (fed >= 700000) break;
        const out = concat([o.compress(piece), o.flush(zstd.FLUSH_BLOCK)]);
        fed += piece.length;
        expectSameBytes(concat([reader.decompress(out)]), piece);
        expect(reader.eof).toBe(false);
        // Nothing new: a second block flush has nothing to say, or at most an empty block.
        expect(o.flush(zstd.FLUSH_BLOCK).length).toBeLessThanOrEqual(3);
      }
      const end = o.flush(zstd.FLUSH_FRAME);
      expect(reader.decompress(end).length).toBe(0);
      expect(reader.eof).toBe(true);
      expect(mem()).toBe(baseline);
    });

    test('flush(FLUSH_FRAME) (the default) finishes: memory released, further use is invalid_state', () => {
      const o = c.compressobj();
      o.compress(text.subarray(0, 200000));
      expect(mem()).toBeGreaterThan(baseline);
      o.flush();
      expect(mem()).toBe(baseline);
      expect(() => o.compress('more')).toThrow(isZstdError('invalid_state'));
      expect(() => o.flush()).toThrow(isZstdError('invalid_state'));
      expect(() => o.flush(zstd.FLUSH_BLOCK)).toThrow(isZstdError('invalid_state'));
      const o2 = c.compressobj();
      o2.flush(zstd.FLUSH_FRAME);
      expect(() => o2.compress('x')).toThrow(isZstdError('invalid_state'));
    });

    test('free(): memory released, twice harmless, later use is freed; Symbol.dispose frees', () => {
      const o = c.compressobj();
      o.compress(text.subarray(0, 100000));
      o.free();
      o.free();
      expect(mem()).toBe(baseline);
      expect(() => o.compress('x')).toThrow(isZstdError('freed'));
      expect(() => o.flush()).toThrow(isZstdError('freed'));
      const o2 = c.compressobj();
      o2[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
      expect(() => o2.compress('x')).toThrow(isZstdError('freed'));
      expect(mem()).toBe(baseline);
    });

    test('a size that does not match the data: src_size_wrong at flush; free() then releases everything', () => {
      const short = c.compressobj({ size: 1000 });
      short.compress(text.subarray(0, 999));
      expect(() => short.flush()).toThrow(isZstdError('src_size_wrong'));
      short.free();
      const long = c.compressobj({ size: 1000 });
      const e = caughtSync(() => {
        long.compress(text.subarray(0, 1001));
        long.flush();
      });
      expect(e).toEqual(isZstdError('src_size_wrong'));
      long.free();
      expect(mem()).toBe(baseline);
      // The compressor keeps working.
      const ok = c.compressobj({ size: 3 });
      expect(decodeText(concat([ok.compress('abc'), ok.flush()]))).toBe('abc');
    });

    test('bad arguments: TypeError / RangeError, nothing leaks', () => {
      const o = c.compressobj();
      for (const mode of [0, 3, -1, 'block', '1', null, 1.5]) expect(() => o.flush(mode)).toThrow(RangeError);
      for (const bad of [42, null, undefined, {}, [1, 2], true]) expect(() => o.compress(bad)).toThrow(TypeError);
      // The object is still usable after argument errors.
      expect(decodeText(concat([o.compress('still fine'), o.flush()]))).toBe('still fine');
      expect(() => c.compressobj({ size: -1 })).toThrow(RangeError);
      expect(() => c.compressobj({ size: 1.5 })).toThrow(RangeError);
      expect(() => c.compressobj({ size: '10' })).toThrow(TypeError);
      expect(() => c.compressobj(5)).toThrow(TypeError);
      expect(mem()).toBe(baseline);
    });

    test('every data input kind, strings as UTF-8', () => {
      const o = c.compressobj();
      const wb = zstd.allocBuffer(6);
      wb.view().set(Buffer.from('wasm:)'));
      const bytes = (str) => Uint8Array.from(Buffer.from(str)); // a buffer of its own (small Buffers share a pool)
      const inputs = [
        'héllo ✓ ',
        Buffer.from('buffer '),
        new Uint16Array([0x6968, 0x2021]),
        new DataView(bytes('dv ').buffer),
        bytes('ab ').buffer,
        new SharedArrayBuffer(2),
        wb,
        wb.view(),
      ];
      const out = concat([...inputs.map((x) => o.compress(x)), o.flush()]);
      const expected = concat([
        Buffer.from('héllo ✓ '),
        Buffer.from('buffer '),
        Buffer.from([0x68, 0x69, 0x21, 0x20]),
        Buffer.from('dv '),
        Buffer.from('ab '),
        new Uint8Array(2),
        Buffer.from('wasm:)'),
        Buffer.from('wasm:)'),
      ]);
      expectDecodes(out, expected);
      wb.free();
      expect(mem()).toBe(baseline);
    });
  });
};
