// chunker(): exact chunk sizes, flush() and finish(), errors.
const { concat, expectDecodes, expectSameBytes, isZstdError, mem, split, zstd, zstdCli } = require('./common.cjs');

module.exports = function suite(f) {
  const { text, rnd, mixed } = f;
  let c, d;
  beforeAll(() => ({ c, d } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

  describe('chunker', () => {
    test('compress() gives chunks of exactly chunkSize; flush() full chunks then the rest; finish() the end', () => {
      const k = c.chunker({ chunkSize: 10000 });
      const all = [];
      const reader = d.decompressobj();
      let fed = 0;
      for (const piece of split(mixed, [300000, 1, 50000])) {
        const chunks = k.compress(piece);
        fed += piece.length;
        expect(Array.isArray(chunks)).toBe(true);
        for (const ch of chunks) expect(ch.length).toBe(10000);
        all.push(...chunks);
        if (fed > 400000 && fed < 500000) {
          // flush(): everything so far is decodable.
          const flushed = k.flush();
          expect(flushed.length).toBeGreaterThanOrEqual(1);
          flushed.slice(0, -1).forEach((ch) => expect(ch.length).toBe(10000));
          expect(flushed.at(-1).length).toBeGreaterThan(0);
          expect(flushed.at(-1).length).toBeLessThanOrEqual(10000);
          all.push(...flushed);
          expectSameBytes(reader.decompress(concat(all)), mixed.subarray(0, fed));
          all.length = 0;
        }
      }
      const last = k.finish();
      last.slice(0, -1).forEach((ch) => expect(ch.length).toBe(10000));
      expect(last.at(-1).length).toBeLessThanOrEqual(10000);
      all.push(...last);
      reader.decompress(concat(all));
      expect(reader.eof).toBe(true);
      expect(mem()).toBe(baseline);
      expect(() => k.compress('x')).toThrow(isZstdError('invalid_state'));
      expect(() => k.flush()).toThrow(isZstdError('invalid_state'));
      expect(() => k.finish()).toThrow(isZstdError('invalid_state'));
    });

    test('the default chunkSize is 131072; size writes the content size; the CLI decodes', () => {
      const k = c.chunker({ size: rnd.length });
      const chunks = [...k.compress(rnd), ...k.finish()];
      chunks.slice(0, -1).forEach((ch) => expect(ch.length).toBe(131072));
      const frame = concat(chunks);
      expect(chunks.length).toBe(Math.ceil(frame.length / 131072));
      expect(zstd.getFrameParameters(frame).contentSize).toBe(rnd.length);
      expectSameBytes(zstdCli(['-d', '-c'], frame), rnd);
      // An empty frame is one short chunk.
      const e = c.chunker({ chunkSize: 1 << 20 });
      expect(e.compress(new Uint8Array(0))).toEqual([]);
      const end = e.finish();
      expect(end.length).toBe(1);
      expect(d.decompressobj().decompress(end[0]).length).toBe(0);
      // A wrong size shows at finish().
      const wrong = c.chunker({ size: 10 });
      wrong.compress('12345');
      expect(() => wrong.finish()).toThrow(isZstdError('src_size_wrong'));
      wrong.free();
      expect(mem()).toBe(baseline);
    });

    test('tiny chunks: chunkSize 1', () => {
      const k = c.chunker({ chunkSize: 1 });
      const chunks = [...k.compress(text.subarray(0, 5000)), ...k.flush(), ...k.compress('tail'), ...k.finish()];
      chunks.forEach((ch) => expect(ch.length).toBe(1));
      expectDecodes(concat(chunks), concat([text.subarray(0, 5000), Buffer.from('tail')]));
    });

    test('free(), bad arguments', () => {
      const k = c.chunker();
      k.compress(text.subarray(0, 100000));
      k.free();
      expect(mem()).toBe(baseline);
      expect(() => k.compress('x')).toThrow(isZstdError('freed'));
      expect(() => k.finish()).toThrow(isZstdError('freed'));
      expect(() => c.chunker({ chunkSize: 0 })).toThrow(RangeError);
      expect(() => c.chunker({ chunkSize: 2.5 })).toThrow(RangeError);
      expect(() => c.chunker({ chunkSize: '64' })).toThrow(TypeError);
      expect(() => c.chunker({ size: -2 })).toThrow(RangeError);
      const k2 = c.chunker();
      expect(() => k2.compress(Symbol('x'))).toThrow(TypeError);
      k2.free();
      expect(mem()).toBe(baseline);
    });
  });
};
