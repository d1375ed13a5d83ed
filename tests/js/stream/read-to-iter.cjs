// readToIter() of compressors and decompressors: every source kind, sizes, skipBytes, errors.
const {
  Readable,
  ReadableStream,
  caught,
  collect,
  concat,
  expectDecodes,
  expectSameBytes,
  frameOf,
  fs,
  isZstdError,
  mem,
  path,
  skippable,
  split,
  tmpDir,
  zstd,
  zstdCli,
} = require('./common.cjs');

module.exports = function suite(f) {
  const { text, rnd, mixed, sourceKinds, release } = f;
  let c, d, mixedFrame, textFrame;
  beforeAll(() => ({ c, d, mixedFrame, textFrame } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

  describe('readToIter', () => {
    test.each(sourceKinds)('compressor, source %s: one frame that decodes to the input', async (_, make) => {
      const source = make(mixed);
      const chunks = await collect(c.readToIter(source));
      release(source);
      chunks.forEach((ch) => expect(ch).toBeInstanceOf(Uint8Array));
      const frame = concat(chunks);
      expectDecodes(frame, mixed);
      expect(mem()).toBe(baseline);
    });

    test.each(sourceKinds)('decompressor, source %s: decodes', async (_, make) => {
      const source = make(mixedFrame);
      const chunks = await collect(d.readToIter(source));
      release(source);
      expectSameBytes(concat(chunks), mixed);
      expect(mem()).toBe(baseline);
    });

    test('Node file streams both ways; a string source is UTF-8', async () => {
      const dir = tmpDir();
      const file = path.join(dir, 'in.bin');
      fs.writeFileSync(file, mixed);
      const frame = concat(await collect(c.readToIter(fs.createReadStream(file, { highWaterMark: 40000 }))));
      expectDecodes(frame, mixed);
      fs.writeFileSync(file + '.zst', frame);
      expectSameBytes(concat(await collect(d.readToIter(fs.createReadStream(file + '.zst')))), mixed);
      const str = 'streaming ✓ ünïcode — '.repeat(1000);
      expectSameBytes(concat(await collect(d.readToIter(concat(await collect(c.readToIter(str)))))), Buffer.from(str));
      fs.rmSync(dir, { recursive: true });
      expect(mem()).toBe(baseline);
    });

    test('readSize and writeSize: every output chunk is at most writeSize bytes', async () => {
      for (const [readSize, writeSize] of [
        [1, 7],
        [1000, 100],
        [1 << 20, 1 << 20],
        [100000, 1],
      ]) {
        const input = writeSize === 1 || readSize === 1 ? mixed.subarray(0, 20000) : mixed;
        const chunks = await collect(c.readToIter(input, { readSize, writeSize }));
        for (const ch of chunks) {
          expect(ch.length).toBeGreaterThan(0);
          expect(ch.length).toBeLessThanOrEqual(writeSize);
        }
        const frame = concat(chunks);
        expectDecodes(frame, input);
        const out = await collect(d.readToIter(frame, { readSize, writeSize }));
        for (const ch of out) expect(ch.length).toBeLessThanOrEqual(writeSize);
        expectSameBytes(concat(out), input);
      }
      expect(mem()).toBe(baseline);
    });

    test('compressor: size gives the content size; a wrong size is src_size_wrong; empty source', async () => {
      const frame = concat(await collect(c.readToIter(Readable.from([rnd]), { size: rnd.length })));
      expect(zstd.getFrameParameters(frame).contentSize).toBe(rnd.length);
      const e = await caught(() => collect(c.readToIter(rnd, { size: rnd.length + 1 })));
      expect(e).toEqual(isZstdError('src_size_wrong'));
      const empty = concat(await collect(c.readToIter([])));
      expect([0, -1]).toContain(zstd.getFrameParameters(empty).contentSize);
      expect(concat(await collect(d.readToIter(empty))).length).toBe(0);
      expect(await collect(d.readToIter(new Uint8Array(0)))).toEqual([]);
      expect(mem()).toBe(baseline);
    });

    test('decompressor: concatenated and skippable frames (readAcrossFrames default true), or the first frame only', async () => {
      const parts = [
        skippable(100),
        frameOf('alpha '),
        frameOf(text.subarray(0, 500000), { writeContentSize: false }),
        skippable(3, 7),
        frameOf('omega'),
      ];
      const all = concat(parts);
      const expected = concat([Buffer.from('alpha '), text.subarray(0, 500000), Buffer.from('omega')]);
      for (const readSize of [1, 13, 8192, 1 << 20]) {
        const source = readSize === 1 ? concat([skippable(1), frameOf('x'), skippable(2), frameOf('yz')]) : all;
        const want = readSize === 1 ? Buffer.from('xyz') : expected;
        expectSameBytes(concat(await collect(d.readToIter(source, { readSize }))), want);
      }
      const first = await collect(d.readToIter(all.subarray(skippable(100).length), { readAcrossFrames: false }));
      expect(Buffer.from(concat(first)).toString()).toBe('alpha ');
      // readAcrossFrames false: bytes after the first frame are not read at all, even garbage.
      const firstOnly = await collect(
        d.readToIter(concat([frameOf('only'), Buffer.from('garbage!')]), { readAcrossFrames: false, readSize: 3 }),
      );
      expect(Buffer.from(concat(firstOnly)).toString()).toBe('only');
      expect(mem()).toBe(baseline);
    });

    test('decompressor: skipBytes skips a prefix, across source chunks', async () => {
      const prefix = Buffer.from('HEADER-0123456789');
      const source = concat([prefix, mixedFrame]);
      for (const readSize of [1, 5, 1 << 16]) {
        expectSameBytes(concat(await collect(d.readToIter(source, { skipBytes: prefix.length, readSize }))), mixed);
      }
      expectSameBytes(
        concat(await collect(d.readToIter(Readable.from(split(source, [3, 4, 100000])), { skipBytes: prefix.length }))),
        mixed,
      );
      expect(await caught(() => collect(d.readToIter(source, { skipBytes: 3 })))).toEqual(expect.any(zstd.ZstdError));
      expect(mem()).toBe(baseline);
    });

    test('decompressor: truncated source is a ZstdError at the end, after the data that decoded', async () => {
      for (const cut of [1, 10, mixedFrame.length >> 1, mixedFrame.length - 1]) {
        const got = [];
        const e = await caught(async () => {
          for await (const ch of d.readToIter(mixedFrame.subarray(0, cut), { writeSize: 65536 })) got.push(ch);
        });
        expect(e).toEqual(expect.any(zstd.ZstdError));
        expect(['src_size_wrong', 'corruption_detected']).toContain(e.code);
        const out = concat(got);
        expectSameBytes(out, mixed.subarray(0, out.length));
        expect(mem()).toBe(baseline);
      }
      // Truncated in the second frame, too.
      const e = await caught(() => collect(d.readToIter(concat([frameOf('one'), frameOf('two').subarray(0, 8)]))));
      expect(['src_size_wrong', 'corruption_detected']).toContain(e?.code);
    });

    test('decompressor: corrupt input and window too large are ZstdErrors; memory released', async () => {
      const bad = textFrame.slice();
      bad[bad.length - 2] ^= 0x40;
      expect(await caught(() => collect(d.readToIter(bad)))).toEqual(isZstdError('checksum_wrong'));
      expect(await caught(() => collect(d.readToIter(Readable.from([Buffer.from('garbage garbage')]))))).toEqual(
        isZstdError('prefix_unknown'),
      );
      const wide = zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed.subarray(0, 100000)));
      const strict = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 20 });
      expect(await caught(() => collect(strict.readToIter(wide)))).toEqual(isZstdError('frame_parameter_window_too_large'));
      strict.free();
      expect(mem()).toBe(baseline);
    });

    test('bad sources and chunks: TypeError when iterated; bad options: TypeError/RangeError at the call', async () => {
      for (const bad of [42, null, undefined, {}, true, () => 'x', Symbol.iterator]) {
        expect(await caught(() => collect(c.readToIter(bad)))).toEqual(expect.any(TypeError));
        expect(await caught(() => collect(d.readToIter(bad)))).toEqual(expect.any(TypeError));
      }
      expect(await caught(() => collect(c.readToIter([Buffer.from('ok'), 7])))).toEqual(expect.any(TypeError));
      expect(await caught(() => collect(c.readToIter(Readable.from([{ not: 'bytes' }]))))).toEqual(expect.any(TypeError));
      expect(await caught(() => collect(d.readToIter(new ReadableStream({ start: (ctl) => ctl.enqueue(42) }))))).toEqual(
        expect.any(TypeError),
      );
      expect(() => c.readToIter('x', { readSize: 0 })).toThrow(RangeError);
      expect(() => c.readToIter('x', { writeSize: -1 })).toThrow(RangeError);
      expect(() => c.readToIter('x', { readSize: '1' })).toThrow(TypeError);
      expect(() => c.readToIter('x', { size: -1 })).toThrow(RangeError);
      expect(() => c.readToIter('x', 3)).toThrow(TypeError);
      expect(() => d.readToIter('x', { skipBytes: -1 })).toThrow(RangeError);
      expect(() => d.readToIter('x', { skipBytes: 1.5 })).toThrow(RangeError);
      expect(() => d.readToIter('x', { writeSize: 0 })).toThrow(RangeError);
      expect(mem()).toBe(baseline);
    });

    test('a source that errors mid-stream rejects the iteration with its error; memory released', async () => {
      const failing = (async function* () {
        yield mixed.subarray(0, 300000);
        throw new Error('source broke');
      })();
      expect((await caught(() => collect(c.readToIter(failing))))?.message).toBe('source broke');
      let n = 0;
      const stream = new ReadableStream({
        pull(controller) {
          if (n++ < 2) controller.enqueue(mixedFrame.subarray((n - 1) * 1000, n * 1000));
          else controller.error(new Error('stream broke'));
        },
      });
      expect((await caught(() => collect(d.readToIter(stream))))?.message).toBe('stream broke');
      expect(mem()).toBe(baseline);
    });

    test('leaving the loop early releases the memory', async () => {
      for await (const ch of c.readToIter(text, { writeSize: 1000 })) {
        expect(ch.length).toBeLessThanOrEqual(1000);
        break;
      }
      for await (const ch of d.readToIter(textFrame, { writeSize: 1000 })) {
        expect(ch.length).toBe(1000);
        break;
      }
      const it = c.readToIter(Readable.from([text]))[Symbol.asyncIterator]();
      await it.next();
      await it.return();
      expect(mem()).toBe(baseline);
    });

    test('output chunks are independent copies: keeping them all, unchanged, gives the frame', async () => {
      const chunks = await collect(c.readToIter(mixed, { writeSize: 4096 }));
      const copies = chunks.map((ch) => ch.slice());
      const more = await collect(c.readToIter(rnd, { writeSize: 4096 })); // reuse of memory would show here
      expect(more.length).toBeGreaterThan(0);
      chunks.forEach((ch, i) => expectSameBytes(ch, copies[i]));
      expectDecodes(concat(chunks), mixed);
    });
  });
};
