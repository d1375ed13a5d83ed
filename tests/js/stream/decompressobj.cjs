// decompressobj(): every input kind and split, eof and unusedData, readAcrossFrames, errors.
const { caughtSync, concat, expectSameBytes, frameOf, isZstdError, mem, skippable, split, zstd, zstdCli } = require('./common.cjs');

module.exports = function suite(f) {
  const { text, mixed } = f;
  let d, mixedFrame, textFrame;
  beforeAll(() => ({ d, mixedFrame, textFrame } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

  describe('decompressobj', () => {
    test('any split of a frame decodes to the input; flush() is empty; eof after the frame', () => {
      for (const sizes of [[1], [2, 3, 5, 7], [65536], [1 << 20, 1], [mixedFrame.length]]) {
        const frame = sizes[0] === 1 ? frameOf(mixed.subarray(0, 3000)) : mixedFrame;
        const expected = sizes[0] === 1 ? mixed.subarray(0, 3000) : mixed;
        const o = d.decompressobj();
        const out = [];
        for (const piece of split(frame, sizes)) {
          expect(o.eof).toBe(false);
          out.push(o.decompress(piece));
        }
        expect(o.eof).toBe(true);
        expect(o.unusedData.length).toBe(0);
        const f = o.flush();
        expect(f).toBeInstanceOf(Uint8Array);
        expect(f.length).toBe(0);
        expectSameBytes(concat(out), expected);
      }
      expect(mem()).toBe(baseline);
    });

    test('frames without content size, with checksum, from the CLI, with the magicless format', () => {
      const noSize = frameOf(text, { writeContentSize: false, writeChecksum: true, level: 5 });
      const n = d.decompressobj();
      expectSameBytes(concat(split(noSize, [100000]).map((p) => n.decompress(p))), text);
      expect(n.eof).toBe(true);
      const cli = zstdCli(['-c', '-q', '-'], Buffer.from(mixed));
      const o = d.decompressobj();
      expectSameBytes(concat(split(cli, [33333]).map((p) => o.decompress(p))), mixed);
      expect(o.eof).toBe(true);
      const magicless = new zstd.ZstdDecompressor({ format: 'magicless' });
      const m = magicless.decompressobj();
      expectSameBytes(m.decompress(mixedFrame.subarray(4)), mixed);
      expect(m.eof).toBe(true);
      magicless.free();
      expect(mem()).toBe(baseline);
    });

    test('stops at the end of the first frame: eof, unusedData, and invalid_state afterwards; memory released at eof', () => {
      const a = frameOf('first frame');
      const b = frameOf('second frame');
      const trailing = concat([b, Buffer.from('trailing')]);
      // The frame ends in the middle of the last call: the rest of that call is unusedData.
      const o = d.decompressobj();
      expect(Buffer.from(o.decompress(a.subarray(0, 5))).toString()).toBe('');
      expect(mem()).toBeGreaterThan(baseline);
      expect(Buffer.from(o.decompress(concat([a.subarray(5), trailing]))).toString()).toBe('first frame');
      expect(o.eof).toBe(true);
      expectSameBytes(o.unusedData, trailing);
      expect(mem()).toBe(baseline);
      expect(() => o.decompress(b)).toThrow(isZstdError('invalid_state'));
      expect(o.flush().length).toBe(0);
      // The frame ends exactly with a call: no unused data.
      const exact = d.decompressobj();
      exact.decompress(a);
      expect(exact.eof).toBe(true);
      expect(exact.unusedData.length).toBe(0);
      // A large frame followed by bytes in the same call.
      const big = d.decompressobj();
      expectSameBytes(big.decompress(concat([mixedFrame, b])), mixed);
      expect(big.eof).toBe(true);
      expectSameBytes(big.unusedData, b);
      expect(mem()).toBe(baseline);
    });

    test('readAcrossFrames: concatenated frames, skippable frames skipped, eof never true', () => {
      const frames = [
        frameOf('one '),
        skippable(10),
        frameOf(text.subarray(0, 300000), { writeContentSize: false }),
        skippable(0, 15),
        frameOf('three'),
      ];
      const all = concat(frames);
      const expected = concat([Buffer.from('one '), text.subarray(0, 300000), Buffer.from('three')]);
      for (const sizes of [[all.length], [1, 2, 3], [4096], [9, 100000]]) {
        const o = d.decompressobj({ readAcrossFrames: true });
        const out = concat(split(all, sizes).map((p) => o.decompress(p)));
        expect(o.eof).toBe(false);
        expect(o.unusedData.length).toBe(0);
        expectSameBytes(out, expected);
        o.free();
      }
      expect(mem()).toBe(baseline);
    });

    test('corrupt input: ZstdError, memory released by free(), the decompressor keeps working', () => {
      const bad = [
        ['not zstd', Buffer.from('definitely not a zstd frame')],
        [
          'bad block',
          (() => {
            const f = textFrame.slice();
            for (let i = 2000; i < 2100; i++) f[i] ^= 0x5a;
            return f;
          })(),
        ],
        [
          'bad checksum',
          (() => {
            const f = textFrame.slice();
            f[f.length - 1] ^= 0xff;
            return f;
          })(),
        ],
        ['reserved block type', Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x07, 0x00, 0x00)],
      ];
      for (const [name, frame] of bad) {
        const o = d.decompressobj();
        const e = caughtSync(() => {
          for (const p of split(frame, [65536])) o.decompress(p);
        });
        expect([name, e]).toEqual([name, expect.any(zstd.ZstdError)]);
        if (name === 'bad checksum') expect(e.code).toBe('checksum_wrong');
        if (name === 'not zstd') expect(e.code).toBe('prefix_unknown');
        o.free();
        expect(mem()).toBe(baseline);
      }
      const o = d.decompressobj();
      expectSameBytes(o.decompress(textFrame), text);
    });

    test('a truncated frame: no error and no eof (more may come)', () => {
      const o = d.decompressobj();
      const out = o.decompress(mixedFrame.subarray(0, mixedFrame.length - 10));
      expect(o.eof).toBe(false);
      expect(out.length).toBeLessThan(mixed.length);
      expectSameBytes(out, mixed.subarray(0, out.length));
      o.free();
      expect(mem()).toBe(baseline);
    });

    test('maxWindowSize: a larger window is frame_parameter_window_too_large', () => {
      const wide = zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed)); // stdin: window stays 8 MiB
      expect(zstd.getFrameParameters(wide).windowSize).toBe(1 << 23);
      const strict = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 22 });
      const o = strict.decompressobj();
      expect(() => o.decompress(wide)).toThrow(isZstdError('frame_parameter_window_too_large'));
      o.free();
      const roomy = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 23 });
      expectSameBytes(roomy.decompressobj().decompress(wide), mixed);
      strict.free();
      roomy.free();
      expect(mem()).toBe(baseline);
    });

    test('free(), Symbol.dispose and bad arguments', () => {
      const o = d.decompressobj();
      o.decompress(mixedFrame.subarray(0, 1000));
      o.free();
      o.free();
      expect(mem()).toBe(baseline);
      expect(() => o.decompress(mixedFrame)).toThrow(isZstdError('freed'));
      const o2 = d.decompressobj();
      o2[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
      expect(() => o2.decompress('x')).toThrow(isZstdError('freed'));
      const o3 = d.decompressobj();
      for (const bad of [42, null, undefined, {}, [1]]) expect(() => o3.decompress(bad)).toThrow(TypeError);
      expectSameBytes(o3.decompress(mixedFrame), mixed);
      expect(() => d.decompressobj(7)).toThrow(TypeError);
      expect(mem()).toBe(baseline);
    });

    test('every data input kind, including a WasmBuffer and its view', () => {
      const frame = frameOf(mixed.subarray(0, 500000), { writeContentSize: false });
      const wb = zstd.allocBuffer(frame.length);
      wb.view().set(frame);
      for (const input of [Buffer.from(frame), frame.slice().buffer, new DataView(frame.slice().buffer), wb, wb.view()]) {
        const o = d.decompressobj();
        expectSameBytes(o.decompress(input), mixed.subarray(0, 500000));
        expect(o.eof).toBe(true);
      }
      // unusedData after a frame passed as a WasmBuffer is a JS-owned copy.
      const tail = zstd.allocBuffer(frame.length + 4);
      tail.view().set(frame);
      tail.view().set([1, 2, 3, 4], frame.length);
      const o = d.decompressobj();
      o.decompress(tail);
      expect(Array.from(o.unusedData)).toEqual([1, 2, 3, 4]);
      tail.free();
      wb.free();
      expect(Array.from(o.unusedData)).toEqual([1, 2, 3, 4]);
      expect(mem()).toBe(baseline);
    });
  });
};
