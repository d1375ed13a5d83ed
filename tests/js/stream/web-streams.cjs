// ZstdCompressionStream / ZstdDecompressionStream.
const {
  Blob,
  ReadableStream,
  TransformStream,
  WritableStream,
  caught,
  collect,
  concat,
  expectDecodes,
  expectSameBytes,
  frameOf,
  isZstdError,
  mem,
  skippable,
  sleep,
  split,
  zstd,
  zstdCli,
} = require('./common.cjs');

module.exports = function suite(f) {
  const { text, mixed, keepAlive } = f;
  let mixedFrame, textFrame;
  beforeAll(() => ({ mixedFrame, textFrame } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

  describe('Web streams', () => {
    test('ZstdCompressionStream / ZstdDecompressionStream are TransformStreams; Blob.stream() round trip', async () => {
      const cs = new zstd.ZstdCompressionStream();
      const ds = new zstd.ZstdDecompressionStream();
      expect(cs).toBeInstanceOf(TransformStream);
      expect(ds).toBeInstanceOf(TransformStream);
      expect(cs.readable).toBeInstanceOf(ReadableStream);
      expect(cs.writable).toBeInstanceOf(WritableStream);
      // Empty in, an empty frame through both, empty out.
      const nothing = await collect(new Blob([]).stream().pipeThrough(cs).pipeThrough(ds));
      expect(concat(nothing).length).toBe(0);
      expect(mem()).toBe(baseline);
      const compressed = new Uint8Array(
        await new Response(new Blob([mixed]).stream().pipeThrough(new zstd.ZstdCompressionStream({ level: 5 }))).arrayBuffer(),
      );
      expectSameBytes(zstdCli(['-d', '-c'], compressed), mixed);
      const back = new Uint8Array(
        await new Response(new Blob([compressed]).stream().pipeThrough(new zstd.ZstdDecompressionStream())).arrayBuffer(),
      );
      expectSameBytes(back, mixed);
      expect(mem()).toBe(baseline);
    });

    test('chunks of every BufferSource kind; options apply; output chunks are Uint8Arrays', async () => {
      const cs = new zstd.ZstdCompressionStream({ level: 19, writeChecksum: true });
      const writer = cs.writable.getWriter();
      const reading = collect(cs.readable);
      const pieces = split(text.subarray(0, 600000), [100000, 3, 50000, 7777]);
      for (const [i, p] of pieces.entries()) {
        const own = p.slice();
        await writer.write([own, own.buffer, new DataView(own.buffer), Buffer.from(own)][i % 4]);
      }
      await writer.close();
      const chunks = await reading;
      chunks.forEach((ch) => expect(ch).toBeInstanceOf(Uint8Array));
      const frame = concat(chunks);
      expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
      expect(frame.length).toBeLessThan(frameOf(text.subarray(0, 600000), { level: 1 }).length);
      expectDecodes(frame, text.subarray(0, 600000));
      expect(mem()).toBe(baseline);
    });

    test('decompression stream: concatenated and skippable frames, split anywhere', async () => {
      const all = concat([skippable(4), frameOf('web '), mixedFrame, skippable(0), frameOf('end', { writeContentSize: false })]);
      const source = new ReadableStream({
        start(controller) {
          for (const p of split(all, [1, 2, 9, 40000, 3])) controller.enqueue(p);
          controller.close();
        },
      });
      const out = concat(await collect(source.pipeThrough(new zstd.ZstdDecompressionStream())));
      expectSameBytes(out, concat([Buffer.from('web '), mixed, Buffer.from('end')]));
      // The magicless format.
      const magicless = await collect(
        new Blob([mixedFrame.subarray(4)]).stream().pipeThrough(new zstd.ZstdDecompressionStream({ format: 'magicless' })),
      );
      expectSameBytes(concat(magicless), mixed);
      expect(mem()).toBe(baseline);
    });

    test('errors: truncated, corrupt, window too large, bad chunk type; memory released', async () => {
      const run = (bytes, options, chunk) =>
        caught(() =>
          new Response(
            (chunk
              ? new ReadableStream({
                  start: (ctl) => {
                    ctl.enqueue(chunk);
                    ctl.close();
                  },
                })
              : new Blob([bytes]).stream()
            ).pipeThrough(new zstd.ZstdDecompressionStream(options)),
          ).arrayBuffer(),
        );
      const truncated = await run(mixedFrame.subarray(0, mixedFrame.length - 100));
      expect(truncated).toEqual(expect.any(zstd.ZstdError));
      expect(['src_size_wrong', 'corruption_detected']).toContain(truncated.code);
      const bad = textFrame.slice();
      bad[bad.length - 3] ^= 0x10;
      expect(await run(bad)).toEqual(isZstdError('checksum_wrong'));
      expect(await run(Buffer.from('not zstd at all'))).toEqual(isZstdError('prefix_unknown'));
      const wide = zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed.subarray(0, 100000)));
      expect(await run(wide, { maxWindowSize: 1 << 20 })).toEqual(isZstdError('frame_parameter_window_too_large'));
      expect(await run(null, undefined, 42)).toEqual(expect.any(TypeError));
      expect(mem()).toBe(baseline);
    });

    test('bad options throw at construction', () => {
      expect(() => new zstd.ZstdCompressionStream({ level: 99 })).toThrow(RangeError);
      expect(() => new zstd.ZstdCompressionStream({ level: 'high' })).toThrow(TypeError);
      expect(() => new zstd.ZstdCompressionStream(5)).toThrow(TypeError);
      expect(() => new zstd.ZstdDecompressionStream({ maxWindowSize: 'big' })).toThrow(TypeError);
      expect(() => new zstd.ZstdDecompressionStream({ maxWindowSize: -1 })).toThrow(RangeError);
      expect(() => new zstd.ZstdDecompressionStream({ format: 'gzip' })).toThrow(RangeError);
      expect(mem()).toBe(baseline);
    });

    test('a source that errors mid-stream, or a cancelled reader, releases the memory', async () => {
      let n = 0;
      const failing = new ReadableStream({
        pull(controller) {
          if (n++ < 3) controller.enqueue(text.subarray(n * 100000, (n + 1) * 100000));
          else controller.error(new Error('source broke'));
        },
      });
      const cs = new zstd.ZstdCompressionStream();
      keepAlive.push(cs);
      const e = await caught(() => new Response(failing.pipeThrough(cs)).arrayBuffer());
      expect(e?.message).toBe('source broke');
      await sleep(20);
      const afterSourceError = mem();

      const ds = new zstd.ZstdDecompressionStream();
      keepAlive.push(ds);
      const writer = ds.writable.getWriter();
      writer.write(textFrame.subarray(0, 200000)).catch(() => {});
      const reader = ds.readable.getReader();
      await reader.read();
      await reader.cancel('not interested');
      await writer.abort('stop').catch(() => {});
      await sleep(20);
      // Bytes still held after each: none.
      expect({ sourceError: afterSourceError - baseline, cancel: mem() - afterSourceError }).toEqual({ sourceError: 0, cancel: 0 });
    });
  });
};
