// createZstdCompress / createZstdDecompress (zstd-kit/node).
const {
  Readable,
  caught,
  concat,
  expectSameBytes,
  frameOf,
  fs,
  mem,
  nodeSink,
  path,
  pipeline,
  skippable,
  sleep,
  split,
  tmpDir,
  zstd,
  zstdCli,
  zstdNode,
} = require('./common.cjs');

module.exports = function suite(f) {
  const { text, mixed } = f;
  let mixedFrame, textFrame;
  beforeAll(() => ({ mixedFrame, textFrame } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

  describe('Node streams (zstd-kit/node)', () => {
    test('createZstdCompress / createZstdDecompress are stream.Transforms; pipeline round trip', async () => {
      const { Transform } = require('node:stream');
      expect(zstdNode.createZstdCompress).toBe(zstd.createZstdCompress);
      const comp = zstdNode.createZstdCompress({ level: 5, writeChecksum: true });
      expect(comp).toBeInstanceOf(Transform);
      const out = nodeSink();
      await pipeline(Readable.from(split(mixed, [65536, 1, 200000])), comp, out.stream);
      const frame = concat(out.chunks);
      expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
      expectSameBytes(zstdCli(['-d', '-c'], frame), mixed);
      const back = nodeSink();
      const decomp = zstdNode.createZstdDecompress();
      expect(decomp).toBeInstanceOf(Transform);
      await pipeline(Readable.from(split(concat([frame, skippable(9), frameOf('!')]), [7, 50000])), decomp, back.stream);
      expectSameBytes(concat(back.chunks), concat([mixed, Buffer.from('!')]));
      expect(mem()).toBe(baseline);
    });

    test('fs streams, and back-pressure through a slow destination', async () => {
      const dir = tmpDir();
      const file = path.join(dir, 'in');
      fs.writeFileSync(file, text);
      await pipeline(fs.createReadStream(file), zstdNode.createZstdCompress(), fs.createWriteStream(file + '.zst'));
      expectSameBytes(zstdCli(['-d', '-c', file + '.zst']), text);
      const slow = nodeSink({ highWaterMark: 1024, delay: 1 });
      await pipeline(fs.createReadStream(file + '.zst'), zstdNode.createZstdDecompress(), slow.stream);
      expectSameBytes(concat(slow.chunks), text);
      fs.rmSync(dir, { recursive: true });
      expect(mem()).toBe(baseline);
    });

    test('errors surface as stream errors with a ZstdError: truncated, corrupt, window too large', async () => {
      const cases = [
        [mixedFrame.subarray(0, mixedFrame.length - 7), undefined, ['src_size_wrong', 'corruption_detected']],
        [Buffer.from('plainly not zstd'), undefined, ['prefix_unknown']],
        [
          (() => {
            const f = textFrame.slice();
            f[f.length - 1] ^= 0x80;
            return f;
          })(),
          undefined,
          ['checksum_wrong'],
        ],
        [
          zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed.subarray(0, 100000))),
          { maxWindowSize: 1 << 20 },
          ['frame_parameter_window_too_large'],
        ],
      ];
      for (const [bytes, options, codes] of cases) {
        const t = zstdNode.createZstdDecompress(options);
        let emitted = null;
        t.on('error', (e) => (emitted = e));
        const e = await caught(() => pipeline(Readable.from(split(bytes, [30000])), t, nodeSink().stream));
        expect(e).toEqual(expect.any(zstd.ZstdError));
        expect(codes).toContain(e.code);
        expect(emitted).toBe(e);
        expect(mem()).toBe(baseline);
      }
      // A destroyed transform releases its memory.
      const t = zstdNode.createZstdCompress();
      t.write(text.subarray(0, 100000));
      t.destroy();
      await sleep(5);
      expect(mem()).toBe(baseline);
      expect(() => zstdNode.createZstdCompress({ level: 1000 })).toThrow(RangeError);
      expect(() => zstdNode.createZstdDecompress({ maxWindowSize: 'x' })).toThrow(TypeError);
    });
  });
};
